/**
 * The local engine as a source of image facts, through the docker CLI so that DOCKER_HOST and docker
 * contexts apply exactly as they do for the user. One `docker image ls` (kept for half a minute) says which
 * references the engine has at all; only those are inspected with `docker image inspect` (batched: one
 * process for every reference asked within a few milliseconds). A docker process costs a few hundred
 * milliseconds, so most lookups cost none.
 * Processes are spawned with argument arrays (never a shell), have a deadline and a bounded output.
 * When the CLI is missing or the engine does not answer, the engine is left alone for a while.
 *
 * Must not: pull, push or change anything in the engine.
 */
import { spawn } from 'node:child_process';
import { parseImageRef, type ImageRef } from '../../core/semantic/image-ref';
import { formatPlatform, normalizePlatform } from '../../core/features/image-info';

export interface LocalImage {
  readonly id: string;
  /** Uncompressed size, bytes. */
  readonly size: number;
  readonly platform: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
}

export interface LocalEngineOptions {
  /** The CLI to run (`docker`, found on PATH). */
  readonly command?: string;
  readonly timeoutMs: number;
  readonly now?: () => number;
  /** Sees every process started (tests count them). */
  readonly observe?: (args: readonly string[]) => void;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

interface LocalName {
  readonly repo: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const INDEX_TTL_MS = 30_000;

interface Pending {
  readonly ref: ImageRef;
  readonly resolve: (v: LocalImage | undefined) => void;
}

export class LocalEngine {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private down: { until: number; reason: string } | undefined;
  private indexCache: { at: number; names: Promise<LocalName[] | undefined> } | undefined;
  private readonly now: () => number;

  constructor(private opts: LocalEngineOptions) {
    this.now = opts.now ?? Date.now;
  }

  configure(options: Partial<LocalEngineOptions>): void {
    this.opts = { ...this.opts, ...options };
  }

  /** Why the engine is not being asked right now, if it is not. */
  unavailable(): string | undefined {
    return this.down && this.down.until > this.now() ? this.down.reason : undefined;
  }

  /** The local image for `ref`, undefined when the engine does not have it (or cannot be asked). */
  async inspect(ref: ImageRef): Promise<LocalImage | undefined> {
    if (this.unavailable()) return undefined;
    const names = await this.index();
    if (names && !names.some((n) => nameMatches(n, ref))) return undefined;
    return new Promise((resolve) => {
      this.queue.push({ ref, resolve });
      if (!this.timer) this.timer = setTimeout(() => void this.flush(), 15);
    });
  }

  /** `repository:tag` of every local image. */
  async list(): Promise<string[]> {
    if (this.unavailable()) return [];
    const names = (await this.index()) ?? [];
    return [...new Set(names.filter((n) => n.tag).map((n) => `${n.repo}:${n.tag}`))].sort();
  }

  /** What the engine holds (one `docker image ls`, kept for half a minute); undefined when it could not say. */
  private index(): Promise<LocalName[] | undefined> {
    if (this.indexCache && this.indexCache.at + INDEX_TTL_MS > this.now()) return this.indexCache.names;
    const names = this.run(['image', 'ls', '--digests', '--no-trunc', '--format', '{{.Repository}}\t{{.Tag}}\t{{.Digest}}']).then((out) => {
      if (out === undefined) return undefined;
      const list: LocalName[] = [];
      for (const line of out.split('\n')) {
        const [repo, tag, digest] = line.trim().split('\t');
        if (!repo || repo === '<none>') continue;
        list.push({ repo, tag: tag && tag !== '<none>' ? tag : undefined, digest: digest && digest.startsWith('sha256:') ? digest : undefined });
      }
      return list;
    });
    this.indexCache = { at: this.now(), names };
    return names;
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.queue.splice(0, 100);
    if (this.queue.length > 0) this.timer = setTimeout(() => void this.flush(), 0);
    if (batch.length === 0) return;
    const names = [...new Set(batch.map((p) => nameOf(p.ref)))];
    const out = await this.run(['image', 'inspect', '--format', '{{json .}}', '--', ...names]);
    const images: LocalImage[] = [];
    for (const line of (out ?? '').split('\n')) {
      const img = readInspect(line);
      if (img) images.push(img);
    }
    for (const p of batch) p.resolve(images.find((img) => matches(img, p.ref)));
  }

