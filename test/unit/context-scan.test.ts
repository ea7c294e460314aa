/**
 * The host's build-context scanner (server/src/host/context-scan.ts) on real folders: .dockerignore with
 * Docker's semantics (exceptions, `**`, root-only patterns, case, `<Dockerfile>.dockerignore`), excluded
 * folders not walked, the bounds and how truncation is reported, the async walk agreeing with the sync one,
 * incremental updates, and the pure index queries the rules use (core/features/context-files.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContextScanner, filesOf, ignoreRules, loadIgnoreRules, resolveContextDir, scanContext, scanContextSync } from '../../server/src/host/context-scan';
import { contextDirective, sourceMatchesPath, sourceTouchesFolder } from '../../server/src/core/features/context-files';
import { parse } from '../../server/src/core/syntax/parser';
import { writeContext } from '../support/context-fixture';

const TREE = {
  'Dockerfile': 'FROM alpine\n',
  'package.json': 40,
  'src/index.ts': 100,
  'src/lib/util.ts': 50,
  'src/lib/util.test.ts': 20,
  'debug.log': 10,
  'src/trace.log': 10,
  'docs/guide.md': 30,
  'docs/README.md': 25,
  'Build/out.bin': 5,
  'build/out.bin': 7,
  'node_modules/a/index.js': 300,
  'node_modules/b/index.js': 200,
  '.git/HEAD': 23,
  '.git/objects/aa/bb': 500,
};

function paths(root: string, ignore?: string): string[] {
  return scanContextSync(root, ignoreRules(ignore)).paths;
}

test('without a .dockerignore every file is sent, in code-unit order', () => {
  const root = writeContext(TREE);
  const w = scanContextSync(root, loadIgnoreRules(root, undefined));
  assert.equal(w.paths.length, Object.keys(TREE).length);
  assert.deepEqual(w.paths, [...w.paths].sort(), 'sorted without a final sort');
  assert.equal(w.truncated, undefined);
  const files = filesOf(w);
  assert.equal(files.totalBytes, Object.values(TREE).reduce<number>((n, v) => n + (typeof v === 'number' ? v : v.length), 0));
});

test('.dockerignore: exceptions, ** and root-only patterns, trailing slashes, case-sensitive', () => {
  const root = writeContext(TREE);
  const got = paths(root, ['# comment', '*.log', 'docs', '!docs/README.md', 'node_modules/', '**/*.test.ts', 'build', '.git'].join('\n'));
  assert.deepEqual(got, ['Build/out.bin', 'Dockerfile', 'docs/README.md', 'package.json', 'src/index.ts', 'src/lib/util.ts', 'src/trace.log']);
  // `*.log` is root-only (src/trace.log stays); `**/*.log` reaches every level.
  assert.ok(!paths(root, '**/*.log').some((p) => p.endsWith('.log')));
  // `build` does not exclude `Build`: Docker matches case-sensitively.
  assert.ok(paths(root, 'build').includes('Build/out.bin'));
});

test('excluded folders are not walked unless an exception may re-include something inside', () => {
  const root = writeContext(TREE);
  const w = scanContextSync(root, ignoreRules('node_modules\n.git\ndocs\n!docs/README.md\n'));
  const dirs = new Map(w.dirs.map((d) => [d.path, d.excluded]));
  assert.equal(dirs.get('node_modules'), true);
  assert.equal(dirs.get('.git'), true);
  assert.ok(!dirs.has('node_modules/a'), 'not descended');
  assert.equal(dirs.get('docs'), false, 'walked for the exception');
  const heavy = filesOf(w).heavyDirs();
  // `build` sits next to package.json: a build output, sent (1 file).
  assert.deepEqual(heavy.map((h) => [h.path, h.excluded, h.files]), [['.git', true, 0], ['build', false, 1], ['node_modules', true, 0]]);
});

test('<Dockerfile>.dockerignore wins over the context .dockerignore', () => {
  const root = writeContext({ ...TREE, '.dockerignore': 'src\n', 'app.Dockerfile': 'FROM alpine\n', 'app.Dockerfile.dockerignore': 'docs\n' });
  const own = loadIgnoreRules(root, join(root, 'app.Dockerfile'));
  assert.ok(own.file?.endsWith('app.Dockerfile.dockerignore'));
  assert.ok(own.isIgnored('docs/guide.md') && !own.isIgnored('src/index.ts'));
  const shared = loadIgnoreRules(root, join(root, 'Dockerfile'));
  assert.ok(shared.isIgnored('src/index.ts'));
});

test('symbolic links are sent as links, never followed', () => {
  const root = writeContext({ 'a/file.txt': 1000 });
  const outside = writeContext({ 'big/blob': 5000 });
  symlinkSync(join(outside, 'big'), join(root, 'linked'));
  const w = scanContextSync(root, ignoreRules(undefined));
  assert.ok(w.paths.includes('linked'));
  assert.ok(!w.paths.some((p) => p.startsWith('linked/')));
});

