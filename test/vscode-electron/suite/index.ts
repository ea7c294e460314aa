/**
 * The integration suite, run inside VS Code's extension host by runTest.ts (@vscode/test-electron calls `run`).
 * No test framework: a few checks through the vscode API, each with a deadline, reported on the console.
 * The workspace is a copy of test/e2e/fixtures/workspace.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

const TIMEOUT_MS = 60_000;

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

const checks: [string, () => Promise<void>][] = [];
const check = (name: string, fn: () => Promise<void>) => checks.push([name, fn]);

const workspace = () => process.env.DOCKWRIGHT_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const doc = (rel: string) => vscode.workspace.openTextDocument(vscode.Uri.file(join(workspace(), rel)));

check('the extension activates on a Dockerfile', async () => {
  const ext = vscode.extensions.getExtension('dockwright.dockwright');
  assert.ok(ext, 'dockwright.dockwright is loaded');
  const d = await doc('diagnostics/Dockerfile');
  await vscode.window.showTextDocument(d);
  assert.equal(d.languageId, 'dockerfile');
  await until('activation', () => (ext.isActive ? true : undefined));
});

check('diagnostics: UnknownInstruction and JSONArgsRecommended', async () => {
  const d = await doc('diagnostics/Dockerfile');
  await vscode.window.showTextDocument(d);
  const diags = await until('the diagnostics', () => {
    const ds = vscode.languages.getDiagnostics(d.uri);
    const codes = ds.map(codeOf);
    return codes.includes('UnknownInstruction') && codes.includes('JSONArgsRecommended') ? ds : undefined;
  });
  const unknown = diags.find((x) => codeOf(x) === 'UnknownInstruction')!;
  assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(unknown.range.start.line, 4);
  assert.equal(unknown.source, 'dockwright');
  const json = diags.find((x) => codeOf(x) === 'JSONArgsRecommended')!;
  assert.equal(json.range.start.line, 5);
});

check('hover on RUN shows its documentation', async () => {
  const d = await doc('diagnostics/Dockerfile');
  const hovers = await until('a hover', async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', d.uri, new vscode.Position(3, 1));
    return h && h.length > 0 ? h : undefined;
  });
  assert.match(hoverText(hovers), /RUN/);
});

check('completion after RUN --mount= offers type=', async () => {
  const d = await doc('completion/Dockerfile');
  const editor = await vscode.window.showTextDocument(d);
  const end = d.lineAt(d.lineCount - 1).range.end;
  await editor.edit((e) => e.insert(end, '\nRUN --mount='));
  const pos = d.lineAt(d.lineCount - 1).range.end;
  const list = await until('completions', async () => {
    const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', d.uri, pos, '=');
    return l && l.items.length > 0 ? l : undefined;
  });
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert.ok(labels.includes('type='), `labels: ${labels.join(', ')}`);
});

check('a quick fix rewrites CMD in JSON form', async () => {
  const d = await doc('quickfix/Dockerfile');
  await vscode.window.showTextDocument(d);
  const diag = await until('JSONArgsRecommended', () => vscode.languages.getDiagnostics(d.uri).find((x) => codeOf(x) === 'JSONArgsRecommended'));
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', d.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => /^Rewrite as CMD \[/.test(a.title));
  assert.ok(fix?.edit, `a rewrite among: ${actions.map((a) => a.title).join(', ')}`);
  await vscode.workspace.applyEdit(fix.edit);
  assert.match(d.getText(), /CMD \["echo", "hello"/);
  await until('the problem to clear', () => (vscode.languages.getDiagnostics(d.uri).some((x) => codeOf(x) === 'JSONArgsRecommended') ? undefined : true));
});

/** Called by @vscode/test-electron inside the extension host; rejects when a check fails. */
export async function run(): Promise<void> {
  const failed: string[] = [];
  for (const [name, fn] of checks) {
    const t0 = Date.now();
    try {
      await fn();
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed.push(name);
      console.error(`FAIL ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  if (failed.length > 0) throw new Error(`${failed.length} of ${checks.length} checks failed: ${failed.join('; ')}`);
}
