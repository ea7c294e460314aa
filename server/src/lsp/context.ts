/** What every handler module gets: the connection, the document store, settings and what the client can do. */
import type { ClientCapabilities, Connection, ServerCapabilities, WorkspaceFolder } from 'vscode-languageserver/node';
import type { DocumentStore } from './documents';
import type { SettingsStore } from './settings';

export interface ServerContext {
  readonly connection: Connection;
  readonly store: DocumentStore;
  readonly settings: SettingsStore;
  readonly clientCapabilities: ClientCapabilities;
  readonly workspaceFolders: readonly WorkspaceFolder[];
}

/**
 * A group of handlers: the capabilities it announces and the registration of its handlers (each wrapped
 * in `safe`). server.ts lists the modules; adding a feature never touches another module.
 */
export interface HandlerModule {
  capabilities(client: ClientCapabilities): ServerCapabilities;
  register(ctx: ServerContext): void;
}
