/**
 * Drives any language server over stdio exactly as an editor does, timing each request. Used by the
 * benchmark to run Dockwright and the reference server side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export class LspDriver {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  private readonly publishes = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  capabilities: Record<string, unknown> = {};

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    readonly settings: unknown,
  ) {
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => {
      this.publishes.set(p.uri, (this.publishes.get(p.uri) ?? 0) + 1);
      for (const w of this.waiters.splice(0)) w();
    });
    this.conn.onNotification(() => undefined);
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest(() => null);
    this.conn.listen();
  }

  async initialize(): Promise<number> {
    const t0 = performance.now();
    const r = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: {
          publishDiagnostics: { versionSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown'] },
          semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
      initializationOptions: { settings: this.settings },
    });
    this.capabilities = r.capabilities;
    await this.conn.sendNotification('initialized', {});
    return performance.now() - t0;
  }

  private count(uri: string): number {
    return this.publishes.get(uri) ?? 0;
  }

  private async nextPublish(uri: string, after: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(uri) <= after) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no diagnostics for ${uri}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** didOpen -> first publishDiagnostics, in ms. */
  async open(uri: string, text: string): Promise<number> {
    const before = this.count(uri);
    const t0 = performance.now();
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    await this.nextPublish(uri, before);
    return performance.now() - t0;
  }

  /** didChange -> next publishDiagnostics, in ms. */
  async edit(uri: string, version: number, change: { range: unknown; text: string }): Promise<number> {
    const before = this.count(uri);
    const t0 = performance.now();
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    await this.nextPublish(uri, before);
    return performance.now() - t0;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Times one request; undefined when the server does not support it. */
  async time(method: string, params: unknown): Promise<number | undefined> {
    const t0 = performance.now();
    try {
      await this.conn.sendRequest(method, params);
    } catch {
      return undefined;
    }
    return performance.now() - t0;
  }

  /** Resident memory of the server process in MB (Linux). */
  rssMb(): number | undefined {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // gone
    }
    this.conn.dispose();
    setTimeout(() => this.proc.kill('SIGKILL'), 1000).unref();
  }
}

export function stats(xs: readonly number[]): { n: number; median: number; p95: number; max: number } {
  if (xs.length === 0) return { n: 0, median: NaN, p95: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
