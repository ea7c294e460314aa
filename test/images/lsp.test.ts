/**
 * Image intelligence through the real language server over JSON-RPC, against a real registry on 127.0.0.1
 * and the real dockerd: the size hints appear once the background lookups land (the server asks the
 * editor to refresh inlay hints), hover shows the digest and source, the pin-to-digest action rewrites the
 * reference, and tag completion offers the registry's tags.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../support/lsp-client';
import { formatBytes } from '../../server/src/core/features/image-info';
import { docker, getManifest, manifestSize, push, startDocker, startRegistry, type Registry } from './env';

type Pos = { line: number; character: number };
interface Hint {
  position: Pos;
  label: string;
  tooltip?: { value: string };
  data?: { image?: boolean };
}

let skip: string | undefined;
let registry: Registry | undefined;
let client: LspClient | undefined;
let cacheDir = '';
let refreshes = 0;
const wakers: (() => void)[] = [];

before(async () => {
  skip = startDocker();
  if (skip) return;
  const r = await startRegistry();
  if ('skip' in r) {
    skip = r.skip;
    return;
  }
  registry = r;
  push('local/busybox:1', `${r.addr}/busybox:1`);
  push('local/busybox:1', `${r.addr}/busybox:1.36`);
  cacheDir = mkdtempSync(join(tmpdir(), 'dw-images-lsp-'));
  process.env.DOCKWRIGHT_CACHE_DIR = cacheDir;
  const c = new LspClient({ settings: { images: { timeoutMs: 3000 } } });
  client = c;
  c.conn.onRequest('workspace/inlayHint/refresh', () => {
    refreshes++;
    for (const w of wakers.splice(0)) w();
    return null;
  });
  await c.request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true, inlayHint: { refreshSupport: true } },
      textDocument: {
        hover: { contentFormat: ['markdown'] },
        inlayHint: {},
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite'] } } },
        completion: { completionItem: { snippetSupport: true } },
      },
    },
  });
  await c.conn.sendNotification('initialized', {});
});

after(async () => {
  await client?.stop();
  registry?.stop();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

function realTest(name: string, fn: () => Promise<void>): void {
  test(name, async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    await fn();
  });
}

/** Waits for the next inlay hint refresh request (or the deadline). */
function nextRefresh(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    wakers.push(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function imageHints(uri: string): Promise<Hint[]> {
  const all = await client!.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } });
  return all.filter((h) => h.data?.image);
}

/** Asks for the hints after every refresh until `done` says they are complete. */
async function hintsWhen(uri: string, done: (h: Hint[]) => boolean, timeoutMs = 20_000): Promise<Hint[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await imageHints(uri);
    if (done(h)) return h;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`hints never completed: ${JSON.stringify(h.map((x) => x.label))}`);
    await nextRefresh(left);
  }
}

