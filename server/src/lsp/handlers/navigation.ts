/** The navigation handlers (registered by server.ts through MODULES). */
import type { HandlerModule } from '../context';

export const navigationModule: HandlerModule = {
  capabilities: () => ({}),
  register: () => undefined,
};
