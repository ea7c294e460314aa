/** The npm package: `npm install` of the packed tarball gives a working `npx dockwright`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT } from '../support/lsp-client';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack + install: npx dockwright lints standard input', { timeout: 240_000 }, () => {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'dw-npm-'));
  try {
    const pack = spawnSync(npm, ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'a tarball was written');
    const list = spawnSync('tar', ['-tzf', join(dir, tarball!)], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(list.includes('package/server/dist/cli.js'), 'the CLI bundle is packed');
    assert.ok(!list.some((f) => f.includes('/src/') || f.endsWith('.ts') || f.includes('/test/')), 'no sources or tests');
    const project = join(dir, 'project');
    spawnSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
    const install = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--offline', join(dir, tarball!)], { cwd: project, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const run = spawnSync(npm, ['exec', '--offline', '--', 'dockwright', 'lint', '--format', 'json', '-'], {
      cwd: project,
      input: 'FROM alpine:3.20\nRUNN echo hi\n',
      encoding: 'utf8',
    });
    assert.equal(run.status, 1, run.stderr);
    const findings = JSON.parse(run.stdout) as { rule: string }[];
    assert.ok(findings.some((f) => f.rule === 'UnknownInstruction'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
