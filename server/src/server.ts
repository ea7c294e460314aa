/**
 * The Dockwright language server. Wiring only: every LSP method maps to one handler in lsp/handlers,
 * each wrapped in the safe runner. Runs over IPC (VS Code) or `--stdio` (any LSP editor).
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  CodeActionKind,
  DocumentDiagnosticReportKind,
  type DocumentDiagnosticReport,
  type WorkspaceFolder,
  StreamMessageReader,
} from 'vscode-languageserver/node';
import { keepStdoutForProtocol, SingleWriteMessageWriter } from './lsp/stream-writer';
import { DocumentStore } from './lsp/documents';
import { safe, safeNotify } from './lsp/safe';
import { SettingsStore } from './lsp/settings';
import { diagnosticsOf } from './lsp/handlers/diagnostics';
import { codeAction, FIX_ALL_KIND } from './lsp/handlers/code-action';
import type { HandlerModule, ServerContext } from './lsp/context';
import { editingModule } from './lsp/handlers/editing';
import { navigationModule } from './lsp/handlers/navigation';
import { imagesModule } from './lsp/handlers/images';
import { cacheModule } from './lsp/handlers/cache';
import { buildInfoModule } from './lsp/handlers/build-info';

/** Feature modules: each announces its capabilities and registers its handlers. */
const MODULES: readonly HandlerModule[] = [editingModule, navigationModule, imagesModule, buildInfoModule, cacheModule];

const VERSION = '0.1.0';

// Over --stdio each message goes out in one write (lsp/stream-writer.ts); IPC and sockets use the defaults.
const stdio = process.argv.includes('--stdio');
const connection = stdio
  ? createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new SingleWriteMessageWriter(process.stdout))
  : createConnection(ProposedFeatures.all);
let shutdownReceived = false;
if (stdio) {
  keepStdoutForProtocol(connection);
  // The editor went away (stdin closed): exit, as the library does for the streams it opens itself.
  const exit = () => process.exit(shutdownReceived ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
}
let settings!: SettingsStore;
let store!: DocumentStore;
let pullDiagnostics = false;
let configurationPull = false;
let folderChanges = false;
const workspaceFolders: WorkspaceFolder[] = [];

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  pullDiagnostics = Boolean(caps.textDocument?.diagnostic);
  configurationPull = Boolean(caps.workspace?.configuration);
  settings = new SettingsStore(connection, configurationPull);
  const init = (params.initializationOptions ?? {}) as { settings?: unknown; workspaceTrusted?: boolean };
  if (init.settings) settings.setGlobal(init.settings);
  store = new DocumentStore(settings);
  if (init.workspaceTrusted === false) store.trusted = false;
  wireDocuments();
  // One array, kept up to date in place (workspace/didChangeWorkspaceFolders): modules read it when they need it.
  workspaceFolders.push(...(params.workspaceFolders ?? []));
  settings.setFolders(workspaceFolders.map((f) => f.uri));
  folderChanges = Boolean(caps.workspace?.workspaceFolders);
  const ctx: ServerContext = { connection, store, settings, clientCapabilities: caps, workspaceFolders };
  const moduleCaps = MODULES.map((m) => {
    m.register(ctx);
    return m.capabilities(caps);
  });
  return {
    capabilities: {
      ...Object.assign({}, ...moduleCaps),
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND], resolveProvider: false },
      ...(folderChanges ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'dockwright', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (folderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders(
      safeNotify(connection, 'workspace/didChangeWorkspaceFolders', (e) => {
        const removed = new Set(e.removed.map((f) => f.uri));
        const kept = workspaceFolders.filter((f) => !removed.has(f.uri));
        workspaceFolders.splice(0, workspaceFolders.length, ...kept, ...e.added);
        // Documents may now belong to another folder, with other settings.
        settings.setFolders(workspaceFolders.map((f) => f.uri));
        store.invalidateAll();
        refreshDiagnostics();
      }),
    );
  }
  if (configurationPull) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockwright' }).catch(() => undefined);
  }
});

connection.onDidChangeConfiguration(
  safeNotify(connection, 'didChangeConfiguration', (params) => {
    const s = (params.settings as { dockwright?: unknown } | undefined)?.dockwright;
    if (s !== undefined) settings.setGlobal(s);
    else settings.changed();
    store.invalidateAll();
    refreshDiagnostics();
  }),
);

connection.languages.diagnostics.on(
  safe(connection, 'textDocument/diagnostic', { kind: DocumentDiagnosticReportKind.Full, items: [] } as DocumentDiagnosticReport, async (params) => {
    const pending = store.analysis(params.textDocument.uri);
    if (!pending) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(await pending) };
  }),
);

connection.onCodeAction(safe(connection, 'textDocument/codeAction', [], (params) => codeAction(store, params)));

connection.onShutdown(() => {
  shutdownReceived = true;
});

function refreshDiagnostics(): void {
  if (pullDiagnostics) {
    connection.languages.diagnostics.refresh();
    return;
  }
  for (const doc of store.documents.all()) schedulePush(doc.uri);
}

const pushPending = new Set<string>();

/**
 * Push mode: analyse the latest version right after the current batch of messages, so a burst of edits
 * that arrived together is analysed once.
 */
function schedulePush(uri: string): void {
  if (pushPending.has(uri)) return;
  pushPending.add(uri);
  setImmediate(() => {
    pushPending.delete(uri);
    const pending = store.analysis(uri);
    if (!pending) return;
    pending
      .then((da) => {
        if (store.get(uri)?.version !== da.version) return;
        return connection.sendDiagnostics({ uri, version: da.version, diagnostics: diagnosticsOf(da) });
      })
      .catch((e: unknown) => connection.console.error(`diagnostics for ${uri} failed: ${String(e)}`));
  });
}

function wireDocuments(): void {
  if (!pullDiagnostics) {
    store.documents.onDidChangeContent((e) => schedulePush(e.document.uri));
    store.documents.onDidClose((e) => {
      pushPending.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
  }
  store.documents.listen(connection);
}

connection.listen();
