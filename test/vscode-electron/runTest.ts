/**
 * Runs the extension's integration suite (suite/index.ts) in an Electron VS Code with @vscode/test-electron.
 * For machines that can download VS Code (or have one): see README.md next to this file.
 *
 *   npx tsx test/vscode-electron/runTest.ts
 *
 * VSCODE_EXECUTABLE  a local VS Code executable to use (no download), e.g. /usr/share/code/code
 * VSCODE_VERSION     the version to download when VSCODE_EXECUTABLE is not set (default: stable)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const root = resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (executable && !existsSync(executable)) {
    console.error(`VSCODE_EXECUTABLE=${executable} does not exist`);
    return 2;
  }
  // The extension as it ships: the production bundles in client/dist and server/dist.
  const b = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) return 1;

  const dir = mkdtempSync(join(tmpdir(), 'dockwright-electron-'));
  try {
    // The suite runs inside the extension host, which loads plain CommonJS: bundle it (vscode stays external).
    const suite = join(dir, 'suite', 'index.js');
    await build({ entryPoints: [join(__dirname, 'suite', 'index.ts')], outfile: suite, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
    const workspace = join(dir, 'workspace');
    cpSync(join(root, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
    await runTests({
      // Downloads are cached outside the repository.
      ...(executable ? { vscodeExecutablePath: executable } : { version: process.env.VSCODE_VERSION || 'stable', cachePath: join(homedir(), '.cache', 'dockwright', 'vscode-test') }),
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      extensionTestsEnv: { DOCKWRIGHT_TEST_WORKSPACE: workspace },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(dir, 'user-data')],
    });
    return 0;
  } catch (e) {
    console.error(`VS Code integration tests failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
