/**
 * The image lookup service: what is known about an image reference for a platform, from, in order, the
 * local engine (docker CLI), the on-disk cache, the registry (HTTP API v2); the bundled offline table is the
 * core's last resort (features/images.ts), so it is not consulted here.
 *
 * Lookups run in the background and never block a caller: `peek` answers at once from memory and starts a
 * lookup when nothing fresh is known. They are deduplicated (one in flight per image:tag:platform, at most
 * one per TTL), and listeners hear when results land. Every fault ends in an `unknown` state that says why,
 * is remembered until its TTL (so the next request does not wait on the same fault) and never throws.
 * In an untrusted workspace, or with online lookups off, no network request and no docker process is made.
 *
 * Must not: block on I/O in `peek`, or keep retrying a failing registry.
 */
import type { ImageRef } from '../../core/semantic/image-ref';
import {
  canonicalPlatform,
  imageKey,
  parsePlatform,
  type ImageFacts,
  type LocalFacts,
  type Platform,
  type PlatformFacts,
} from '../../core/features/image-info';
import { apiHost, RegistryClient, RegistryError } from '../registry/client';
import type { RequestObserver } from '../registry/http';
import { resolveImage, type FetchedManifest, type ManifestFetcher, type ResolvedImage } from '../registry/resolve';
import { ImageCache, type TagEntry } from './cache';
import { touch, trim } from '../lru';
import { LocalEngine, repoDigestFor } from './docker-cli';

export interface ImageServiceOptions {
  /** Folder of the on-disk cache; undefined keeps the cache in memory. */
  readonly cacheDir: string | undefined;
  /** Online lookups (registry requests). */
  readonly online: boolean;
  /** Workspace trust: untrusted means no network and no docker CLI. */
  readonly trusted: boolean;
  readonly timeoutMs: number;
  /** How long a tag's digest (and a fault) is believed before it is checked again. */
  readonly ttlMs: number;
  /** Hosts allowed over plain http, besides loopback ones. */
  readonly httpHosts: readonly string[];
  /** The docker CLI to run; false: do not ask the local engine. */
  readonly docker: string | false;
  /** Read the manifests of up to this many other platforms for per-platform sizes (never on Docker Hub). */
  readonly otherPlatforms?: number;
  readonly now?: () => number;
  /** Sees every HTTP request that goes out. */
  readonly observe?: RequestObserver;
  /** Sees every docker process started. */
  readonly observeDocker?: (args: readonly string[]) => void;
}

interface Entry {
  facts: ImageFacts | undefined;
  /** Until when `facts` is believed (ms since epoch). */
  expires: number;
  inflight: Promise<ImageFacts> | undefined;
}

interface TagListState {
  tags: readonly string[] | undefined;
  expires: number;
  inflight: Promise<void> | undefined;
  error?: string;
}

/**
 * Memory bounds: image:tag:platform answers and repositories' tag lists held in memory, least recently used
 * dropped first (lookups in flight are kept). The disk cache still has them.
 */
const MAX_ENTRIES = 1000;
const MAX_TAG_LISTS = 64;

/** How long the local engine waits for the cache or registry before it is asked anyway. */
const LOCAL_AFTER_MS = 250;

/** Transient faults (network, timeouts, server errors) are retried sooner than answers are. */
const TRANSIENT_TTL_CAP_MS = 10 * 60_000;

export class ImageService {
  readonly registry: RegistryClient;
  readonly engine: LocalEngine;
  readonly cache: ImageCache;
  private opts: ImageServiceOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly tagLists = new Map<string, TagListState>();
  private readonly inflightRequests = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<(keys: readonly string[]) => void>();
  private changed = new Set<string>();
  private notifyTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  /** Counters for tests and the bench. */
  readonly stats = { lookups: 0, httpRequests: 0, dockerRuns: 0 };

