/**
 * Settings are resource-scoped: they can differ per workspace folder, not per file. The server asks once per
 * folder (and once for files outside every folder), applies each folder's answer to its documents, and asks
 * again when the folders change.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, type Diag } from '../support/lsp-client';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const A = 'file:///tmp/dw-scope/a';
const B = 'file:///tmp/dw-scope/b';
const TEXT = 'FROM alpine:3.20\nRUNN echo hi\nCOPY --chmown=1:1 a /b\n';
const has = (d: Diag[], code: string) => d.some((x) => x.code === code);

test('settings are asked once per workspace folder and applied to that folder only', async () => {
  // As in VS Code, folder a's settings (its .vscode/settings.json) apply to its files while it is a workspace folder.
  let aIsFolder = true;
  const c = new LspClient({
    workspaceFolders: [
      { uri: A, name: 'a' },
      { uri: B, name: 'b' },
    ],
    // Folder a turns UnknownInstruction off; b and files outside the folders keep it.
    settings: (scope?: string) => (aIsFolder && scope?.startsWith(A + '/') ? { rules: { UnknownInstruction: 'off' } } : {}),
  });
  clients.push(c);
  await c.initialize();
  const inA = [`${A}/Dockerfile`, `${A}/svc/Dockerfile`, `${A}/svc/deep/Dockerfile.dev`];
  const inB = `${B}/Dockerfile`;
  const outside = 'file:///tmp/dw-scope/elsewhere/Dockerfile';
  for (const uri of [...inA, inB, outside]) await c.open(uri, TEXT);
  for (const uri of inA) assert.ok(!has(await c.waitForDiagnostics(uri, (d) => d.length > 0), 'UnknownInstruction'), `${uri}: folder a's setting applies`);
  assert.ok(has(await c.waitForDiagnostics(inB, (d) => has(d, 'UnknownInstruction')), 'UnknownInstruction'));
  assert.ok(has(await c.waitForDiagnostics(outside, (d) => has(d, 'UnknownInstruction')), 'UnknownInstruction'));
  const asked = c.configurationItems.filter((i) => i.section === 'dockwright');
  assert.equal(asked.length, 3, `one request per scope (a, b, outside), not per file: ${JSON.stringify(asked)}`);

  // Folder a leaves the workspace: its files now get the settings of files outside every folder.
  aIsFolder = false;
  await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: A, name: 'a' }] } });
  await c.change(inA[0], [{ text: TEXT + '# edited\n' }]);
  const after = await c.waitForDiagnostics(inA[0], (d) => has(d, 'UnknownInstruction'));
  assert.ok(has(after, 'UnknownInstruction'), 'the folder setting no longer applies');
});
