/**
 * The docker CLI, run the way the user runs it (so contexts, DOCKER_HOST and buildx builders apply):
 * - always an argument array, never a shell: a tag or build argument holding `$(...)`, `;` or quotes reaches
 *   docker as one literal argument;
 * - every short command has a deadline and a bounded output; long ones (build, save) run in their own process
 *   group so that cancelling stops the whole tree;
 * - failures become one `DockerFault` with a next step (docker missing, daemon down, socket permission, image
 *   not found, deadline), never a stack trace.
 *
 * Must not: depend on VS Code; pull, push or delete anything on its own.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export type FaultKind = 'not-installed' | 'daemon-down' | 'permission' | 'not-found' | 'timeout' | 'cancelled' | 'failed';

/** A docker failure as the user should read it. */
export interface DockerFault {
  readonly kind: FaultKind;
  /** One sentence: what went wrong. */
  readonly message: string;
  /** What to do about it. */
  readonly nextStep: string;
  /** The CLI's own words (first lines of stderr), for the log. */
  readonly detail?: string;
}

export class DockerError extends Error {
  constructor(readonly fault: DockerFault) {
    super(`${fault.message} ${fault.nextStep}`.trim());
    this.name = 'DockerError';
  }
}

export interface DockerRunOptions {
  /** The executable (`docker`, found on PATH, or a full path). */
  readonly dockerPath: string;
  /** Deadline; the process is killed after it. Default 30 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Output kept per stream; the rest is dropped (the result says so). Default 32 MiB. */
  readonly maxOutputBytes?: number;
}

export interface DockerResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;

function firstLines(s: string, n = 3): string {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, n).join(' / ');
}

/** The fault for a spawn error (ENOENT, EACCES) of the docker executable. */
export function spawnFault(err: NodeJS.ErrnoException, dockerPath: string): DockerFault {
  if (err.code === 'ENOENT') {
    return {
      kind: 'not-installed',
      message: `The docker CLI was not found ('${dockerPath}').`,
      nextStep: 'Install Docker (Docker Desktop or Docker Engine), or set "dockwright.docker.path" to the docker executable.',
      detail: err.message,
    };
  }
  if (err.code === 'EACCES') {
    return {
      kind: 'not-installed',
      message: `'${dockerPath}' cannot be run (permission denied).`,
      nextStep: 'Check that "dockwright.docker.path" points to the docker executable and that it is executable.',
      detail: err.message,
    };
  }
  return { kind: 'failed', message: `Running '${dockerPath}' failed: ${err.message}`, nextStep: 'Check the docker installation.', detail: err.message };
}

/** Classifies a failed docker command by what it wrote to stderr. */
export function classifyFailure(stderr: string, what = 'The docker command'): DockerFault {
  const detail = firstLines(stderr);
  const s = stderr;
  if (/permission denied while trying to connect to the docker (daemon|API)|dial unix .*docker\.sock: connect: permission denied/i.test(s)) {
    return {
      kind: 'permission',
      message: 'Permission denied on the Docker socket.',
      nextStep: process.platform === 'linux' ? 'Add your user to the "docker" group (sudo usermod -aG docker $USER), then log out and in again, or use rootless Docker.' : 'Make sure your user may use Docker (Docker Desktop running under your account).',
      detail,
    };
  }
  if (/Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker daemon is not running|connection refused|failed to connect to the docker API|The system cannot find the file specified.*docker_engine/i.test(s)) {
    return {
      kind: 'daemon-down',
      message: 'The Docker daemon is not running (or DOCKER_HOST / the docker context points to one that does not answer).',
      nextStep: 'Start Docker (Docker Desktop, or "sudo systemctl start docker"), or check "docker context ls".',
      detail,
    };
  }
  if (/No such image|No such object|reference does not exist|not found: manifest unknown|image .* not found|repository .* not found/i.test(s)) {
    return { kind: 'not-found', message: 'The image does not exist in the local engine.', nextStep: 'Pick another image ("docker image ls"), or build it first.', detail };
  }
  return { kind: 'failed', message: `${what} failed${detail ? `: ${detail}` : '.'}`, nextStep: 'See the Dockwright output for details.', detail };
}

export function timeoutFault(args: readonly string[], ms: number): DockerFault {
  return {
    kind: 'timeout',
    message: `'docker ${args.slice(0, 2).join(' ')}' did not answer within ${Math.round(ms / 1000)} s.`,
    nextStep: 'Check that the Docker daemon is responsive ("docker info"), or raise "dockwright.docker.timeoutSeconds".',
  };
}

export const CANCELLED_FAULT: DockerFault = { kind: 'cancelled', message: 'Cancelled.', nextStep: '' };

/**
 * Starts docker with `args` in its own process group (POSIX), so `killTree` stops it and its children.
 * The caller owns the streams. Spawn errors arrive as the child's 'error' event.
 */
export function spawnDocker(args: readonly string[], options: DockerRunOptions & { stdio?: SpawnOptions['stdio'] }): ChildProcess {
  return spawn(options.dockerPath, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
    shell: false,
  });
}

/**
 * Stops a process and everything it started: SIGTERM to its group, SIGKILL after `graceMs`; on Windows
 * `taskkill /T /F`. Resolves when it has exited (or at once when it already had).
 */