  constructor(options: ImageServiceOptions) {
    this.opts = options;
    this.now = options.now ?? Date.now;
    this.cache = new ImageCache(options.cacheDir);
    this.registry = new RegistryClient({
      timeoutMs: options.timeoutMs,
      httpHosts: options.httpHosts,
      now: this.now,
      observe: (m, u) => {
        this.stats.httpRequests++;
        this.opts.observe?.(m, u);
      },
    });
    this.engine = new LocalEngine({
      command: options.docker || 'docker',
      timeoutMs: Math.max(options.timeoutMs, 5000),
      now: this.now,
      observe: (args) => {
        this.stats.dockerRuns++;
        this.opts.observeDocker?.(args);
      },
    });
  }

  get options(): ImageServiceOptions {
    return this.opts;
  }

  /** Applies new settings; going online (or being trusted) forgets the faults remembered while offline. */
  configure(options: Partial<ImageServiceOptions>): void {
    const before = this.opts;
    this.opts = { ...this.opts, ...options };
    const o = this.opts;
    if (before.timeoutMs !== o.timeoutMs || before.httpHosts.join() !== o.httpHosts.join()) {
      this.registry.configure({ timeoutMs: o.timeoutMs, httpHosts: o.httpHosts });
      this.engine.configure({ timeoutMs: Math.max(o.timeoutMs, 5000) });
    }
    if (before.online !== o.online || before.trusted !== o.trusted || before.docker !== o.docker || before.httpHosts.join() !== o.httpHosts.join() || before.ttlMs !== o.ttlMs) {
      for (const [k, e] of this.entries) if (!e.inflight && e.facts?.status !== 'known') this.entries.delete(k);
      for (const e of this.entries.values()) e.expires = Math.min(e.expires, this.now() + o.ttlMs);
    }
  }

  onDidChange(listener: (keys: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * What is known now about `ref` for `platform`, without waiting. Starts a background lookup when nothing
   * fresh is known; returns the previous answer meanwhile, or `pending`.
   */
  peek(ref: ImageRef, platform: string): ImageFacts {
    const key = imageKey(ref, canonicalPlatform(platform));
    const e = this.entries.get(key);
    if (e) touch(this.entries, key, e);
    if (!e || (!e.inflight && e.expires <= this.now())) void this.lookup(ref, platform);
    const cur = this.entries.get(key);
    return cur?.facts ?? { status: 'pending' };
  }

  /** Looks `ref` up (or joins the lookup in flight, or answers from memory when fresh). Never rejects. */
  lookup(ref: ImageRef, platform: string): Promise<ImageFacts> {
    const canonical = canonicalPlatform(platform);
    const key = imageKey(ref, canonical);
    let e = this.entries.get(key);
    if (e?.inflight) return e.inflight;
    if (e?.facts && e.expires > this.now()) return Promise.resolve(e.facts);
    if (!e) {
      e = { facts: undefined, expires: 0, inflight: undefined };
      this.entries.set(key, e);
      trim(this.entries, MAX_ENTRIES, (x) => x.inflight === undefined);
    }
    const entry = e;
    this.stats.lookups++;
    // A registry/cache answer lands as soon as it is there; the local engine's (a docker process, slower
    // than the disk cache) is merged in when it arrives.
    const partial = (facts: ImageFacts) => {
      if (entry.inflight !== p) return;
      entry.facts = facts;
      this.emit(key);
    };
    const p: Promise<ImageFacts> = this.run(ref, canonical, partial)
      .catch((err: unknown): { facts: ImageFacts; ttl: number } => ({
        facts: { status: 'unknown', reason: `internal error: ${err instanceof Error ? err.message : String(err)}` },
        ttl: TRANSIENT_TTL_CAP_MS,
      }))
      .then(({ facts, ttl }) => {
        entry.facts = facts;
        entry.expires = this.now() + ttl;
        entry.inflight = undefined;
        this.emit(key);
        return facts;
      });
    entry.inflight = p;
    return p;
  }

  /**
   * The tags of a repository: what is known now, and the fetch that was started when nothing fresh is
   * known (resolves when it lands; never rejects).
   */
  tags(registry: string, repository: string): { tags: readonly string[] | undefined; pending: Promise<void> | undefined; error?: string } {
    const key = `${registry}/${repository}`;
    let st = this.tagLists.get(key);
    if (!st) {
      st = { tags: undefined, expires: 0, inflight: undefined };
      this.tagLists.set(key, st);
      trim(this.tagLists, MAX_TAG_LISTS, (x) => x.inflight === undefined);
    } else touch(this.tagLists, key, st);
    if (!st.inflight && st.expires <= this.now()) {
      const s = st;
      s.inflight = this.fetchTags(registry, repository, key, s).finally(() => {
        s.inflight = undefined;
      });
    }
    return { tags: st.tags, pending: st.inflight, error: st.error };
  }

  /** Local engine images (`repo:tag`) for completion; empty when the engine may not or cannot be asked. */
  async localImages(): Promise<string[]> {
    if (!this.opts.trusted || this.opts.docker === false) return [];
    return this.engine.list();
  }

  // -------------------------------------------------------------------------------------------

  private emit(key: string): void {
    this.changed.add(key);
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      const keys = [...this.changed];
      this.changed.clear();
      for (const l of this.listeners) {
        try {
          l(keys);
        } catch {
          // A listener's fault is its own.
        }
      }
    }, 10);
  }

