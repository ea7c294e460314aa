/** The language server over real JSON-RPC: diagnostics, edits, code actions, settings, configuration files. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { LspClient, type Diag } from '../support/lsp-client';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(opts: ConstructorParameters<typeof LspClient>[0] = {}): Promise<LspClient> {
  const c = new LspClient(opts);
  clients.push(c);
  await c.initialize();
  return c;
}

const codes = (d: Diag[]) => d.map((x) => x.code).sort();

test('push: opening a file publishes its findings with exact ranges and doc links', async () => {
  const c = await start();
  const uri = 'file:///tmp/push/Dockerfile';
  await c.open(uri, 'FROM alpine:3.20\nRUNN echo hi\nCOPY --chmown=1:1 a /b\n');
  const d = await c.waitForDiagnostics(uri, (d) => d.length >= 2);
  const unknown = d.find((x) => x.code === 'UnknownInstruction')!;
  assert.deepEqual(unknown.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
  assert.equal(unknown.severity, 1);
  assert.match(unknown.codeDescription!.href, /DL1000/);
  const flag = d.find((x) => x.code === 'InvalidFlag')!;
  assert.deepEqual(flag.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 13 } });
});

test('push: an incremental edit re-publishes for the new version', async () => {
  const c = await start();
  const uri = 'file:///tmp/edit/Dockerfile';
  await c.open(uri, 'FROM alpine:3.20\nRUNN echo hi\n');
  await c.waitForDiagnostics(uri, (d) => codes(d).includes('UnknownInstruction'));
  const v = await c.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } }, text: 'RUN' }]);
  const d = await c.waitForDiagnostics(uri, (_d, version) => version === v);
  assert.ok(!codes(d).includes('UnknownInstruction'), JSON.stringify(d));
});

test('pull: textDocument/diagnostic returns the findings', async () => {
  const c = await start({ pull: true });
  const uri = 'file:///tmp/pull/Dockerfile';
  await c.open(uri, 'FROM alpine:3.20\nRUNN echo hi\n');
  const d = await c.pullDiagnostics(uri);
  assert.ok(codes(d).includes('UnknownInstruction'));
  assert.deepEqual(await c.pullDiagnostics('file:///never/opened/Dockerfile'), []);
});

test('code actions: the fix repairs the text, and suppressions are offered', async () => {
  const c = await start();
  const uri = 'file:///tmp/fix/Dockerfile';
  const text = 'FROM alpine:3.20\nRUNN echo hi\n';
  await c.open(uri, text);
  const d = await c.waitForDiagnostics(uri, (d) => codes(d).includes('UnknownInstruction'));
  const diag = d.find((x) => x.code === 'UnknownInstruction')!;
  const actions = await c.request<{ title: string; isPreferred?: boolean; edit: { changes: Record<string, { range: Diag['range']; newText: string }[]> } }[]>(
    'textDocument/codeAction',
    { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } },
  );
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Change to RUN'), titles.join(', '));
  assert.ok(titles.some((t) => t.includes('Suppress UnknownInstruction for this instruction')));
  assert.ok(titles.some((t) => t.includes('Suppress UnknownInstruction in this file')));
  const fix = actions.find((a) => a.title === 'Change to RUN')!;
  assert.equal(fix.isPreferred, true);
  const edits = fix.edit.changes[uri];
  assert.equal(edits.length, 1);
  assert.equal(edits[0].newText, 'RUN');
  const v = await c.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
  const after2 = await c.waitForDiagnostics(uri, (_d, version) => version === v);
  assert.ok(!codes(after2).includes('UnknownInstruction'));
  const supp = actions.find((a) => a.title.includes('for this instruction'))!;
  const v2 = await c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }, text: 'FROM alpine:3.20\nRUNN echo hi\n' }]);
  await c.waitForDiagnostics(uri, (_d, version) => version === v2);
  const v3 = await c.change(uri, supp.edit.changes[uri].map((e) => ({ range: e.range, text: e.newText })));
  const after3 = await c.waitForDiagnostics(uri, (_d, version) => version === v3);
  assert.ok(!codes(after3).includes('UnknownInstruction'), JSON.stringify(after3));
});

test('settings: dockwright.rules turns a rule off per resource, and a change refreshes', async () => {
  const c = await start({ settings: { rules: { DL1000: 'off' } } });
  const uri = 'file:///tmp/settings/Dockerfile';
  await c.open(uri, 'FROM alpine:3.20\nRUNN echo hi\nCOPY --chmown=1:1 a /b\n');
  const d = await c.waitForDiagnostics(uri, (d) => d.length > 0);
  assert.ok(!codes(d).includes('UnknownInstruction'), 'turned off through its hadolint id');
  assert.ok(c.configurationRequests > 0);
  c.settings = { rules: { InvalidFlag: 'warning' } };
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const d2 = await c.waitForDiagnostics(uri, (d) => codes(d).includes('UnknownInstruction'));
  assert.equal(d2.find((x) => x.code === 'InvalidFlag')!.severity, 2);
});

test('.hadolint.yaml next to the Dockerfile is honoured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-hadolint-'));
  try {
    writeFileSync(join(dir, '.hadolint.yaml'), 'ignored:\n  - DL1000\noverride:\n  warning:\n    - InvalidFlag\n');
    const c = await start();
    const uri = pathToFileURL(join(dir, 'Dockerfile')).href;
    await c.open(uri, 'FROM alpine:3.20\nRUNN echo hi\nCOPY --chmown=1:1 a /b\n');
    const d = await c.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.ok(!codes(d).includes('UnknownInstruction'));
    assert.equal(d.find((x) => x.code === 'InvalidFlag')!.severity, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('robustness: binary input, unknown methods and unopened documents never break the server', async () => {
  const c = await start();
  const uri = 'file:///tmp/bin/Dockerfile';
  await c.open(uri, 'FROM \u0000\u0001\u0002 garbage\u0000');
  const d = await c.waitForDiagnostics(uri, (d) => d.length > 0);
  assert.match(d[0].message, /binary/);
  await assert.rejects(c.request('dockwright/noSuchMethod', {}), /Unhandled method|not found|MethodNotFound/i);
  const actions = await c.request('textDocument/codeAction', {
    textDocument: { uri: 'file:///nope/Dockerfile' },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [] },
  });
  assert.deepEqual(actions, []);
  // Still alive: a new document gets diagnostics.
  const uri2 = 'file:///tmp/bin/ok/Dockerfile';
  await c.open(uri2, 'RUNN x\n');
  await c.waitForDiagnostics(uri2, (d) => d.length > 0);
});
