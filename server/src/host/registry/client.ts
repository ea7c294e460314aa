/**
 * A client for the registry HTTP API v2 (the OCI distribution spec): manifests by tag or digest (GET and
 * HEAD, asking for OCI indexes, Docker manifest lists, OCI and Docker v2 image manifests), small blobs
 * (image configs) and tag lists with `Link` pagination. It runs the anonymous bearer-token flow
 * (`WWW-Authenticate: Bearer realm=...,service=...,scope=...`) for Docker Hub, ghcr.io, quay.io,
 * mcr.microsoft.com, gcr.io, public.ecr.aws and any v2 registry; speaks plain http only to loopback hosts
 * and hosts the user allowed; honours 429 + Retry-After and Docker Hub's `ratelimit-remaining` by refusing
 * further requests to that host until the wait is over (no request goes out meanwhile); limits requests in
 * flight per host; verifies digests. Every fault becomes a RegistryError whose message completes the
 * sentence "unknown because ...".
 *
 * Must not: read credentials, pass anything through a shell, or wait without a deadline (http.ts).
 */
import { createHash } from 'node:crypto';
import { httpRequest, HttpError, isLoopbackHost, type HttpResponse, type RequestObserver } from './http';
import { parseChallenges, readTokenAnswer, TokenCache } from './auth';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');

export type RegistryErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'invalid'
  | 'too-large'
  | 'timeout'
  | 'network'
  | 'server'
  | 'unsupported'
  | 'no-platform'
  | 'insecure'
  | 'redirects'
  | 'aborted';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly status?: number,
    /** For `rate-limited`: when requests to this host may resume (ms since epoch). */
    readonly retryAt?: number,
  ) {
    super(message);
  }

  /** Faults that may go away by themselves (network, timeouts, overload); the rest are answers. */
  get transient(): boolean {
    return ['timeout', 'network', 'server', 'rate-limited', 'aborted'].includes(this.kind);
  }
}

export interface RegistryClientOptions {
  readonly timeoutMs: number;
  /** Hosts (`host[:port]`) that may be reached over plain http besides loopback ones. */
  readonly httpHosts?: readonly string[];
  /** Sees every request that goes out. */
  readonly observe?: RequestObserver;
  readonly now?: () => number;
  /** Cap on a manifest or index body. */
  readonly maxManifestBytes?: number;
  /** Cap on one page of a tag list. */
  readonly maxTagPageBytes?: number;
  readonly maxTagPages?: number;
  /** Requests in flight per host. */
  readonly concurrency?: number;
  /** Longest wait honoured from a Retry-After header. */
  readonly maxRetryAfterMs?: number;
}

export interface ManifestAnswer {
  readonly digest: string;
  readonly mediaType: string;
  /** Empty for HEAD. */
  readonly body: Buffer;
  readonly size: number;
}

interface HostState {
  /** 429: nothing goes to the host before this time. */
  blockedUntil: number;
  blockedReason: string;
  /** Pull limit used up (`ratelimit-remaining: 0`): manifest GETs (what is counted) wait; HEAD and blobs do not. */
  pullsBlockedUntil: number;
  pullsBlockedReason: string;
  /** Bearer realm/service learnt from the host's first challenge: later repositories skip the 401. */
  bearer?: { realm: string; service: string | undefined };
  inFlight: number;
  queue: (() => void)[];
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** The host that serves a registry name's API (`docker.io` is served by `registry-1.docker.io`). */
export function apiHost(registry: string): string {
  const r = registry.toLowerCase();
  return r === 'docker.io' || r === 'index.docker.io' || r === 'registry.hub.docker.com' ? 'registry-1.docker.io' : registry;
}

export class RegistryClient {
  private readonly hosts = new Map<string, HostState>();
  private readonly tokens: TokenCache;
  private readonly now: () => number;
  private opts: RegistryClientOptions;

  constructor(options: RegistryClientOptions) {
    this.opts = options;
    this.now = options.now ?? Date.now;
    this.tokens = new TokenCache(this.now);
  }

  configure(options: Partial<RegistryClientOptions>): void {
    this.opts = { ...this.opts, ...options };
  }

  /** `https://host` or, for loopback and allowed hosts, `http://host`. */
  baseUrl(registry: string): string {
    const host = apiHost(registry);
    return `${this.allowHttp(host) ? 'http' : 'https'}://${host}`;
  }

  private allowHttp(host: string): boolean {
    const h = host.toLowerCase();
    return isLoopbackHost(h) || (this.opts.httpHosts ?? []).some((x) => x.toLowerCase() === h || x.toLowerCase() === h.replace(/:\d+$/, ''));
  }

