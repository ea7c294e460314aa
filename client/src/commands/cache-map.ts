// "Dockwright: Show Cache Map" (explorer context menu on files and folders, and the command palette): for a
// file of a build context, which instruction of which Dockerfile it busts first and how many build steps
// re-run after it. The server answers `dockwright/cacheMap` (server/src/lsp/handlers/cache.ts); this file
// only shows the answer in a QuickPick and opens the chosen Dockerfile at that instruction.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const CACHE_MAP_COMMAND = 'dockwright.cacheMap';

interface Step {
  line: number;
  text: string;
  stage: string;
}

interface Entry {
  dockerfile: string;
  context: string;
  relativePath: string;
  ignored: boolean;
  first?: Step & { via: string };
  busts: Step[];
  rebuilt: number;
  next: Step[];
}

interface Result {
  path: string;
  results: Entry[];
}

interface Item extends vscode.QuickPickItem {
  entry: Entry;
}

function describe(e: Entry): { description: string; detail: string } {
  if (e.ignored) return { description: 'excluded by .dockerignore', detail: `${e.relativePath} is not sent to the builder: changing it busts nothing.` };
  if (!e.first) return { description: 'not read by any instruction', detail: `No COPY, ADD or bind mount reads ${e.relativePath}: changing it busts nothing (it is still sent with the context).` };
  const stage = e.first.stage ? ` (stage ${e.first.stage})` : '';
  const after = e.rebuilt - 1;
  const next = e.next.map((s) => `line ${s.line + 1} ${s.text}`).join(' · ');
  return {
    description: `busts line ${e.first.line + 1}${stage}: ${e.first.text}`,
    detail: `${e.rebuilt} build step${e.rebuilt === 1 ? '' : 's'} re-run (${after} after it)${next ? `: ${next}` : ''}${e.busts.length > 1 ? ` · read by ${e.busts.length} instructions` : ''}`,
  };
}

export function registerCacheMap(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand(CACHE_MAP_COMMAND, async (resource?: vscode.Uri) => {
    let uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') {
      const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: 'Show Cache Map' });
      uri = picked?.[0];
    }
    if (!uri) return;
    const client = getClient();
    if (!client || !client.isRunning()) {
      void vscode.window.showWarningMessage('Dockwright: the language server is not running.');
      return;
    }
    const target = uri;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Dockwright: finding the Dockerfiles that read this file' },
      () => client.sendRequest<Result>('dockwright/cacheMap', { uri: target.toString() }),
    );
    const name = vscode.workspace.asRelativePath(target);
    if (result.results.length === 0) {
      void vscode.window.showInformationMessage(`Dockwright: no Dockerfile in the workspace has ${name} in its build context.`);
      return;
    }
    const items: Item[] = result.results
      .sort((a, b) => Number(a.first === undefined) - Number(b.first === undefined) || b.rebuilt - a.rebuilt)
      .map((entry) => ({ label: `$(file) ${vscode.workspace.asRelativePath(vscode.Uri.parse(entry.dockerfile))}`, ...describe(entry), entry }));
    const choice = await vscode.window.showQuickPick(items, { title: `Cache map: ${name}`, placeHolder: 'Which instruction each Dockerfile re-runs first when this changes', matchOnDescription: true, matchOnDetail: true });
    if (!choice) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(choice.entry.dockerfile));
    const line = choice.entry.first?.line ?? 0;
    const range = new vscode.Range(line, 0, line, 0);
    await vscode.window.showTextDocument(doc, { selection: range });
  });
}
