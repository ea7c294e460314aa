// What every docker-running command shares: settings (`dockwright.docker.*`, `dockwright.build.*`), the
// workspace-trust gate, the engine probe (cached), and how a failure is shown: one message with a next step
// and buttons, the details in the Dockwright output, never a stack trace in the UI.
import * as vscode from 'vscode';
import { DockerError, faultOf, probeEngine, type DockerFault, type DockerRunOptions, type EngineInfo } from '../../../server/src/host/docker/cli';
import type { ServerController } from '../serverController';
import type { BuiltImages } from './built-images';

export interface DockerSettings {
  readonly dockerPath: string;
  readonly timeoutMs: number;
  readonly builder: 'auto' | 'buildkit' | 'classic';
  readonly outputLimitBytes: number;
  readonly labelImages: boolean;
}

export function dockerSettings(): DockerSettings {
  const c = vscode.workspace.getConfiguration('dockwright');
  const path = (c.get<string>('docker.path') ?? '').trim();
  const seconds = c.get<number>('docker.timeoutSeconds') ?? 30;
  const builder = c.get<string>('build.builder');
  return {
    dockerPath: path || 'docker',
    timeoutMs: Math.max(1, seconds) * 1000,
    builder: builder === 'buildkit' || builder === 'classic' ? builder : 'auto',
    outputLimitBytes: Math.max(0.1, c.get<number>('build.outputLimitMB') ?? 5) * 1e6,
    labelImages: c.get<boolean>('build.labelImages') ?? true,
  };
}

export function runOptions(s: DockerSettings = dockerSettings(), signal?: AbortSignal): DockerRunOptions {
  return { dockerPath: s.dockerPath, timeoutMs: s.timeoutMs, signal };
}

/** Shared by the commands: the extension context, the language client, the logs and the build records. */
export interface DockerDeps {
  readonly context: vscode.ExtensionContext;
  readonly controller: ServerController;
  /** The Dockwright log (details of failures go here). */
  readonly log: vscode.LogOutputChannel;
  /** The build output. */
  readonly buildOutput: vscode.OutputChannel;
  /** Errors of failed builds on the instruction that failed. */
  readonly diagnostics: vscode.DiagnosticCollection;
  readonly images: BuiltImages;
  readonly engine: EngineProbe;
}

/**
 * In an untrusted workspace nothing runs docker: the commands are hidden by their `when` clauses, and when
 * one is invoked anyway (a keybinding, a task, another extension) this says why and how to change it.
 */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(`Dockwright runs docker only in trusted workspaces, so it cannot ${what} here. Linting and the other editor features keep working.`, manage)
    .then((c) => (c === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  return false;
}

/** The engine's facts, asked once and kept for a few minutes (forgotten after a failure or a settings change). */
export class EngineProbe {
  private cached: { key: string; at: number; info: Promise<EngineInfo> } | undefined;

  get(s: DockerSettings = dockerSettings()): Promise<EngineInfo> {
    const key = `${s.dockerPath}\0${s.builder}`;
    const c = this.cached;
    if (c && c.key === key && Date.now() - c.at < 5 * 60_000) return c.info;
    const info = probeEngine({ dockerPath: s.dockerPath, timeoutMs: Math.min(s.timeoutMs, 15_000) }, s.builder);
    this.cached = { key, at: Date.now(), info };
    info.catch(() => {
      if (this.cached?.info === info) this.cached = undefined;
    });
    return info;
  }

  forget(): void {
    this.cached = undefined;
  }
}

/** Shows a docker failure: one sentence, the next step, buttons that help; details in the log. */
export async function showFault(deps: Pick<DockerDeps, 'log'>, fault: DockerFault, prefix?: string): Promise<void> {
  if (fault.kind === 'cancelled') return;
  deps.log.warn(`${prefix ? prefix + ': ' : ''}${fault.message}${fault.detail ? ` (${fault.detail})` : ''}`);
  const actions: string[] = [];
  if (fault.kind === 'not-installed') actions.push('Open Settings', 'Get Docker');
  actions.push('Show Output');
  const text = `${prefix ? `${prefix}: ` : ''}${fault.message}${fault.nextStep ? ` ${fault.nextStep}` : ''}`;
  const choice = await vscode.window.showErrorMessage(text, ...actions);
  if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'dockwright.docker.path');
  else if (choice === 'Get Docker') await vscode.env.openExternal(vscode.Uri.parse('https://docs.docker.com/get-started/get-docker/'));
  else if (choice === 'Show Output') deps.log.show(true);
}

/**
 * Wraps a command handler: a thrown error becomes one message (a classified docker fault, or the error's
 * message), its stack goes to the log only.
 */
export function guarded<A extends unknown[]>(deps: Pick<DockerDeps, 'log'>, name: string, fn: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (!(e instanceof DockerError)) deps.log.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      await showFault(deps, faultOf(e), name);
    }
  };
}

/** A URI-ish argument from a menu (the resource), a task or a lens (`{ image, dockerfile }`). */
export function uriArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object' && 'fsPath' in arg && 'scheme' in arg) return arg as vscode.Uri;
  return undefined;
}

/** Whether a document is a Dockerfile (by language). */
export function isDockerfile(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return doc !== undefined && doc.languageId === 'dockerfile';
}

/** Short, readable name of an image id. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