  private offlineReason(): string | undefined {
    if (!this.opts.trusted) return 'the workspace is not trusted, so Dockwright makes no network requests';
    if (!this.opts.online) return 'online lookups are off (dockwright.images.online)';
    return undefined;
  }

  private async run(ref: ImageRef, platform: string, partial: (facts: ImageFacts) => void): Promise<{ facts: ImageFacts; ttl: number }> {
    const wanted = parsePlatform(platform);
    if (!wanted) return { facts: { status: 'unknown', reason: `the platform ${platform} is not a valid os/arch[/variant]` }, ttl: this.opts.ttlMs };
    // The cache or registry first: a docker process competes for the CPU with reading the cache, and most
    // answers need no docker at all. The local engine is asked once the remote side answered or after a
    // short while, whichever comes first.
    const remoteP = this.remote(ref, wanted);
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([remoteP, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LOCAL_AFTER_MS)))]);
    clearTimeout(timer);
    if (early?.ok) partial(early.value);
    const local = await this.localFacts(ref, platform);
    const remote = await remoteP;
    if (remote.ok) {
      const r = remote.value;
      return { facts: { ...r, local: local ?? undefined }, ttl: remote.ttl };
    }
    if (local) {
      return {
        facts: {
          status: 'known',
          source: 'local',
          date: new Date(this.now()).toISOString(),
          platform: local.platform,
          size: local.size,
          sizeKind: 'uncompressed',
          digest: local.repoDigest,
          local,
          reason: `the compressed size is unknown because ${remote.reason}`,
        },
        ttl: remote.ttl,
      };
    }
    return { facts: { status: 'unknown', reason: remote.reason, ...(remote.partial ?? {}) }, ttl: remote.ttl };
  }

  private async localFacts(ref: ImageRef, platform: string): Promise<LocalFacts | undefined> {
    if (!this.opts.trusted || this.opts.docker === false) return undefined;
    const img = await this.engine.inspect(ref).catch(() => undefined);
    if (!img || img.platform !== platform) return undefined;
    return { id: img.id, size: img.size, platform: img.platform, repoDigest: repoDigestFor(img, ref) };
  }

  /** The registry side: cache first, then HEAD/GET as freshness requires. */
  private async remote(
    ref: ImageRef,
    wanted: Platform,
  ): Promise<{ ok: true; value: ImageFacts; ttl: number } | { ok: false; reason: string; ttl: number; partial?: Partial<ImageFacts> }> {
    const now = this.now();
    const ttl = this.opts.ttlMs;
    const offline = this.offlineReason();
    const host = apiHost(ref.registry);
    const tagKey = `${ref.registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
    let topDigest: string | undefined = ref.digest;
    let checkedAt = now;
    let caveat: string | undefined;
    let requests = 0;
    const client = this.registry;
    const fail = (e: unknown, ttlFor?: number) => {
      const err = e instanceof RegistryError ? e : new RegistryError('network', e instanceof Error ? e.message : String(e));
      return { ok: false as const, reason: err.message, ttl: ttlFor ?? this.faultTtl(err) };
    };
    if (!topDigest) {
      const entry = await this.cache.getTag(tagKey);
      if (entry?.error && entry.error.until > now && !entry.digest) {
        return { ok: false, reason: entry.error.message, ttl: entry.error.until - now };
      }
      const fresh = entry?.digest !== undefined && now - entry.checkedAt < ttl;
      if (entry?.digest && (fresh || offline)) {
        topDigest = entry.digest;
        checkedAt = entry.checkedAt;
        if (!fresh) caveat = `cached ${ago(now - entry.checkedAt)} and not checked since: ${offline}`;
      } else if (offline) {
        return { ok: false, reason: offline, ttl };
      } else if (entry?.digest) {
        // Stale: one HEAD request tells whether the tag still points at the same digest.
        try {
          requests++;
          const head = await this.shared(`HEAD ${tagKey}`, () => client.headManifest(ref.registry, ref.repository, ref.tag ?? 'latest'));
          topDigest = head.digest;
          checkedAt = now;
          await this.cache.putTag({ key: tagKey, digest: head.digest, mediaType: head.mediaType || entry.mediaType, checkedAt: now });
        } catch (e) {
          const err = e instanceof RegistryError ? e : undefined;
          if (err && !err.transient) {
            // The tag is gone or closed to us: forget its digest.
            await this.cache.putTag({ key: tagKey, checkedAt: now, error: { kind: err.kind, message: err.message, until: now + this.faultTtl(err) } });
            return fail(err);
          }
          // Could not check: the cached digest is still the best answer.
          topDigest = entry.digest;
          checkedAt = entry.checkedAt;
          caveat = `cached ${ago(now - entry.checkedAt)}; checking it again failed: ${err?.message ?? String(e)}`;
        }
      }
    }
    const fetcher = this.fetcher(ref, offline, () => requests++);
    let resolved: ResolvedImage;
    try {
      resolved = await resolveImage(fetcher, topDigest ?? ref.tag ?? 'latest', wanted, { otherPlatforms: host === 'registry-1.docker.io' ? 0 : (this.opts.otherPlatforms ?? 8) });
    } catch (e) {
      if (!topDigest && !(e instanceof RegistryError && e.transient)) {
        const err = e instanceof RegistryError ? e : new RegistryError('invalid', String(e));
        await this.cache.putTag({ key: tagKey, checkedAt: now, error: { kind: err.kind, message: err.message, until: now + this.faultTtl(err) } });
      }
      return fail(e);
    }
    if (!ref.digest && !topDigest) {
      await this.cache.putTag({ key: tagKey, digest: resolved.digest, mediaType: resolved.mediaType, checkedAt: now });
    }
    const platforms: PlatformFacts[] = resolved.platforms.map((p) => ({ platform: p.platform, digest: p.digest, size: p.size }));
    const common = {
      digest: resolved.digest,
      mediaType: resolved.mediaType,
      multiPlatform: resolved.multiPlatform,
      platforms,
      registryHost: host,
      source: requests > 0 ? ('registry' as const) : ('cache' as const),
      date: new Date(checkedAt).toISOString(),
    };
    const keepFor = caveat ? Math.min(ttl, TRANSIENT_TTL_CAP_MS) : Math.max(1000, ttl - (now - checkedAt));
    if (!resolved.chosen) {
      return { ok: false, reason: resolved.noPlatform ?? 'no image for this platform', ttl: keepFor, partial: common };
    }
    return {
      ok: true,
      ttl: keepFor,
      value: {
        status: 'known',
        ...common,
        platform: resolved.chosen.platform,
        size: resolved.chosen.size,
        sizeKind: 'compressed',
        reason: caveat,
      },
    };
  }

  /** Manifests and configs from the cache, else from the registry (then stored by digest). */
  private fetcher(ref: ImageRef, offline: string | undefined, counted: () => void): ManifestFetcher {
    const host = apiHost(ref.registry);
    const cache = this.cache;
    const client = this.registry;
    return {
      host,
      manifest: async (reference: string): Promise<FetchedManifest> => {
        if (reference.startsWith('sha256:')) {
          const hit = await cache.getBlob(reference);
          if (hit) return { digest: reference, mediaType: hit.mediaType, body: hit.body };
        }
        if (offline) throw new RegistryError('aborted', offline);
        counted();
        return this.shared(`GET ${ref.registry}/${ref.repository}@${reference}`, async () => {
          const got = await client.getManifest(ref.registry, ref.repository, reference);
          await cache.putBlob(got.digest, got.mediaType, got.body);
          return got;
        });
      },
      blob: async (digest: string): Promise<Buffer> => {
        const hit = await cache.getBlob(digest);
        if (hit) return hit.body;
        if (offline) throw new RegistryError('aborted', offline);
        counted();
        return this.shared(`BLOB ${ref.registry}/${ref.repository}@${digest}`, async () => {
          const body = await client.getBlob(ref.registry, ref.repository, digest, 1024 * 1024);
          await cache.putBlob(digest, 'application/vnd.oci.image.config.v1+json', body);
          return body;
        });
      },
    };
  }

  /**
   * One request in flight per key: lookups of the same tag for two platforms, or of two tags that share a
   * manifest, wait for the same answer instead of asking twice.
   */
  private shared<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const hit = this.inflightRequests.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const p = fn().finally(() => this.inflightRequests.delete(key));
    this.inflightRequests.set(key, p);
    return p;
  }

  private faultTtl(err: RegistryError): number {
    if (err.kind === 'rate-limited' && err.retryAt) return Math.max(1000, err.retryAt - this.now());
    return err.transient ? Math.min(this.opts.ttlMs, TRANSIENT_TTL_CAP_MS) : this.opts.ttlMs;
  }

  private async fetchTags(registry: string, repository: string, key: string, st: TagListState): Promise<void> {
    const now = this.now();
    const ttl = this.opts.ttlMs;
    const cached = await this.cache.getTagList(key);
    const offline = this.offlineReason();
    if (cached && (now - cached.fetchedAt < ttl || offline)) {
      st.tags = cached.tags;
      st.expires = now - cached.fetchedAt < ttl ? cached.fetchedAt + ttl : now + Math.min(ttl, TRANSIENT_TTL_CAP_MS);
      st.error = undefined;
      return;
    }
    if (offline) {
      st.error = offline;
      st.expires = now + Math.min(ttl, TRANSIENT_TTL_CAP_MS);
      return;
    }
    try {
      const { tags, complete } = await this.registry.listTags(registry, repository);
      st.tags = tags;
      st.error = undefined;
      st.expires = now + ttl;
      await this.cache.putTagList({ key, tags, complete, fetchedAt: now });
    } catch (e) {
      const err = e instanceof RegistryError ? e : new RegistryError('network', String(e));
      st.tags = cached?.tags ?? st.tags;
      st.error = err.message;
      st.expires = now + this.faultTtl(err);
    }
  }
}

function ago(ms: number): string {
  const h = ms / 3600_000;
  if (h < 1) return `${Math.max(1, Math.round(ms / 60_000))} min ago`;
  if (h < 48) return `${Math.round(h)} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export type { TagEntry };
