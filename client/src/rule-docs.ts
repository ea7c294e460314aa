// Opens the documentation page of a Dockwright rule: diagnostics link to
// vscode://dockwright.dockwright/rule/<slug>, which lands here.
import * as vscode from 'vscode';

export function registerRuleDocs(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.window.registerUriHandler({
    async handleUri(uri: vscode.Uri): Promise<void> {
      const m = /^\/rule\/([a-z0-9-]+)$/.exec(uri.path);
      if (!m) return;
      const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${m[1]}.md`);
      try {
        await vscode.workspace.fs.stat(page);
      } catch {
        void vscode.window.showWarningMessage(`Dockwright has no documentation page for "${m[1]}".`);
        return;
      }
      await vscode.commands.executeCommand('markdown.showPreview', page);
    },
  });
}
