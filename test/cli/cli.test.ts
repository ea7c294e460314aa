/** The CLI as CI systems run it: exit codes, output formats, stdin, folders, configuration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT } from '../support/lsp-client';

function cli(args: string[], opts: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'cli.ts'), ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BROKEN = 'FROM alpine:3.20\nRUNN echo hi\n';
const CLEAN = 'FROM alpine:3.20\nRUN echo hi\n';

test('exit 1 when a finding reaches the threshold, 0 otherwise', () => {
  assert.equal(cli(['lint', '-'], { input: BROKEN }).code, 1);
  assert.equal(cli(['lint', '-'], { input: CLEAN }).code, 0);
  assert.equal(cli(['lint', '--failure-threshold', 'none', '-'], { input: BROKEN }).code, 0);
});

test('--format json prints exactly the documented keys, 1-based', () => {
  const r = cli(['lint', '--format', 'json', '-'], { input: BROKEN });
  const arr = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.ok(Array.isArray(arr) && arr.length > 0);
  const f = arr.find((x) => x.rule === 'UnknownInstruction')!;
  assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'equivalents', 'file', 'fixable', 'line', 'message', 'rule', 'severity']);
  assert.deepEqual({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }, { line: 2, column: 1, endLine: 2, endColumn: 5 });
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.equivalents, ['DL1000']);
  assert.equal(f.fixable, true);
  assert.equal(f.file, '-');
});

test('usage errors and unreadable input exit 2 with a clear message', () => {
  const bad = cli(['lint', '--format', 'xml', '-'], { input: CLEAN });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown format "xml"/);
  const missing = cli(['lint', 'no/such/Dockerfile']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
  assert.equal(cli(['frobnicate']).code, 2);
  assert.equal(cli(['lint', '--rule', 'NoSuchRule=off', '-'], { input: CLEAN }).code, 2);
});

test('folders are searched for Dockerfiles by name; config and --all apply', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-cli-'));
  try {
    mkdirSync(join(dir, 'svc'));
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), CLEAN);
    writeFileSync(join(dir, 'svc', 'api.Dockerfile'), BROKEN);
    writeFileSync(join(dir, 'svc', 'Containerfile.dev'), CLEAN);
    writeFileSync(join(dir, 'node_modules', 'x', 'Dockerfile'), BROKEN);
    writeFileSync(join(dir, 'README.md'), 'RUNN\n');
    const r = cli(['lint', '--format', 'json', dir]);
    const arr = JSON.parse(r.stdout) as { file: string; rule: string }[];
    const files = new Set(arr.map((f) => f.file.replace(/\\/g, '/')));
    assert.equal(r.code, 1);
    assert.ok([...files].every((f) => f.endsWith('svc/api.Dockerfile')), [...files].join(','));
    writeFileSync(join(dir, '.hadolint.yaml'), 'ignored: [DL1000]\n');
    const r2 = cli(['lint', '--format', 'json', dir]);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.ok(!(JSON.parse(r2.stdout) as { rule: string }[]).some((f) => f.rule === 'UnknownInstruction'));
    const r3 = cli(['lint', '--no-config', dir]);
    assert.equal(r3.code, 1);
    assert.match(r3.stdout, /api\.Dockerfile/);
    assert.match(r3.stdout, /Unknown instruction "RUNN"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--format sarif is SARIF 2.1.0 with rule metadata and locations', () => {
  const r = cli(['lint', '--format', 'sarif', '-'], { input: BROKEN });
  const s = JSON.parse(r.stdout);
  assert.equal(s.version, '2.1.0');
  const run = s.runs[0];
  assert.equal(run.tool.driver.name, 'Dockwright');
  const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'UnknownInstruction');
  assert.equal(res.level, 'error');
  assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'UnknownInstruction');
  assert.ok(run.tool.driver.rules[res.ruleIndex].fullDescription.text.length > 10);
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 5 });
});

test('--format checkstyle is XML with escaped messages', () => {
  const r = cli(['lint', '--format', 'checkstyle', '-'], { input: BROKEN });
  assert.match(r.stdout, /^<\?xml/);
  assert.match(r.stdout, /<error line="2" column="1" severity="error" message="Unknown instruction &quot;RUNN&quot;; did you mean RUN\?" source="dockwright.UnknownInstruction"\/>/);
});

test('rules lists every rule; --version prints the version', () => {
  const r = cli(['rules', '--format=json']);
  const rules = JSON.parse(r.stdout) as { id: string }[];
  assert.ok(rules.some((x) => x.id === 'UnknownInstruction'));
  assert.match(cli(['--version']).stdout, /^\d+\.\d+\.\d+/);
});