  /** When requests to a registry are refused locally because of a rate limit; undefined when they are not. */
  blockedUntil(registry: string): { until: number; reason: string } | undefined {
    const s = this.hosts.get(apiHost(registry));
    if (s && s.blockedUntil > this.now()) return { until: s.blockedUntil, reason: s.blockedReason };
    if (s && s.pullsBlockedUntil > this.now()) return { until: s.pullsBlockedUntil, reason: s.pullsBlockedReason };
    return undefined;
  }

  async getManifest(registry: string, repository: string, reference: string): Promise<ManifestAnswer> {
    const res = await this.send(registry, repository, `/v2/${repository}/manifests/${reference}`, 'GET', MANIFEST_ACCEPT, this.opts.maxManifestBytes ?? 4 * 1024 * 1024);
    const body = res.body;
    const computed = 'sha256:' + createHash('sha256').update(body).digest('hex');
    const header = headerValue(res, 'docker-content-digest');
    if (reference.startsWith('sha256:') && reference !== computed) {
      throw new RegistryError('invalid', `${apiHost(registry)} sent a manifest whose digest is not the one asked for`);
    }
    if (header && header.startsWith('sha256:') && header !== computed) {
      throw new RegistryError('invalid', `${apiHost(registry)} sent a manifest that does not match its Docker-Content-Digest`);
    }
    const mediaType = manifestMediaType(res, body);
    return { digest: computed, mediaType, body, size: body.length };
  }

  /** The digest a tag points at, without downloading the manifest (does not count as a pull on Docker Hub). */
  async headManifest(registry: string, repository: string, reference: string): Promise<ManifestAnswer> {
    const res = await this.send(registry, repository, `/v2/${repository}/manifests/${reference}`, 'HEAD', MANIFEST_ACCEPT, 0);
    const digest = headerValue(res, 'docker-content-digest');
    if (!digest || !DIGEST_RE.test(digest)) {
      throw new RegistryError('unsupported', `${apiHost(registry)} did not say the manifest's digest (no Docker-Content-Digest header)`);
    }
    const mediaType = (headerValue(res, 'content-type') ?? '').split(';')[0].trim();
    return { digest, mediaType, body: Buffer.alloc(0), size: Number(headerValue(res, 'content-length')) || 0 };
  }

  /** A small blob (an image config), digest-checked. */
  async getBlob(registry: string, repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    if (!DIGEST_RE.test(digest)) throw new RegistryError('unsupported', `unsupported digest ${digest}`);
    const res = await this.send(registry, repository, `/v2/${repository}/blobs/${digest}`, 'GET', '*/*', maxBytes);
    const computed = 'sha256:' + createHash('sha256').update(res.body).digest('hex');
    if (computed !== digest) throw new RegistryError('invalid', `${apiHost(registry)} sent a blob that does not match its digest`);
    return res.body;
  }

  /** Every tag of a repository, following `Link: <...>; rel="next"` up to `maxTagPages` pages. */
  async listTags(registry: string, repository: string): Promise<{ tags: string[]; complete: boolean }> {
    const maxPages = this.opts.maxTagPages ?? 10;
    let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    const tags: string[] = [];
    const seen = new Set<string>();
    for (let page = 0; path && page < maxPages; page++) {
      const res = await this.send(registry, repository, path, 'GET', 'application/json', this.opts.maxTagPageBytes ?? 2 * 1024 * 1024);
      const json = parseJson(res.body, apiHost(registry), 'tag list');
      const list = (json as { tags?: unknown }).tags;
      if (list !== null && list !== undefined && !Array.isArray(list)) throw new RegistryError('invalid', `${apiHost(registry)} sent a tag list without a tags array`);
      for (const t of (list as unknown[] | null) ?? []) {
        if (typeof t === 'string' && !seen.has(t) && /^[\w][\w.-]{0,127}$/.test(t)) {
          seen.add(t);
          tags.push(t);
        }
      }
      path = nextLink(headerValue(res, 'link'), `/v2/${repository}/tags/list`);
    }
    return { tags, complete: path === undefined };
  }

