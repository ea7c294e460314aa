/**
 * Real parts for the image tests: a registry (Debian's docker-registry) of its own on a free 127.0.0.1
 * port, started and stopped with scripts/env/registry.sh; the real dockerd (scripts/env/docker.sh) to build
 * and push images; a counting proxy in front of the registry (to count requests); plain registry API calls
 * to assemble multi-platform indexes, OCI manifests and attestation entries the way buildx would.
 * Everything listens on and talks to 127.0.0.1 only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const DOCKER = '/usr/bin/docker';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Registry {
  /** `127.0.0.1:PORT` */
  readonly addr: string;
  stop(): void;
}

/** Starts a registry of its own; undefined (with the reason) when docker-registry cannot be installed. */
export async function startRegistry(): Promise<Registry | { skip: string }> {
  const state = mkdtempSync(join(tmpdir(), 'dw-images-registry-'));
  const port = await freePort();
  const env = { ...process.env, DOCKWRIGHT_STATE: state };
  const r = spawnSync('bash', [join(ROOT, 'scripts/env/registry.sh'), 'start', String(port)], { env, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { skip: `docker-registry could not be installed or started: ${(r.stderr || r.stdout || '').trim().slice(0, 300)}` };
  return {
    addr: `127.0.0.1:${port}`,
    stop() {
      spawnSync('bash', [join(ROOT, 'scripts/env/registry.sh'), 'stop'], { env, timeout: 30_000 });
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Starts dockerd (if needed) and makes local/busybox:1; returns a reason when that is impossible. */
export function startDocker(): string | undefined {
  const r = spawnSync('bash', [join(ROOT, 'scripts/env/docker.sh'), 'start'], { encoding: 'utf8', timeout: 600_000 });
  return r.status === 0 ? undefined : `dockerd could not be started: ${(r.stderr || '').trim().slice(0, 300)}`;
}

export function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** Builds an image FROM local/busybox:1 with BuildKit and no network. */
export function build(tag: string, dockerfile: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'dw-images-build-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    docker('build', '--network=none', '-q', '-t', tag, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tags, pushes and untags (so the local engine does not answer for the pushed name). */
export function push(local: string, remote: string): void {
  docker('tag', local, remote);
  docker('push', remote);
  docker('rmi', remote);
}

// ---------------------------------------------------------------------------------------------
// Registry API calls (to assemble what `docker buildx` would push)

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function call(addr: string, method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = path.startsWith('http') ? path : `http://${addr}${path}`;
    const req = http.request(url, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const sha256 = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

export interface Manifest {
  mediaType?: string;
  schemaVersion: number;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
}

export async function getManifest(addr: string, repo: string, ref: string): Promise<{ json: Manifest; digest: string; raw: Buffer }> {
  const a = await call(addr, 'GET', `/v2/${repo}/manifests/${ref}`, undefined, { accept: [MT.dockerManifest, MT.ociManifest, MT.ociIndex, MT.dockerList].join(', ') });
  if (a.status !== 200) throw new Error(`GET manifest ${repo}:${ref}: ${a.status} ${a.body.toString()}`);
  return { json: JSON.parse(a.body.toString()) as Manifest, digest: sha256(a.body), raw: a.body };
}

export async function getBlob(addr: string, repo: string, digest: string): Promise<Buffer> {
  const a = await call(addr, 'GET', `/v2/${repo}/blobs/${digest}`);
  if (a.status !== 200) throw new Error(`GET blob ${digest}: ${a.status}`);
  return a.body;
}

/** Monolithic blob upload. */
export async function putBlob(addr: string, repo: string, content: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(content);
  const start = await call(addr, 'POST', `/v2/${repo}/blobs/uploads/`, '');
  if (start.status !== 202) throw new Error(`start upload: ${start.status}`);
  const loc = new URL(String(start.headers.location), `http://${addr}`);
  loc.searchParams.set('digest', digest);
  const put = await call(addr, 'PUT', loc.pathname + loc.search, content, { 'content-type': 'application/octet-stream' });
  if (put.status !== 201) throw new Error(`finish upload: ${put.status} ${put.body.toString()}`);
  return { digest, size: content.length };
}

export async function putManifest(addr: string, repo: string, ref: string, mediaType: string, body: unknown): Promise<{ digest: string; size: number }> {
  const raw = Buffer.from(JSON.stringify(body));
  const a = await call(addr, 'PUT', `/v2/${repo}/manifests/${ref}`, raw, { 'content-type': mediaType });
  if (a.status !== 201) throw new Error(`PUT manifest ${repo}:${ref}: ${a.status} ${a.body.toString()}`);
  return { digest: sha256(raw), size: raw.length };
}

/** Layers plus config, as the manifest states them. */
export function manifestSize(m: Manifest): number {
  return m.layers.reduce((n, l) => n + l.size, 0) + m.config.size;
}

// ---------------------------------------------------------------------------------------------
// A counting proxy in front of a registry

export interface CountingProxy {
  readonly addr: string;
  readonly requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const requests: { method: string; path: string }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '' });
    const up = http.request(`http://${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: target } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    addr: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
