// Language status item (shown in the status bar "{}" flyout while a Dockerfile is active).
import * as vscode from 'vscode';

export type ServerStatus =
  | { kind: 'starting' }
  | { kind: 'running'; version?: string }
  | { kind: 'restarting'; reason: string }
  | { kind: 'stopped'; error?: string };

export const RESTART_COMMAND = 'dockwright.restartServer';
export const SHOW_OUTPUT_COMMAND = 'dockwright.showOutput';

export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('dockwright.server', { language: 'dockerfile' });
    this.item.name = 'Dockwright Language Server';
    this.set({ kind: 'starting' });
  }

  set(status: ServerStatus): void {
    const item = this.item;
    item.command = { title: 'Restart', command: RESTART_COMMAND, tooltip: 'Restart the Dockwright language server' };
    switch (status.kind) {
      case 'starting':
        item.text = 'Dockwright: starting';
        item.detail = 'Language server is starting';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.busy = true;
        break;
      case 'running':
        item.text = 'Dockwright';
        item.detail = status.version ? `Language server ${status.version} running` : 'Language server running';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.busy = false;
        break;
      case 'restarting':
        item.text = 'Dockwright: restarting';
        item.detail = status.reason;
        item.severity = vscode.LanguageStatusSeverity.Warning;
        item.busy = true;
        break;
      case 'stopped':
        item.text = 'Dockwright: stopped';
        item.detail = status.error ?? 'Language server is not running';
        item.severity = status.error ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Warning;
        item.busy = false;
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
