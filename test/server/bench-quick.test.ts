/**
 * The benchmark in its quick mode (as CI runs it): it must run both servers to the end and report every
 * section. It proves the benchmark works; it asserts no timings (those are read from its output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lsp-client';

const KINDS = ['open→diagnostics', 'edit→diagnostics', 'completion', 'hover', 'semanticTokens', 'documentSymbol', 'formatting'];

test('bench/lsp-bench.ts --quick runs Dockwright and the reference server and reports every section', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-bench-test-'));
  try {
    const out = join(dir, 'quick.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'lsp-bench.ts'), '--quick', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 580_000 });
    assert.equal(r.status, 0, `benchmark failed:\n${r.stdout}\n${r.stderr}`);
    // The printed table is what people read: both servers, every request kind, the ratios.
    assert.match(r.stdout, /Per request on \d+ typical files/);
    for (const k of KINDS) assert.match(r.stdout, new RegExp(`^${k}\\s+[\\d.]+`, 'm'), `row ${k}`);
    assert.match(r.stdout, /Memory \(resident MB\)/);
    assert.match(r.stdout, /CLI: \d+ files, \d+ files\/s/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as {
      quick: boolean;
      typical: Record<string, Record<string, { n: number; median: number }>>;
      scaling: Record<string, Record<string, Record<string, number>>>;
      memory: Record<string, { afterInit: number; after1000: number }>;
      cli: { filesPerSecond: number; coldStartMs: number };
    };
    assert.equal(json.quick, true);
    for (const server of ['dockwright', 'reference']) {
      for (const k of KINDS) {
        const st = json.typical[server][k];
        assert.ok(st.n > 0 && Number.isFinite(st.median), `${server} ${k}: ${JSON.stringify(st)}`);
      }
      assert.deepEqual(Object.keys(json.scaling[server]), ['250', '1000']);
      assert.ok(Number.isFinite(json.scaling[server]['1000']['open→diagnostics']), `${server} scaling`);
      assert.ok(json.memory[server].afterInit > 0 && json.memory[server].after1000 > 0, `${server} memory`);
    }
    assert.ok(json.cli.filesPerSecond > 0 && json.cli.coldStartMs > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
