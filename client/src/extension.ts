// Dockwright VS Code client: a thin wrapper that starts the bundled language server
// (server/dist/server.js) over IPC and exposes restart / output commands and a status item.
import * as vscode from 'vscode';
import { ServerController } from './serverController';
import { RESTART_COMMAND, SHOW_OUTPUT_COMMAND, ServerStatusItem } from './status';
import { registerRuleDocs } from './rule-docs';
import { registerCacheMap } from './commands/cache-map';
import { registerDockerCommands } from './commands/index';

let controller: ServerController | undefined;

/** How loading the extension's code went (measured by loader.ts, the entry point). */
export interface ActivationTiming {
  /** When activation started, as if loading the entry point and calling activate() had been one go (performance.now()). */
  readonly startedAt: number;
  /** Loading the entry point and this bundle. */
  readonly codeMs: number;
  /** Whether V8's code cache was used ('hit'), written for next time ('miss', 'rejected') or not available ('off'). */
  readonly cache: string;
}

export function activate(context: vscode.ExtensionContext, timing?: ActivationTiming): void {
  const activateStart = performance.now();
  const output = vscode.window.createOutputChannel('Dockwright', { log: true });
  const status = new ServerStatusItem();
  const ctl = new ServerController(context.asAbsolutePath('server/dist/server.js'), output, status, context.globalStorageUri.fsPath);
  controller = ctl;

  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand(RESTART_COMMAND, () => ctl.restart()),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    registerRuleDocs(context),
    // Cache map (explorer context menu / palette): which instruction a context file busts first.
    registerCacheMap(() => ctl.client),
    // Build / inspect images, layer explorer, build task, layer lenses (trusted workspaces only).
    registerDockerCommands(context, ctl, output),
    // Linting works in untrusted workspaces; the server learns the trust state from its
    // initialization options, so restart it once the user grants trust.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (ctl.client) void ctl.restart();
    }),
  );

  // Not awaited: activation finishes immediately, the status item shows the progress.
  void ctl.start();
  const end = performance.now();
  const total = end - (timing?.startedAt ?? activateStart);
  const code = timing ? `, code loaded in ${timing.codeMs.toFixed(1)} ms (V8 code cache: ${timing.cache})` : '';
  output.info(`Activated in ${total.toFixed(1)} ms: activate() ${(end - activateStart).toFixed(1)} ms${code}`);
}

export async function deactivate(): Promise<void> {
  const ctl = controller;
  controller = undefined;
  await ctl?.dispose();
}
