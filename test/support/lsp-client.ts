/**
 * A minimal LSP client that talks to the real Dockwright server process over stdio JSON-RPC, as an
 * editor does. Waits are on events (diagnostics published, responses) with timeouts, never sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = join(__dirname, '..', '..');

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
  data?: unknown;
  codeDescription?: { href: string };
}

export interface ClientOptions {
  /** Ask for pull diagnostics (textDocument/diagnostic) instead of push. */
  pull?: boolean;
  /** Settings returned for workspace/configuration requests (section dockwright), or a function of the scope URI. */
  settings?: unknown;
  /** Workspace folders announced at initialize (the client then also supports folder change notifications). */
  workspaceFolders?: { uri: string; name: string }[];
  initializationOptions?: unknown;
  /** Run the bundled server instead of the TypeScript source. */
  bundled?: boolean;
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly stderr: string[] = [];
  private readonly diagnostics = new Map<string, { version?: number; diagnostics: Diag[] }>();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  settings: unknown;
  configurationRequests = 0;
  /** The scope URI and section of every workspace/configuration item asked for. */
  readonly configurationItems: { scopeUri?: string; section?: string }[] = [];

  constructor(readonly options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    const args = options.bundled ? [join(ROOT, 'server', 'dist', 'server.js'), '--stdio'] : ['--import', 'tsx', join(ROOT, 'server', 'src', 'server.ts'), '--stdio'];
    this.proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diag[] }) => {
      this.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      this.wake();
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) => {
      this.configurationRequests++;
      this.configurationItems.push(...p.items);
      return p.items.map((item) => (typeof this.settings === 'function' ? (this.settings as (scope?: string) => unknown)(item.scopeUri) : this.settings));
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.wake();
      return null;
    });
    this.conn.listen();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async initialize(rootDir?: string): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }> {
    const res = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: rootDir ? pathToFileURL(rootDir).href : null,
      ...(this.options.workspaceFolders ? { workspaceFolders: this.options.workspaceFolders } : {}),
      capabilities: {
        workspace: {
          ...(this.options.workspaceFolders ? { workspaceFolders: true } : {}),
          configuration: true, didChangeConfiguration: { dynamicRegistration: true }, diagnostics: { refreshSupport: true } },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
          ...(this.options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        },
      },
      initializationOptions: this.options.initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return res as { capabilities: Record<string, unknown> };
  }

  async open(uri: string, text: string, languageId = 'dockerfile'): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes; returns the new version. */
  async change(uri: string, changes: { range?: Diag['range']; text: string }[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Waits until published diagnostics for `uri` satisfy `pred` (push mode). */
  async waitForDiagnostics(uri: string, pred: (d: Diag[], version?: number) => boolean = () => true, timeoutMs = 10_000): Promise<Diag[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cur = this.diagnostics.get(uri);
      if (cur && pred(cur.diagnostics, cur.version)) return cur.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics on ${uri}; last: ${JSON.stringify(cur?.diagnostics.map((d) => d.code))}\n${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Pull diagnostics. */
  async pullDiagnostics(uri: string): Promise<Diag[]> {
    const r = await this.conn.sendRequest<{ kind: string; items: Diag[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return r.items;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
  }
}

/** Splits a text with a `|` cursor marker into the text and the marker's line/character. */
export function cursor(marked: string, marker = '|'): { text: string; line: number; character: number; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset === -1) throw new Error('no cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + marker.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { text, line, character, offset };
}
