// Runs the node:test suites. `node test/run.mjs [group...]` where group is a folder under test/
// (unit, server, grammar, cli, e2e...). Without groups it runs every group but e2e.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test');
const groups = process.argv.slice(2);
const wanted = groups.length > 0 ? groups : readdirSync(testDir).filter((d) => statSync(join(testDir, d)).isDirectory() && d !== 'e2e' && d !== 'fixtures');

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'node_modules') collect(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = wanted.flatMap((g) => collect(join(testDir, g), [])).sort();
if (files.length === 0) {
  console.error(`no test files found in: ${wanted.join(', ')}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files.map((f) => relative(root, f))];
// Servers started by the tests keep their image cache in a fresh folder, not the user's home cache.
const cacheDir = process.env.DOCKWRIGHT_CACHE_DIR ?? mkdtempSync(join(tmpdir(), 'dockwright-test-cache-'));
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '', DOCKWRIGHT_CACHE_DIR: cacheDir } });
process.exit(r.status ?? 1);
