/**
 * The real parts behind the end-to-end tests: the packaged .vsix, code-server 4.100.3 with that .vsix installed
 * (separate user-data and extensions folders), Debian's Chromium driven by playwright-core, and a Docker engine.
 * Everything is started here and stopped by `Session.close()`; nothing is left running.
 *
 * Environment:
 *   DOCKWRIGHT_CODE_SERVER   path of a code-server binary (default: scripts/env/code-server.sh installs/prints it)
 *   DOCKWRIGHT_CHROMIUM      browser executable (default /usr/bin/chromium)
 *   DOCKWRIGHT_E2E_HEADED=1  show the browser (needs a display)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = join(__dirname, '..', '..');
export const outputRoot = join(repoRoot, 'test-output');
/** The client that matches dockerd 20.10 and has BuildKit (see shared/docs/environment.md). */
export const DOCKER = '/usr/bin/docker';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Runs a command to completion; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): string {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
    encoding: 'utf8',
    input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// The packaged extension

/** Newest modification time (ms) of a file or of the files below a folder. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** What goes into the .vsix: when any of it is newer than dockwright.vsix, the package is rebuilt. */
const VSIX_INPUTS = ['client/src', 'server/src', 'syntaxes', 'docs/rules', 'package.json', 'esbuild.mjs', '.vscodeignore', 'README.md', 'LICENSE', 'CHANGELOG.md'];

/** dockwright.vsix, built with `npm run package` (production bundles + vsce) when missing or stale. */
export function packagedVsix(): { path: string; rebuilt: boolean; seconds: number } {
  const vsix = join(repoRoot, 'dockwright.vsix');
  const inputs = Math.max(...VSIX_INPUTS.map((p) => newestMtime(join(repoRoot, p))));
  if (existsSync(vsix) && statSync(vsix).mtimeMs >= inputs) return { path: vsix, rebuilt: false, seconds: 0 };
  const t0 = Date.now();
  run('npm', ['run', 'package'], { timeoutMs: 300_000 });
  if (!existsSync(vsix)) throw new Error('npm run package did not write dockwright.vsix');
  return { path: vsix, rebuilt: true, seconds: (Date.now() - t0) / 1000 };
}

/** The `contributes.commands` of the installed (packaged) extension. */
export function installedCommands(extensionsDir: string): { command: string; title: string; category?: string }[] {
  const dir = readdirSync(extensionsDir).find((d) => d.startsWith('dockwright.dockwright-'));
  if (!dir) throw new Error(`the Dockwright extension is not installed in ${extensionsDir}`);
  const manifest = JSON.parse(readFileSync(join(extensionsDir, dir, 'package.json'), 'utf8'));
  return manifest.contributes?.commands ?? [];
}

// ---------------------------------------------------------------------------------------------
// code-server

/** The code-server binary: $DOCKWRIGHT_CODE_SERVER, else what scripts/env/code-server.sh installs (cached). */
export function codeServerBinary(): string {
  const fromEnv = process.env.DOCKWRIGHT_CODE_SERVER;
  if (fromEnv) return fromEnv;
  const out = run('bash', [join(repoRoot, 'scripts/env/code-server.sh')], { timeoutMs: 1_800_000 });
  const bin = out.trim().split('\n').pop()!;
  if (!existsSync(bin)) throw new Error(`scripts/env/code-server.sh printed ${bin}, which does not exist`);
  return bin;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Settings of the test profile: no welcome page, no network features, the bundled size table only. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'security.workspace.trust.enabled': false,
  'editor.inlayHints.enabled': 'on',
  'editor.lightbulb.enabled': 'on',
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
  // Registries cannot be reached here: the size hints come from the bundled table, deterministically.
  'dockwright.images.online': false,
};

async function waitForHttp(url: string, timeoutMs: number, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode} before answering; log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250)); // polling interval of a readiness probe
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

export interface Session {
  readonly workspace: string;
  readonly dir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly url: string;
  readonly browser: Browser;
  readonly page: Page;
  readonly timings: Record<string, number>;
  /** Saves a screenshot and the logs under test-output/<name>/. Never throws. */
  saveArtifacts(name: string, error?: unknown): Promise<string>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Folder copied into a temp dir and opened as the workspace. */
  fixture: string;
  /** Files of the copy to rewrite before it opens (path relative to the workspace -> transform). */
  rewrite?: Record<string, (text: string) => string>;
  /** Files to add to the copy (path relative to the workspace -> content), e.g. generated data. */
  add?: Record<string, string | Buffer>;
}

/** Kills a process group we started (detached spawn): SIGTERM, then SIGKILL after a grace period. */
async function killGroup(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Children that ignored SIGTERM (extension host, language server) share the group.
  signal('SIGKILL');
}

