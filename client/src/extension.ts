// Dockwright VS Code client: a thin wrapper that starts the bundled language server
// (server/dist/server.js) over IPC and exposes restart / output commands and a status item.
import * as vscode from 'vscode';
import { ServerController } from './serverController';
import { RESTART_COMMAND, SHOW_OUTPUT_COMMAND, ServerStatusItem } from './status';
import { registerRuleDocs } from './rule-docs';
import { registerCacheMap } from './commands/cache-map';
import { registerDockerCommands } from './commands/index';

let controller: ServerController | undefined;

/** Set by the bundle's first line (esbuild banner): when VS Code started evaluating the extension's code. */
declare const __dwBundleStart: number | undefined;
/** Evaluating the bundle's modules ends here (the entry module's body runs after its imports). */
const bundleEvaluatedAt = performance.now();

export function activate(context: vscode.ExtensionContext): void {
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
  const loadMs = typeof __dwBundleStart === 'number' ? bundleEvaluatedAt - __dwBundleStart : undefined;
  const activateMs = performance.now() - activateStart;
  output.info(`Activated in ${activateMs.toFixed(1)} ms` + (loadMs !== undefined ? ` (code loaded in ${loadMs.toFixed(1)} ms before that)` : ''));
}

export async function deactivate(): Promise<void> {
  const ctl = controller;
  controller = undefined;
  await ctl?.dispose();
}
