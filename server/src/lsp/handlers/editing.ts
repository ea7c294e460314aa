/** The editing handlers (registered by server.ts through MODULES). */
import type { HandlerModule } from '../context';

export const editingModule: HandlerModule = {
  capabilities: () => ({}),
  register: () => undefined,
};
