// Owns the LanguageClient: start, manual restart, automatic restart after a crash, status reporting.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { RestartBudget } from './restartBudget';
import { SERVER_NODE_FLAGS } from '../../server/src/launch';
import { RESTART_COMMAND, SHOW_OUTPUT_COMMAND, type ServerStatusItem } from './status';

const CLIENT_ID = 'dockwright';
const CLIENT_NAME = 'Dockwright';
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

/** One LanguageClient instance and its bookkeeping. A manual restart replaces the whole session. */
class Session {
  /** Assigned right after construction (the client's error handler needs the session first). */
  client!: LanguageClient;
  /** Set once the session is being replaced or disposed: its error handler must not restart it. */
  retired = false;
  /** Set between a crash and the automatic restart, so the status says "restarting", not "stopped". */
  autoRestarting = false;
  readonly subscriptions: vscode.Disposable[] = [];
}

/** Plain-JSON snapshot of the `dockwright.*` settings (window/workspace level, no resource). */
export function settingsSnapshot(): unknown {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(CLIENT_ID)));
}

function startedInDebugMode(): boolean {
  return process.execArgv.some((a) => /^--(debug|debug-brk|inspect|inspect-brk)(=|$)/.test(a));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ServerController implements vscode.Disposable {
  private session: Session | undefined;
  private lastError: string | undefined;
  private pendingRestart: Promise<void> | undefined;
  private readonly budget = new RestartBudget(MAX_RESTARTS, RESTART_WINDOW_MS);

  constructor(
    private readonly serverModule: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: ServerStatusItem,
    /** Where the server may keep caches (the extension's global storage). */
    private readonly cacheDir?: string,
  ) {}

  /** The running client, if any (for feature code such as client/src/commands). */
  get client(): LanguageClient | undefined {
    return this.session?.client;
  }

  async start(): Promise<void> {
    if (this.session) return;
    this.lastError = undefined;
    if (!fs.existsSync(this.serverModule)) {
      this.fail(`Server bundle not found at ${this.serverModule}. Run "npm run build".`);
      return;
    }
    const session = this.createSession();
    this.session = session;
    this.status.set({ kind: 'starting' });
    try {
      await session.client.start();
    } catch (e) {
      // The client already logged the error and showed a notification.
      if (this.session === session && !session.retired) {
        this.lastError ??= `The language server failed to start: ${errorText(e)}`;
        this.status.set({ kind: 'stopped', error: this.lastError });
      }
    }
  }

  /** Manual restart: stop (or abandon) the current client, reset the crash budget, start a fresh client. */
  restart(): Promise<void> {
    this.pendingRestart ??= (async () => {
      this.output.info('Restarting the language server');
      this.budget.reset();
      await this.stopSession();
      // With --inspect the old server may still hold the debug port for a moment.
      if (startedInDebugMode()) await new Promise((r) => setTimeout(r, 1000));
      await this.start();
    })().finally(() => {
      this.pendingRestart = undefined;
    });
    return this.pendingRestart;
  }

  async dispose(): Promise<void> {
    await this.stopSession();
  }

  private async stopSession(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    session.retired = true;
    for (const d of session.subscriptions.splice(0)) d.dispose();
    try {
      // dispose() = stop() + no further start. It rejects when the client is not running
      // (start failed, still starting): the node client then kills the process itself.
      await session.client.dispose(2000);
    } catch (e) {
      this.output.debug(`Stopping the previous client: ${errorText(e)}`);
    }
  }

  private fail(message: string): void {
    this.lastError = message;
    this.output.error(message);
    this.status.set({ kind: 'stopped', error: message });
    void this.offerRestart(message);
  }

  private async offerRestart(message: string): Promise<void> {
    const restart = 'Restart Server';
    const show = 'Show Output';
    const choice = await vscode.window.showErrorMessage(`Dockwright: ${message}`, restart, show);
    if (choice === restart) await vscode.commands.executeCommand(RESTART_COMMAND);
    else if (choice === show) await vscode.commands.executeCommand(SHOW_OUTPUT_COMMAND);
  }

  private createSession(): Session {
    const env = this.cacheDir ? { ...process.env, DOCKWRIGHT_CACHE_DIR: this.cacheDir } : undefined;
    const debugOptions = { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'], env };
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], ...(env ? { env } : {}) } },
      debug: { module: this.serverModule, transport: TransportKind.ipc, options: debugOptions },
    };
    const session = new Session();
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'dockerfile' },
        { scheme: 'untitled', language: 'dockerfile' },
      ],
      synchronize: { configurationSection: CLIENT_ID },
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticCollectionName: CLIENT_ID,
      // A function, so that every (re)start sends fresh values.
      initializationOptions: () => ({ settings: settingsSnapshot(), workspaceTrusted: vscode.workspace.isTrusted }),
      errorHandler: this.errorHandler(session),
      // Without this the client pops up the raw initialize error (e.g. "Pending response rejected
      // since connection got disposed") on top of its own "couldn't create connection" message.
      initializationFailedHandler: (error) => {
        this.output.error(`Server initialization failed: ${errorText(error)}`);
        return false; // do not retry
      },
    };
    session.client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    session.subscriptions.push(session.client.onDidChangeState((e) => this.onStateChange(session, e.newState)));
    return session;
  }

  private onStateChange(session: Session, state: State): void {
    if (session.retired || this.session !== session) return;
    switch (state) {
      case State.Starting:
        if (!session.autoRestarting) this.status.set({ kind: 'starting' });
        break;
      case State.Running: {
        session.autoRestarting = false;
        this.lastError = undefined;
        const info = session.client.initializeResult?.serverInfo;
        this.status.set({ kind: 'running', version: info?.version });
        break;
      }
      case State.Stopped:
        if (session.autoRestarting) this.status.set({ kind: 'restarting', reason: 'The language server crashed and is being restarted' });
        else this.status.set({ kind: 'stopped', error: this.lastError });
        break;
    }
  }

  private errorHandler(session: Session): ErrorHandler {
    return {
      // Errors while reading/writing the connection: tolerate a few in a row (same as the default handler).
      error: (error, _message, count): ErrorHandlerResult => {
        if (count !== undefined && count <= 3) return { action: ErrorAction.Continue };
        this.lastError = `Connection to the language server failed: ${error.message}`;
        return { action: ErrorAction.Shutdown };
      },
      closed: (): CloseHandlerResult => {
        if (session.retired) return { action: CloseAction.DoNotRestart, handled: true };
        if (session.client.state === State.Starting) {
          // Died before finishing `initialize`: restarting would loop. The pending start() rejects
          // and the client reports the failure; the state then goes to Stopped.
          session.autoRestarting = false;
          this.lastError = 'The language server exited during startup. See the output for details.';
          return { action: CloseAction.DoNotRestart, message: this.lastError, handled: true };
        }
        if (this.budget.tryConsume()) {
          session.autoRestarting = true;
          // The client logs `message` to the output channel (handled: no notification).
          const message = `The language server stopped unexpectedly; restarting (${this.budget.used}/${MAX_RESTARTS} within 3 minutes).`;
          return { action: CloseAction.Restart, message, handled: true };
        }
        session.autoRestarting = false;
        const message = `The language server crashed ${MAX_RESTARTS + 1} times in the last 3 minutes and will not be restarted automatically.`;
        this.lastError = message;
        this.status.set({ kind: 'stopped', error: message });
        void this.offerRestart(message);
        return { action: CloseAction.DoNotRestart, message, handled: true };
      },
    };
  }
}
