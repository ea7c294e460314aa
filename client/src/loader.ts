// The extension's entry point: loads the extension's code (client/dist/main.js) with V8's code cache
// (code-cache.ts) and hands over to it. Kept tiny: this file itself is compiled on every activation.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadWithCodeCache } from './code-cache';
import type { ActivationTiming } from './extension';

/** Set by this bundle's first line (esbuild banner): when VS Code started evaluating the extension's code. */
declare const __dwBundleStart: number | undefined;

interface Main {
  activate(context: vscode.ExtensionContext, timing: ActivationTiming): void;
  deactivate(): Promise<void>;
}

let main: Main | undefined;

/** How long evaluating this small bundle took (VS Code then calls activate, maybe after other work). */
const loaderMs = typeof __dwBundleStart === 'number' ? performance.now() - __dwBundleStart : 0;

export function activate(context: vscode.ExtensionContext): void {
  const t0 = performance.now();
  const bundle = loadWithCodeCache(path.join(__dirname, 'main.js'), path.join(context.globalStorageUri.fsPath, 'code-cache'));
  main = bundle.exports as Main;
  // What VS Code counts as activation: loading this bundle, then the activate call (which loads main.js).
  main.activate(context, { startedAt: t0 - loaderMs, codeMs: loaderMs + (performance.now() - t0), cache: bundle.state });
  // Written a little later, off the activation path, with the functions the startup compiled.
  if (bundle.state === 'miss' || bundle.state === 'rejected') setTimeout(() => bundle.save(), 3000).unref();
}

export async function deactivate(): Promise<void> {
  await main?.deactivate();
}