test('bounds: file count and time budget stop the walk and say so', () => {
  const tree: Record<string, number> = {};
  for (let i = 0; i < 300; i++) tree[`d${i % 10}/f${i}.txt`] = 1;
  const root = writeContext(tree);
  const byCount = scanContextSync(root, ignoreRules(undefined), { maxFiles: 120 });
  assert.equal(byCount.paths.length, 120);
  assert.deepEqual(byCount.truncated, { reason: 'files', limit: 120 });
  assert.equal(filesOf(byCount).truncated?.reason, 'files');
  const byTime = scanContextSync(root, ignoreRules(undefined), { timeBudgetMs: 0 });
  assert.equal(byTime.truncated?.reason, 'time');
  assert.ok(byTime.paths.length < 300);
});

test('the asynchronous walk finds what the synchronous one finds', async () => {
  const root = writeContext(TREE);
  const rules = ignoreRules('node_modules\n*.log\n');
  const s = scanContextSync(root, rules);
  for (const fsMode of ['adaptive', 'async'] as const) {
    const a = await scanContext(root, rules, { sliceMs: 0, statConcurrency: 3, fsMode });
    assert.deepEqual(a?.paths, s.paths, fsMode);
    assert.deepEqual(a?.sizes, s.sizes, fsMode);
  }
  assert.equal(await scanContext(root, rules, {}, () => true), undefined, 'cancelled');
});

test('index queries: COPY sources with wildcards, folders, totals, largest files', () => {
  const root = writeContext(TREE);
  const files = filesOf(scanContextSync(root, ignoreRules('.git\nnode_modules\n')));
  assert.equal(files.match('.').files, files.totalFiles);
  assert.equal(files.match('./src/').files, 4);
  assert.deepEqual(files.match('src').largest(2).map((f) => f.path), ['src/index.ts', 'src/lib/util.ts']);
  assert.equal(files.match('src/*.ts').files, 1);
  assert.equal(files.match('src/*').files, 4, 'src/lib matches src/* and is copied whole');
  assert.equal(files.match('*.json').bytes, 40);
  assert.equal(files.match('/package.json').files, 1, 'a leading slash is the context root');
  assert.equal(files.match('src/l?b/util.[a-z]s').files, 1);
  assert.equal(files.match('nothing').files, 0);
  assert.ok(files.has('src/lib/util.ts') && !files.has('src/lib'));
  assert.ok(files.hasDir('src/lib') && !files.hasDir('src/index.ts'));
  assert.deepEqual(files.find('.', '*.ts', ['lib']), ['src/index.ts']);
});

test('heavy folders: outermost only, with their counts, and build outputs next to their manifest', () => {
  const root = writeContext({
    'package.json': 10,
    'dist/app.js': 100,
    'packages/a/node_modules/x/index.js': 40,
    'node_modules/y/index.js': 60,
    'node_modules/y/node_modules/z/index.js': 30,
    'svc/build/tool.go': 5,
    'py/.venv/pyvenv.cfg': 1,
    'py/env/pyvenv.cfg': 1,
    'py/pkg/__pycache__/m.pyc': 8,
  });
  const heavy = filesOf(scanContextSync(root, ignoreRules(undefined))).heavyDirs();
  assert.deepEqual(
    heavy.map((h) => `${h.path}:${h.kind}:${h.files}:${h.bytes}:${h.pattern}`),
    ['dist:build-output:1:100:dist', 'node_modules:dependencies:2:90:node_modules', 'packages/a/node_modules:dependencies:1:40:**/node_modules', 'py/.venv:virtualenv:1:1:**/.venv', 'py/env:virtualenv:1:1:**/env', 'py/pkg/__pycache__:cache:1:8:**/__pycache__'],
  );
});

test('the context folder: comment override, setting, the Dockerfile folder', () => {
  const df = join('/work', 'repo', 'services', 'api', 'Dockerfile');
  assert.deepEqual(resolveContextDir(df, 'FROM alpine\n'), { dir: join('/work', 'repo', 'services', 'api'), origin: 'dockerfile' });
  assert.deepEqual(resolveContextDir(df, '# dockwright context=../..\nFROM alpine\n', 'ignored'), { dir: join('/work', 'repo'), origin: 'comment' });
  assert.deepEqual(resolveContextDir(df, 'FROM alpine\n', 'services', '/work/repo'), { dir: join('/work', 'repo', 'services'), origin: 'setting' });
  assert.deepEqual(resolveContextDir(df, 'FROM alpine\n', '${workspaceFolder}/ctx', '/work/repo'), { dir: join('/work', 'repo', 'ctx'), origin: 'setting' });
  assert.deepEqual(resolveContextDir(df, 'FROM alpine\n', '/abs/ctx', '/work/repo'), { dir: join('/abs', 'ctx'), origin: 'setting' });
  const ast = parse('# dockwright context=..\nFROM alpine\n');
  assert.equal(contextDirective(ast)?.value, '..');
});