  /** Runs the CLI; stdout, or undefined when it could not run (the engine is then marked down). */
  private run(args: string[]): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.opts.observe?.(args);
      let stdout = '';
      let stderr = '';
      let done = false;
      const finish = (value: string | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
      };
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(this.opts.command ?? 'docker', args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      } catch (e) {
        this.markDown(`the docker CLI could not be started (${e instanceof Error ? e.message : String(e)})`, 3600_000);
        finish(undefined);
        return;
      }
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        this.markDown(`docker did not answer within ${this.opts.timeoutMs} ms`, 60_000);
        finish(undefined);
      }, this.opts.timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString('utf8');
        if (stdout.length > MAX_OUTPUT) {
          child.kill('SIGKILL');
          finish(undefined);
        }
      });
      child.stderr!.on('data', (d: Buffer) => {
        if (stderr.length < 65536) stderr += d.toString('utf8');
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        this.markDown(e.code === 'ENOENT' ? 'the docker CLI is not installed' : `docker could not run (${e.message})`, 3600_000);
        finish(undefined);
      });
      child.on('close', (code) => {
        if (code !== 0 && /cannot connect|error during connect|is the docker daemon running|permission denied/i.test(stderr)) {
          this.markDown(`the Docker engine is not reachable (${stderr.trim().split('\n')[0].slice(0, 160)})`, 5 * 60_000);
          finish(undefined);
          return;
        }
        // `image inspect` exits 1 when some references are missing and still prints the others.
        finish(stdout);
      });
    });
  }

  private markDown(reason: string, forMs: number): void {
    this.down = { until: this.now() + forMs, reason };
  }
}

/** The name docker understands for a reference. */
function nameOf(ref: ImageRef): string {
  const name = ref.registry === 'docker.io' ? ref.familiar : `${ref.registry}/${ref.repository}`;
  if (ref.digest) return `${name}@${ref.digest}`;
  return `${name}:${ref.tag ?? 'latest'}`;
}

function nameMatches(n: LocalName, ref: ImageRef): boolean {
  const r = parseImageRef(n.repo);
  if (!r.ok || r.ref.registry !== ref.registry || r.ref.repository !== ref.repository) return false;
  return ref.digest ? n.digest === ref.digest : n.tag === (ref.tag ?? 'latest');
}

function readInspect(line: string): LocalImage | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const j = JSON.parse(line) as Record<string, unknown>;
    const id = typeof j.Id === 'string' ? j.Id : undefined;
    const size = typeof j.Size === 'number' ? j.Size : undefined;
    if (!id || size === undefined) return undefined;
    const platform = formatPlatform(
      normalizePlatform({
        os: typeof j.Os === 'string' ? j.Os : 'linux',
        architecture: typeof j.Architecture === 'string' ? j.Architecture : '',
        variant: typeof j.Variant === 'string' && j.Variant ? j.Variant : undefined,
      }),
    );
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { id, size, platform, repoTags: strings(j.RepoTags), repoDigests: strings(j.RepoDigests) };
  } catch {
    return undefined;
  }
}

function matches(img: LocalImage, ref: ImageRef): boolean {
  if (ref.digest) {
    return img.repoDigests.some((d) => {
      const r = parseImageRef(d);
      return r.ok && r.ref.registry === ref.registry && r.ref.repository === ref.repository && r.ref.digest === ref.digest;
    });
  }
  const tag = ref.tag ?? 'latest';
  return img.repoTags.some((t) => {
    const r = parseImageRef(t);
    return r.ok && r.ref.registry === ref.registry && r.ref.repository === ref.repository && (r.ref.tag ?? 'latest') === tag;
  });
}

/** The registry digest the engine recorded for the reference's repository. */
export function repoDigestFor(img: LocalImage, ref: ImageRef): string | undefined {
  for (const d of img.repoDigests) {
    const r = parseImageRef(d);
    if (r.ok && r.ref.registry === ref.registry && r.ref.repository === ref.repository && r.ref.digest) return r.ref.digest;
  }
  return undefined;
}