realTest('size hints appear when the background lookups land; hover, pin and tag completion follow', async () => {
  const addr = registry!.addr;
  const size = manifestSize((await getManifest(addr, 'busybox', '1')).json);
  const digest = (await getManifest(addr, 'busybox', '1')).digest;
  const localSize = Number(docker('image', 'inspect', '-f', '{{.Size}}', 'local/busybox:1').trim());
  const text = [
    `FROM ${addr}/busybox:1 AS base`,
    `FROM --platform=linux/arm64 ${addr}/busybox:1`,
    'FROM local/busybox:1',
    `COPY --from=${addr}/nothing:1 /a /b`,
    '',
  ].join('\n');
  const uri = 'file:///tmp/dw-images-lsp/Dockerfile';
  const before = refreshes;
  await client!.open(uri, text);
  const hints = await hintsWhen(uri, (h) => h.length === 4);
  assert.ok(refreshes > before, 'the server asked the editor to refresh the hints');
  assert.deepEqual(
    hints.map((h) => [h.position.line, h.label]),
    [
      [0, formatBytes(size)],
      [1, 'size unknown'],
      [2, `${formatBytes(localSize)} on disk`],
      [3, 'size unknown'],
    ],
  );
  assert.equal(hints[0].position.character, `FROM ${addr}/busybox:1`.length);
  assert.match(hints[0].tooltip!.value, new RegExp(`Source: registry \`${addr.replace(/\./g, '\\.')}\``));
  assert.match(hints[1].tooltip!.value, /only for linux\/amd64, not linux\/arm64\/v8/);
  assert.match(hints[2].tooltip!.value, /Source: local engine/);
  assert.match(hints[3].tooltip!.value, /answered 404/);

  const hover = await client!.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 8 } });
  assert.match(hover.contents.value, /\*\*Image\*\*/, "completion's own image hover is kept");
  assert.match(hover.contents.value, new RegExp(`Digest: \`${digest}\``));
  assert.match(hover.contents.value, /\*\*Size\*\* for `linux\/amd64`/);

  const actions = await client!.request<{ title: string; kind: string; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } },
    context: { diagnostics: [] },
  });
  const pin = actions.find((a) => a.title.startsWith('Pin '));
  assert.ok(pin, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(pin.kind, 'refactor.rewrite');
  assert.deepEqual(pin.edit.changes[uri].map((e) => e.newText), ['@' + digest]);

  // Tag completion: the first answer may be incomplete while the tag list is fetched.
  const line = `FROM ${addr}/busybox:`;
  const completionUri = 'file:///tmp/dw-images-lsp/tags/Dockerfile';
  await client!.open(completionUri, line + '\n');
  let labels: string[] = [];
  for (let i = 0; i < 50; i++) {
    const list = await client!.request<{ isIncomplete: boolean; items: { label: string; detail?: string }[] }>('textDocument/completion', {
      textDocument: { uri: completionUri },
      position: { line: 0, character: line.length },
      context: { triggerKind: 2, triggerCharacter: ':' },
    });
    labels = list.items.filter((x) => x.detail?.includes('(registry)')).map((x) => x.label);
    if (!list.isIncomplete && labels.length > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual([...labels].sort(), ['1', '1.36']);
});

realTest('image name completion: popular images, the bundled table and the local engine', async () => {
  const uri = 'file:///tmp/dw-images-lsp/names/Dockerfile';
  await client!.open(uri, 'FROM scratch AS first\nFROM \n');
  const list = await client!.request<{ items: { label: string; detail?: string }[] }>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 1, character: 5 },
    context: { triggerKind: 1 },
  });
  const by = new Map(list.items.map((x) => [x.label, x.detail]));
  assert.equal(by.get('local/busybox:1'), 'local engine');
  assert.ok(by.has('python') && by.has('gcr.io/distroless/static-debian12') && by.has('mcr.microsoft.com/dotnet/aspnet'));
  assert.ok(by.has('first'), 'earlier stages');
});

realTest('untrusted workspace: nothing is looked up, the hint says why, the bundled table still answers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-images-lsp-untrusted-'));
  process.env.DOCKWRIGHT_CACHE_DIR = dir;
  const c = new LspClient({ initializationOptions: { workspaceTrusted: false } });
  try {
    await c.initialize();
    const uri = 'file:///tmp/dw-images-lsp/untrusted/Dockerfile';
    await c.open(uri, `FROM ${registry!.addr}/busybox:1.36\nFROM local/busybox:1\nFROM python:3.12-slim\n`);
    let hints: Hint[] = [];
    for (let i = 0; i < 50; i++) {
      hints = (await c.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } })).filter((h) => h.data?.image);
      if (hints.length === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(hints.map((h) => h.label), ['size unknown', 'size unknown', '≈42 MB']);
    assert.match(hints[0].tooltip!.value, /not trusted/);
    assert.match(hints[2].tooltip!.value, /bundled table/);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

realTest('reopening the file answers from memory: hints at once, no new lookup', async () => {
  const addr = registry!.addr;
  const uri = 'file:///tmp/dw-images-lsp/again/Dockerfile';
  await client!.open(uri, `FROM ${addr}/busybox:1\n`);
  // The very first answer already has the figure: no lookup, no refresh needed.
  const hints = await imageHints(uri);
  assert.equal(hints.length, 1);
  assert.match(hints[0].label, /^[\d.]+ (kB|MB)$/);
});