export function killTree(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(hard);
      clearTimeout(giveUp);
      resolve();
    };
    child.once('exit', finish);
    const signal = (sig: NodeJS.Signals) => {
      if (process.platform === 'win32') {
        spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
        return;
      }
      try {
        process.kill(-pid, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // already gone
        }
      }
    };
    signal('SIGTERM');
    const hard = setTimeout(() => signal('SIGKILL'), graceMs);
    const giveUp = setTimeout(finish, graceMs + 3000);
  });
}

/**
 * Runs a short docker command to completion. Resolves with the exit code and output (non-zero codes are not
 * errors here); rejects with a `DockerError` when docker cannot be started, the deadline passes or the signal
 * aborts.
 */
export function runDocker(args: readonly string[], options: DockerRunOptions): Promise<DockerResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DockerError(CANCELLED_FAULT));
      return;
    }
    const child = spawnDocker(args, options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    child.stdout!.on('data', (d: Buffer) => {
      if (outBytes + d.length > max) {
        truncated = true;
        d = d.subarray(0, Math.max(0, max - outBytes));
      }
      outBytes += d.length;
      if (d.length) out.push(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (errBytes < max) {
        err.push(d.subarray(0, max - errBytes));
        errBytes += d.length;
      }
    });
    const timer = setTimeout(() => {
      void killTree(child, 500);
      settle(() => reject(new DockerError(timeoutFault(args, timeoutMs))));
    }, timeoutMs);
    const onAbort = () => {
      void killTree(child, 500);
      settle(() => reject(new DockerError(CANCELLED_FAULT)));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => settle(() => reject(new DockerError(spawnFault(e, options.dockerPath)))));
    child.on('close', (code) => {
      settle(() => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated }));
    });
  });
}

/** Like `runDocker`, but a non-zero exit becomes a classified `DockerError`. Returns stdout. */
export async function docker(args: readonly string[], options: DockerRunOptions, what?: string): Promise<string> {
  const r = await runDocker(args, options);
  if (r.code !== 0) throw new DockerError(classifyFailure(r.stderr || r.stdout, what ?? `'docker ${args.slice(0, 2).join(' ')}'`));
  return r.stdout;
}

/** The fault of any error thrown by this module (or an unexpected one, worded for the user). */
export function faultOf(e: unknown): DockerFault {
  if (e instanceof DockerError) return e.fault;
  const msg = e instanceof Error ? e.message : String(e);
  return { kind: 'failed', message: msg, nextStep: 'See the Dockwright output for details.' };
}

export type Builder = 'buildx' | 'buildkit' | 'classic';

export interface EngineInfo {
  readonly clientVersion: string;
  readonly serverVersion: string;
  readonly os: string;
  readonly arch: string;
  /** `docker buildx` is installed. */
  readonly buildx: boolean;
  /** How builds should run: `docker buildx build --load`, `DOCKER_BUILDKIT=1 docker build`, or the classic builder. */
  readonly builder: Builder;
}

function major(v: string): number {
  const m = /^(\d+)\./.exec(v);
  return m ? Number(m[1]) : 0;
}

/**
 * Asks the engine what it is and which builder to use: buildx when the plugin exists; the CLI's built-in
 * BuildKit client (`DOCKER_BUILDKIT=1`, docker < 23) when the daemon has BuildKit (18.09+, Linux); else classic.
 * Throws a `DockerError` when docker is missing or the daemon does not answer.
 */
export async function probeEngine(options: DockerRunOptions, preference: 'auto' | 'buildkit' | 'classic' = 'auto'): Promise<EngineInfo> {
  const r = await runDocker(['version', '--format', '{{json .}}'], { ...options, timeoutMs: options.timeoutMs ?? 15_000 });
  let v: { Client?: { Version?: string }; Server?: { Version?: string; Os?: string; Arch?: string } | null } = {};
  try {
    v = JSON.parse(r.stdout.trim().split('\n').find((l) => l.startsWith('{')) ?? '{}') as typeof v;
  } catch {
    // fall through to the checks below
  }
  if (r.code !== 0 || !v.Server) throw new DockerError(classifyFailure(r.stderr || 'Cannot connect to the Docker daemon', 'docker version'));
  const clientVersion = v.Client?.Version ?? '';
  const serverVersion = v.Server.Version ?? '';
  const os = v.Server.Os ?? '';
  const bx = await runDocker(['buildx', 'version'], { ...options, timeoutMs: 10_000 }).catch(() => undefined);
  const buildx = bx?.code === 0;
  const daemonHasBuildKit = os === 'linux' && (major(serverVersion) > 18 || /^18\.(09|1\d)/.test(serverVersion));
  const envSays = (options.env ?? process.env).DOCKER_BUILDKIT;
  let builder: Builder;
  if (preference === 'classic' || (preference === 'auto' && envSays === '0')) builder = 'classic';
  else if (buildx) builder = 'buildx';
  else if (daemonHasBuildKit && major(clientVersion) < 23) builder = 'buildkit';
  else builder = 'classic';
  return { clientVersion, serverVersion, os, arch: v.Server.Arch ?? '', buildx, builder };
}