  // -------------------------------------------------------------------------------------------

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = { blockedUntil: 0, blockedReason: '', pullsBlockedUntil: 0, pullsBlockedReason: '', inFlight: 0, queue: [] };
      this.hosts.set(host, s);
    }
    return s;
  }

  private async acquire(s: HostState): Promise<void> {
    const limit = this.opts.concurrency ?? 4;
    if (s.inFlight < limit) {
      s.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => s.queue.push(resolve));
    s.inFlight++;
  }

  private release(s: HostState): void {
    s.inFlight--;
    s.queue.shift()?.();
  }

  /** One API request with the token flow, rate-limit bookkeeping and status mapping. */
  private async send(registry: string, repository: string, path: string, method: 'GET' | 'HEAD', accept: string, maxBytes: number): Promise<HttpResponse> {
    const host = apiHost(registry);
    const s = this.state(host);
    const pull = method === 'GET' && path.includes('/manifests/');
    this.checkBlocked(host, s, pull);
    await this.acquire(s);
    try {
      this.checkBlocked(host, s, pull);
      const url = this.baseUrl(registry) + path;
      const scope = `repository:${repository}:pull`;
      let auth = s.bearer ? await this.token(host, s.bearer.realm, s.bearer.service, scope) : undefined;
      let res = await this.http(url, method, accept, auth, maxBytes);
      if (res.status === 401) {
        const bearer = parseChallenges(res.headers['www-authenticate']).find((c) => c.scheme === 'bearer' && c.params.realm);
        if (!bearer) {
          const basic = parseChallenges(res.headers['www-authenticate']).some((c) => c.scheme === 'basic');
          throw new RegistryError('unauthorized', `${host} answered 401: ${basic ? 'it wants a user name and password' : 'authentication required, and it named no token service'}`, 401);
        }
        if (auth) {
          // The token we had is not enough (another scope, or revoked): ask for the one the challenge names.
          auth = undefined;
        }
        s.bearer = { realm: bearer.params.realm, service: bearer.params.service };
        auth = await this.token(host, bearer.params.realm, bearer.params.service, bearer.params.scope || scope);
        res = await this.http(url, method, accept, auth, maxBytes);
        if (res.status === 401) throw new RegistryError('unauthorized', `${host} answered 401 even with an anonymous token: the repository is private or does not exist`, 401);
      }
      this.noteRateLimit(host, s, res);
      if (res.status >= 200 && res.status < 300) return res;
      throw this.statusError(host, res, path);
    } catch (e) {
      throw toRegistryError(e, host);
    } finally {
      this.release(s);
    }
  }

  private checkBlocked(host: string, s: HostState, pull = false): void {
    const now = this.now();
    if (s.blockedUntil > now) {
      throw new RegistryError('rate-limited', `${s.blockedReason}; not asking again before ${new Date(s.blockedUntil).toISOString().slice(11, 19)} UTC`, 429, s.blockedUntil);
    }
    if (pull && s.pullsBlockedUntil > now) {
      throw new RegistryError('rate-limited', `${s.pullsBlockedReason}; no manifest requests before ${new Date(s.pullsBlockedUntil).toISOString().slice(11, 19)} UTC`, 429, s.pullsBlockedUntil);
    }
  }

  private http(url: string, method: 'GET' | 'HEAD', accept: string, bearer: string | undefined, maxBytes: number): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    return httpRequest(
      { url, method, headers, timeoutMs: this.opts.timeoutMs, maxBytes: Math.max(maxBytes, 64 * 1024), allowHttp: (h) => this.allowHttp(h), maxRedirects: 5 },
      this.opts.observe,
    ).then((res) => {
      // HEAD bodies are not read; GET bodies are bounded by http.ts. Error bodies are small: keep the cap
      // of the caller for successes only.
      if (method === 'GET' && res.status >= 200 && res.status < 300 && res.body.length > maxBytes) {
        throw new RegistryError('too-large', `the answer is larger than the ${maxBytes} bytes allowed`);
      }
      return res;
    });
  }

  private async token(host: string, realm: string, service: string | undefined, scope: string): Promise<string> {
    const key = TokenCache.key(realm, service, scope);
    const cached = this.tokens.get(key);
    if (cached) return cached;
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError('unauthorized', `${host} named an invalid token service ${JSON.stringify(realm.slice(0, 100))}`, 401);
    }
    // A plain-http token service only for a registry that is itself reached over http (loopback or allowed).
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.allowHttp(url.host) && this.allowHttp(host))) {
      throw new RegistryError('insecure', `${host} named a token service that is not https (${url.protocol}//${url.host})`);
    }
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const tokenHost = url.host;
    const ts = this.state(tokenHost);
    this.checkBlocked(tokenHost, ts);
    const res = await httpRequest({ url: url.href, method: 'GET', headers: { accept: 'application/json' }, timeoutMs: this.opts.timeoutMs, maxBytes: 256 * 1024, allowHttp: (h) => this.allowHttp(h) }, this.opts.observe);
    this.noteRateLimit(tokenHost, ts, res);
    if (res.status !== 200) {
      if (res.status === 429) throw this.statusError(tokenHost, res, url.pathname);
      throw new RegistryError(res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status >= 500 ? 'server' : 'unauthorized', `the token service ${tokenHost} answered ${res.status}${errorDetail(res)}`, res.status);
    }
    const answer = readTokenAnswer(parseJson(res.body, tokenHost, 'token answer'));
    if (!answer) throw new RegistryError('invalid', `the token service ${tokenHost} sent no token`);
    this.tokens.set(key, answer.token, answer.expiresIn);
    return answer.token;
  }

  /** 429 with Retry-After, and Docker Hub's `ratelimit-remaining: 0;w=21600`, stop requests to the host. */
  private noteRateLimit(host: string, s: HostState, res: HttpResponse): void {
    const max = this.opts.maxRetryAfterMs ?? 3600_000;
    if (res.status === 429) {
      const wait = Math.min(parseRetryAfter(headerValue(res, 'retry-after'), this.now()) ?? 60_000, max);
      s.blockedUntil = this.now() + wait;
      s.blockedReason = `${host} answered 429 (too many requests)`;
      return;
    }
    const remaining = headerValue(res, 'ratelimit-remaining');
    if (remaining !== undefined) {
      const m = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(remaining);
      if (m && Number(m[1]) <= 0) {
        const retry = parseRetryAfter(headerValue(res, 'retry-after'), this.now());
        const wait = Math.min(retry ?? 15 * 60_000, max);
        s.pullsBlockedUntil = Math.max(s.pullsBlockedUntil, this.now() + wait);
        s.pullsBlockedReason = `${host} says the pull limit is used up${m[2] ? ` (window ${Math.round(Number(m[2]) / 3600)} h)` : ''}`;
      }
    }
  }

  private statusError(host: string, res: HttpResponse, path: string): RegistryError {
    const st = res.status;
    const detail = errorDetail(res);
    const what = path.includes('/tags/list') ? 'tag list' : path.includes('/blobs/') ? 'blob' : 'manifest';
    if (st === 429) {
      const s = this.state(host);
      return new RegistryError('rate-limited', `${host} answered 429 (too many requests); not asking again before ${new Date(s.blockedUntil).toISOString().slice(11, 19)} UTC`, 429, s.blockedUntil);
    }
    if (st === 403) return new RegistryError('forbidden', `${host} answered 403 (forbidden)${detail}`, st);
    if (st === 404) return new RegistryError('not-found', `${host} answered 404: no such ${what}${detail}`, st);
    if (st === 401) return new RegistryError('unauthorized', `${host} answered 401${detail}`, st);
    if (st >= 500) return new RegistryError('server', `${host} answered ${st} (server error)${detail}`, st);
    if (st >= 300 && st < 400) return new RegistryError('redirects', `${host} answered ${st} without a usable Location`, st);
    return new RegistryError('invalid', `${host} answered ${st}${detail}`, st);
  }
}