export async function startSession(opts: SessionOptions): Promise<Session> {
  const timings: Record<string, number> = {};
  const mark = (k: string, t0: number) => (timings[k] = Math.round((Date.now() - t0) / 100) / 10);
  let t = Date.now();
  const vsix = packagedVsix();
  mark(vsix.rebuilt ? 'package' : 'package (up to date)', t);
  t = Date.now();
  const bin = codeServerBinary();
  mark('code-server install check', t);

  const dir = mkdtempSync(join(tmpdir(), 'dockwright-e2e-'));
  const workspace = join(dir, 'workspace');
  cpSync(opts.fixture, workspace, { recursive: true });
  for (const [rel, fn] of Object.entries(opts.rewrite ?? {})) {
    const p = join(workspace, rel);
    writeFileSync(p, fn(readFileSync(p, 'utf8')));
  }
  for (const [rel, content] of Object.entries(opts.add ?? {})) {
    mkdirSync(join(workspace, rel, '..'), { recursive: true });
    writeFileSync(join(workspace, rel), content);
  }
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  // The docker client that matches dockerd 20.10 and has BuildKit; the newer one first on PATH (/usr/local/bin)
  // has no buildx plugin. A setting, not PATH (the VS Code server re-reads PATH from the login shell); and a
  // Machine setting: code-server is a remote window, where machine-scoped settings in User settings are ignored.
  if (existsSync(DOCKER)) {
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'dockwright.docker.path': DOCKER }, null, 2));
  }
  // A private image cache: sizes come from the bundled table (or the local engine), not from other runs.
  const env = { ...process.env, NODE_OPTIONS: '', DOCKWRIGHT_CACHE_DIR: join(dir, 'image-cache') };
  const common = ['--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--config', join(dir, 'code-server.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  t = Date.now();
  run(bin, [...common, '--install-extension', vsix.path], { env, timeoutMs: 180_000 });
  mark('install .vsix', t);

  t = Date.now();
  const port = await freePort();
  const logFile = join(dir, 'code-server.log');
  const fd = openSync(logFile, 'a');
  const proc = spawn(bin, [...common, '--bind-addr', `127.0.0.1:${port}`, workspace], { env, detached: true, stdio: ['ignore', fd, fd] });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  let browser: Browser | undefined;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, proc, logFile);
    mark('code-server listening', t);
    browser = await chromium.launch({
      executablePath: process.env.DOCKWRIGHT_CHROMIUM || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: process.env.DOCKWRIGHT_E2E_HEADED !== '1',
    });
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await killGroup(proc);
    throw e;
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });

  const session: Session = {
    workspace,
    dir,
    userDataDir,
    extensionsDir,
    url,
    browser,
    page,
    timings,
    async saveArtifacts(name: string, error?: unknown): Promise<string> {
      const out = join(outputRoot, slug(name));
      try {
        rmSync(out, { recursive: true, force: true });
        mkdirSync(out, { recursive: true });
        await page.screenshot({ path: join(out, 'screenshot.png') }).catch((e) => writeFileSync(join(out, 'screenshot-failed.txt'), String(e)));
        if (error !== undefined) writeFileSync(join(out, 'error.txt'), error instanceof Error ? `${error.stack ?? error.message}\n` : `${String(error)}\n`);
        writeFileSync(join(out, 'browser-console-errors.txt'), consoleErrors.join('\n'));
        copyLogs(userDataDir, logFile, out);
      } catch (e) {
        console.error(`could not save artifacts to ${out}: ${(e as Error).message}`);
      }
      return out;
    },
    async close(): Promise<void> {
      await browser!.close().catch(() => undefined);
      await killGroup(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}

export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test';
}

/** The Dockwright output channel's log of the session (the newest extension host's), or '' when not written yet. */
export function dockwrightLog(userDataDir: string): string {
  const newest = dockwrightLogFiles(userDataDir)[0];
  return newest ? readFileSync(newest, 'utf8') : '';
}

/** The Dockwright output channel's log files of the session, one per extension host, newest first. */
export function dockwrightLogFiles(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'Dockwright.log') found.push(p);
    }
  };
  walk(join(userDataDir, 'logs'));
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/**
 * Copies code-server's own log and the VS Code logs of the session: the extension host logs (exthost*.log, one
 * folder per extension host) and the Dockwright output channel (exthostN/dockwright.dockwright/Dockwright.log).
 */
function copyLogs(userDataDir: string, codeServerLog: string, out: string): void {
  if (existsSync(codeServerLog)) copyFileSync(codeServerLog, join(out, 'code-server.log'));
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.log')) {
        const dest = join(out, 'logs', relative(logs, p));
        mkdirSync(join(dest, '..'), { recursive: true });
        copyFileSync(p, dest);
      }
    }
  };
  walk(logs);
}

// ---------------------------------------------------------------------------------------------
// Docker

export interface Engine {
  /** Why there is no engine (the build steps are skipped with this reason), or undefined when it answers. */
  readonly unavailable?: string;
  stop(): void;
}

/**
 * A Docker engine for the build steps: the one already running (CI starts it with scripts/env/docker.sh), else
 * one started here with scripts/env/docker.sh (and stopped by `stop()`), with the local/busybox:1 base image.
 */
export function dockerEngine(): Engine {
  const answers = () => spawnSync(DOCKER, ['version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
  const state = mkdtempSync(join(tmpdir(), 'dockwright-e2e-docker-'));
  const env = { DOCKWRIGHT_STATE: state };
  try {
    // Starts dockerd only when none answers; always makes sure local/busybox:1 exists.
    run('bash', [join(repoRoot, 'scripts/env/docker.sh'), 'start'], { env, timeoutMs: 600_000 });
  } catch (e) {
    if (!answers()) return { unavailable: `no Docker engine: scripts/env/docker.sh start failed: ${(e as Error).message.slice(0, 500)}`, stop: () => rmSync(state, { recursive: true, force: true }) };
  }
  return {
    unavailable: answers() ? undefined : 'no Docker engine answers',
    stop: () => {
      spawnSync('bash', [join(repoRoot, 'scripts/env/docker.sh'), 'stop'], { env: { ...process.env, ...env }, stdio: 'ignore', timeout: 60_000 });
      rmSync(state, { recursive: true, force: true });
    },
  };
}