test('single-path matching for the cache map', () => {
  assert.ok(sourceMatchesPath('.', 'a/b.txt'));
  assert.ok(sourceMatchesPath('src/', 'src/a/b.ts'));
  assert.ok(!sourceMatchesPath('src', 'srcx/a.ts'));
  assert.ok(sourceMatchesPath('*.json', 'package.json'));
  assert.ok(!sourceMatchesPath('*.json', 'a/package.json'));
  assert.ok(sourceMatchesPath('src/*', 'src/lib/a.ts'));
  assert.ok(sourceTouchesFolder('src/app.js', 'src'));
  assert.ok(!sourceTouchesFolder('lib/app.js', 'src'));
});

test('the scanner: cached, patched on change events, rescanned when .dockerignore changes', async () => {
  const root = writeContext({ 'Dockerfile': 'FROM alpine\n', 'a.txt': 10, 'sub/b.txt': 20, '.dockerignore': 'secret\n' });
  const scanner = new ContextScanner({ watch: 'none', debounceMs: 5 });
  let updates = 0;
  scanner.onDidUpdate(() => updates++);
  const df = join(root, 'Dockerfile');
  const first = scanner.contextFor(df, '');
  assert.equal(first.files, undefined, 'the first call does not wait for the scan');
  assert.equal(first.hasDockerignore, true);
  let files = await scanner.ready(df, '');
  assert.equal(files?.totalFiles, 4);
  assert.equal(scanner.contextFor(df, '').files, files, 'cached');

  writeFileSync(join(root, 'c.txt'), 'x'.repeat(30));
  mkdirSync(join(root, 'newdir/deep'), { recursive: true });
  writeFileSync(join(root, 'newdir/deep/d.txt'), 'x'.repeat(40));
  writeFileSync(join(root, 'secret'), 'x');
  rmSync(join(root, 'sub'), { recursive: true });
  for (const p of ['c.txt', 'newdir', 'secret', 'sub']) scanner.fileChanged(join(root, p));
  files = await scanner.ready(df, '');
  assert.deepEqual([...(files ? [files.has('c.txt'), files.has('newdir/deep/d.txt'), files.has('secret'), files.hasDir('sub')] : [])], [true, true, false, false]);
  // a.txt, Dockerfile, .dockerignore (sent too), c.txt, newdir/deep/d.txt.
  assert.equal(files?.totalBytes, 10 + 12 + 7 + 30 + 40);

  writeFileSync(join(root, '.dockerignore'), 'secret\nnewdir\n');
  scanner.fileChanged(join(root, '.dockerignore'));
  files = await scanner.ready(df, '');
  assert.ok(files && !files.hasDir('newdir'), 'rescanned with the new rules');
  unlinkSync(join(root, 'c.txt'));
  scanner.fileChanged(join(root, 'c.txt'));
  files = await scanner.ready(df, '');
  assert.ok(files && !files.has('c.txt'));
  assert.ok(updates >= 3);
  scanner.dispose();
});

test('the scanner keeps a context while an open document uses it, and only a few idle ones after', () => {
  const roots = Array.from({ length: 5 }, () => writeContext({ 'Dockerfile': 'FROM alpine\n', 'a.txt': 1 }));
  const scanner = new ContextScanner({ watch: 'none', maxIdleContexts: 1 });
  const users = roots.map((r, i) => ({ df: join(r, 'Dockerfile'), uri: `doc-${i}` }));
  for (const u of users) scanner.contextFor(u.df, '', undefined, undefined, u.uri);
  assert.deepEqual(scanner.size(), { contexts: 5, users: 5 }, 'every open document holds its context');
  for (const u of users.slice(0, 3)) scanner.release(u.uri);
  assert.deepEqual(scanner.size(), { contexts: 3, users: 2 }, 'two held, one idle kept');
  // A document that moves to another context (a `# dockwright context=` comment) leaves the old one idle.
  scanner.contextFor(users[3].df, `# dockwright context=${roots[0]}\nFROM alpine\n`, undefined, undefined, users[3].uri);
  assert.equal(scanner.size().users, 2);
  assert.ok(scanner.size().contexts <= 3, JSON.stringify(scanner.size()));
  for (const u of users) scanner.release(u.uri);
  assert.deepEqual(scanner.size(), { contexts: 1, users: 0 }, 'once every document closed, only the idle limit remains');
  scanner.dispose();
});
