// Packages the extension the way `npm run package` does (production bundles + vsce) into a temp
// folder and checks what ends up in the .vsix. Run with `node test/run.mjs package`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const vsceBin = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
const STEP_TIMEOUT_MS = 240_000;

interface ZipEntry {
  name: string;
  size: number;
}

/** Lists a zip's entries from its central directory (no ZIP64: a .vsix this small never needs it). */
function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, `bad central directory header at ${p}`);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'], // vsce prompts on stdin for some warnings: make them fail, not hang
    timeout: STEP_TIMEOUT_MS,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const cmd = ['node', ...args].join(' ');
  assert.ifError(r.error);
  assert.equal(r.status, 0, `${cmd} failed (status ${r.status}, signal ${r.signal})\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

test('vsix package', { timeout: 2 * STEP_TIMEOUT_MS + 60_000 }, async (t) => {
  const missing = ['server/src/server.ts', 'server/src/cli.ts'].filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) {
    t.skip(`cannot bundle yet, missing: ${missing.join(', ')}`);
    return;
  }
  assert.ok(existsSync(vsceBin), `vsce not installed at ${vsceBin}`);

  const outDir = mkdtempSync(join(tmpdir(), 'dockwright-vsix-'));
  t.after(() => rmSync(outDir, { recursive: true, force: true }));
  const vsix = join(outDir, 'dockwright.vsix');

  run(['esbuild.mjs', '--production']);
  run([vsceBin, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix]);

  const entries = zipEntries(readFileSync(vsix));
  const names = new Set(entries.map((e) => e.name));
  const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/'));

  await t.test('contains the bundles, grammar and docs', () => {
    for (const f of [
      'extension/package.json',
      'extension/client/dist/extension.js',
      'extension/server/dist/server.js',
      'extension/server/dist/cli.js',
      'extension/syntaxes/dockerfile.tmLanguage.json',
    ]) {
      assert.ok(names.has(f), `${f} missing from the vsix; it has:\n${files.join('\n')}`);
    }
    // vsce lower-cases readme.md / changelog.md and stores an extension-less LICENSE as LICENSE.txt.
    for (const [doc, re] of [
      ['README.md', /^extension\/readme\.md$/i],
      ['CHANGELOG.md', /^extension\/changelog\.md$/i],
      ['LICENSE', /^extension\/license(\.txt)?$/i],
    ] as const) {
      assert.ok(files.some((n) => re.test(n)), `${doc} missing from the vsix; it has:\n${files.join('\n')}`);
    }
  });

  await t.test('contains every file package.json points at', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const referenced: string[] = [manifest.main];
    for (const g of manifest.contributes?.grammars ?? []) referenced.push(g.path);
    for (const l of manifest.contributes?.languages ?? []) if (l.configuration) referenced.push(l.configuration);
    if (manifest.icon) referenced.push(manifest.icon);
    for (const r of referenced) {
      const inVsix = 'extension/' + String(r).replace(/^\.\//, '');
      assert.ok(names.has(inVsix), `package.json references ${r} but ${inVsix} is not in the vsix`);
    }
  });

  await t.test('contains no sources, tests, dependencies or source maps', () => {
    const forbidden = files.filter(
      (n) =>
        /^extension\/(node_modules|test|server\/src|client\/src)\//.test(n) ||
        /\.ts$/.test(n) ||
        /\.map$/.test(n),
    );
    assert.deepEqual(forbidden, [], `unexpected files in the vsix:\n${forbidden.join('\n')}`);
  });

  await t.test('is smaller than 2 MB', () => {
    const size = statSync(vsix).size;
    assert.ok(size < MAX_VSIX_BYTES, `vsix is ${size} bytes (limit ${MAX_VSIX_BYTES})`);
  });
});