// ---------------------------------------------------------------------------------------------

function headerValue(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** The `rel="next"` target of a Link header, kept on the same API path. */
export function nextLink(link: string | undefined, expectedPath: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m) continue;
    try {
      const u = new URL(m[1], 'http://registry.invalid');
      // Only follow pages of the same list; never another host.
      if (u.host !== 'registry.invalid' || u.pathname !== expectedPath) return undefined;
      return u.pathname + u.search;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function errorDetail(res: HttpResponse): string {
  try {
    if (res.body.length === 0 || res.body.length > 64 * 1024) return '';
    const j = JSON.parse(res.body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[]; details?: unknown };
    const e = j.errors?.[0];
    const msg = e && typeof e.message === 'string' ? e.message : e && typeof e.code === 'string' ? e.code : undefined;
    return msg ? ` (${msg.slice(0, 160)})` : '';
  } catch {
    return '';
  }
}

export function parseJson(body: Buffer, host: string, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RegistryError('invalid', `${host} sent a ${what} that is not valid JSON`);
  }
}

function manifestMediaType(res: HttpResponse, body: Buffer): string {
  const header = (headerValue(res, 'content-type') ?? '').split(';')[0].trim();
  if (header && header !== 'application/json' && header !== 'application/octet-stream' && header !== 'text/plain') return header;
  try {
    const j = JSON.parse(body.toString('utf8')) as { mediaType?: unknown; manifests?: unknown };
    if (typeof j.mediaType === 'string') return j.mediaType;
    return Array.isArray(j.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  } catch {
    return header;
  }
}

function toRegistryError(e: unknown, host: string): RegistryError {
  if (e instanceof RegistryError) return e;
  if (e instanceof HttpError) {
    switch (e.kind) {
      case 'timeout':
        return new RegistryError('timeout', `${host} did not answer in time (${e.message})`);
      case 'too-large':
        return new RegistryError('too-large', `${host} sent too much: ${e.message}`);
      case 'redirects':
        return new RegistryError('redirects', `${host}: ${e.message}`);
      case 'insecure':
        return new RegistryError('insecure', e.message);
      case 'aborted':
        return new RegistryError('aborted', 'the lookup was cancelled');
      default:
        return new RegistryError('network', e.message);
    }
  }
  return new RegistryError('network', `${host}: ${e instanceof Error ? e.message : String(e)}`);
}
