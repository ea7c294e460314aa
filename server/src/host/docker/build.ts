/**
 * Runs one image build through the docker CLI: the argument list (never a shell), the builder's environment,
 * streaming output to the caller and to the progress parser, the image id from `--iidfile`, cancellation of
 * the whole process tree. Used by the Build Image command and the `dockwright-build` task (client), and by
 * the tests against a real engine.
 *
 * Must not: depend on VS Code; hold the whole output in memory (the caller decides what to keep).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { classifyFailure, killTree, spawnDocker, spawnFault, type Builder, type DockerFault } from './cli';
import { BuildOutputParser, type BuildFailure, type BuildProgress } from './progress';

/** Label put on images built by Dockwright: a hash of the Dockerfile's path, to find them again. */
export const DOCKERFILE_LABEL = 'dev.dockwright.dockerfile';
/** Label holding the `--target` an image was built with. */
export const TARGET_LABEL = 'dev.dockwright.target';

/** The value of `DOCKERFILE_LABEL` for a Dockerfile: a short hash of its absolute path (the path itself is not leaked). */
export function dockerfileLabelValue(dockerfilePath: string): string {
  let p = resolve(dockerfilePath);
  if (process.platform === 'win32' || process.platform === 'darwin') p = p.toLowerCase();
  return createHash('sha256').update(p).digest('hex').slice(0, 16);
}

export interface BuildRequest {
  readonly dockerPath: string;
  readonly builder: Builder;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  /** The build context folder. */
  readonly context: string;
  readonly tag?: string;
  readonly target?: string;
  /** Passed as `--build-arg NAME=value`, each as one argument. */
  readonly buildArgs?: readonly (readonly [string, string])[];
  readonly platform?: string;
  /** Extra labels; the Dockerfile and target labels are added unless `label` is false. */
  readonly labels?: readonly (readonly [string, string])[];
  readonly label?: boolean;
  /** `--network` for RUN steps (tests use `none`). */
  readonly network?: string;
  readonly noCache?: boolean;
  readonly pull?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** The docker arguments and environment of a build. Pure: exposed for tests and for showing the command. */
export function buildCommand(req: BuildRequest, iidfile: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = req.builder === 'buildx' ? ['buildx', 'build', '--load'] : ['build'];
  args.push('--progress=plain', '--file', req.dockerfile, '--iidfile', iidfile);
  if (req.tag) args.push('--tag', req.tag);
  if (req.target) args.push('--target', req.target);
  for (const [k, v] of req.buildArgs ?? []) args.push('--build-arg', `${k}=${v}`);
  if (req.platform) args.push('--platform', req.platform);
  if (req.label !== false) {
    args.push('--label', `${DOCKERFILE_LABEL}=${dockerfileLabelValue(req.dockerfile)}`);
    if (req.target) args.push('--label', `${TARGET_LABEL}=${req.target}`);
  }
  for (const [k, v] of req.labels ?? []) args.push('--label', `${k}=${v}`);
  if (req.network) args.push('--network', req.network);
  if (req.noCache) args.push('--no-cache');
  if (req.pull) args.push('--pull');
  // `--` ends the options: a context path starting with `-` stays a path.
  args.push('--', req.context);
  const env: NodeJS.ProcessEnv = { ...(req.env ?? process.env) };
  if (req.builder === 'buildkit') env.DOCKER_BUILDKIT = '1';
  else if (req.builder === 'classic') env.DOCKER_BUILDKIT = '0';
  // Plain progress without colours, whatever the user's terminal settings say.
  env.BUILDKIT_PROGRESS = 'plain';
  env.NO_COLOR = '1';
  return { args, env };
}

export type BuildResult =
  | { readonly ok: true; readonly imageId: string; readonly durationMs: number; readonly progress: BuildProgress }
  | {
      readonly ok: false;
      readonly cancelled: boolean;
      /** The failing step, when the builder got that far. */
      readonly failure: BuildFailure | undefined;
      /** Docker itself could not run the build (missing, daemon down, permission...). */
      readonly fault: DockerFault | undefined;
      readonly exitCode: number | null;
      readonly durationMs: number;
    };

export interface BuildHooks {
  readonly signal?: AbortSignal;
  /** Every chunk of output (stdout and stderr, in arrival order), decoded as UTF-8. */
  readonly onOutput?: (text: string) => void;
  readonly onProgress?: (p: BuildProgress) => void;
  /** Called with the argument list before starting. */
  readonly onStart?: (args: readonly string[], pid: number | undefined) => void;
}

/**
 * Builds an image. Resolves (never rejects) with the image id, or with why it failed: the failing step and
 * message, a docker fault, or cancellation (the process tree is gone when it resolves).
 */
export function runBuild(req: BuildRequest, hooks: BuildHooks = {}): Promise<BuildResult> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'dockwright-build-'));
  const iidfile = join(dir, 'iid');
  const { args, env } = buildCommand(req, iidfile);
  const parser = new BuildOutputParser(hooks.onProgress);
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return new Promise<BuildResult>((resolveResult) => {
    if (hooks.signal?.aborted) {
      cleanup();
      resolveResult({ ok: false, cancelled: true, failure: undefined, fault: undefined, exitCode: null, durationMs: 0 });
      return;
    }
    const child = spawnDocker(args, { dockerPath: req.dockerPath, env, cwd: req.context });
    hooks.onStart?.(args, child.pid);
    let cancelled = false;
    let spawnError: DockerFault | undefined;
    // The tail of stderr, to classify faults that happen before any step (daemon down, permission).
    let tail = '';
    const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')];
    const onData = (i: number) => (d: Buffer) => {
      const text = decoders[i].write(d);
      if (!text) return;
      hooks.onOutput?.(text);
      parser.write(text);
      tail = (tail + text).slice(-8192);
    };
    child.stdout!.on('data', onData(0));
    child.stderr!.on('data', onData(1));
    const onAbort = () => {
      cancelled = true;
      void killTree(child, 2000);
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = spawnFault(e, req.dockerPath);
    });
    child.on('close', (code) => {
      hooks.signal?.removeEventListener('abort', onAbort);
      parser.end();
      const durationMs = Date.now() - started;
      let imageId: string | undefined;
      try {
        imageId = readFileSync(iidfile, 'utf8').trim() || undefined;
      } catch {
        imageId = undefined;
      }
      cleanup();
      if (!cancelled && !spawnError && code === 0 && (imageId || parser.imageId)) {
        resolveResult({ ok: true, imageId: imageId ?? parser.imageId!, durationMs, progress: parser.progress() });
        return;
      }
      const failure = cancelled ? undefined : parser.failure();
      let fault = spawnError;
      if (!fault && !cancelled && !failure?.ref) {
        const f = classifyFailure(tail, 'The build');
        if (f.kind !== 'failed' || !failure) fault = f;
      }
      resolveResult({ ok: false, cancelled, failure, fault, exitCode: code, durationMs });
    });
  });
}
