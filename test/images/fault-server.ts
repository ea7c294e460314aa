/**
 * A registry on 127.0.0.1 that misbehaves on purpose, one repository per fault:
 *   unauth      401 without WWW-Authenticate        basic       401 asking for Basic credentials
 *   forbidden   403                                  missing     404 with a distribution error body
 *   ratelimited 429 with Retry-After: 120            badjson     200 with a body that is not JSON
 *   huge        200 with a 50 MB body (declared)     hugechunked 200 with 50 MB, no Content-Length
 *   endless     200 with a body that never ends      silent      accepts the connection, never answers
 *   token       the bearer flow: 401 + realm, a token service, then a valid single-platform image (also token2)
 *   badtoken    401 + realm whose token service answers 500
 *   redirect    redirects to itself forever          hubish      200 with `ratelimit-remaining: 0;w=21600`
 *   paged       a tag list in two pages (Link)       looping     a tag list whose Link never ends
 * Counts requests per repository.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultServer {
  readonly addr: string;
  /** Requests seen, by repository (first path component after /v2/), `token-service` for the token service. */
  readonly hits: Map<string, number>;
  hitsFor(repo: string): number;
  close(): Promise<void>;
}

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

export async function startFaultServer(): Promise<FaultServer> {
  const hits = new Map<string, number>();
  const open = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:' + 'a'.repeat(64), size: 12345 }],
    }),
  );
  let addr = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      hits.set('token-service', (hits.get('token-service') ?? 0) + 1);
      if (url.searchParams.get('scope')?.includes('badtoken')) {
        res.writeHead(500);
        res.end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: 'tok-' + url.searchParams.get('scope'), expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/([^/]+)\/(manifests|blobs|tags)\/?(.*)$/.exec(url.pathname);
    const repo = m ? m[1] : '';
    hits.set(repo, (hits.get(repo) ?? 0) + 1);
    const json = (status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (repo) {
      case 'unauth':
        return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      case 'basic':
        return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': 'Basic realm="registry"' });
      case 'forbidden':
        return json(403, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
      case 'missing':
        return json(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      case 'ratelimited':
        return json(429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after': '120' });
      case 'badjson':
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
        res.end('{"schemaVersion": 2, "manifests": [ this is not json');
        return;
      case 'huge': {
        const size = 50 * 1024 * 1024;
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', 'content-length': String(size) });
        writeMany(res, size, open);
        return;
      }
      case 'hugechunked':
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
        writeMany(res, 50 * 1024 * 1024, open);
        return;
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
        res.write('{"schemaVersion": 2, "manifests": [');
        open.add(res);
        const t = setInterval(() => res.write(' '), 20);
        timers.add(t);
        res.on('close', () => {
          clearInterval(t);
          timers.delete(t);
          open.delete(res);
        });
        return;
      }
      case 'silent':
        // Never answer; keep the request open until the client gives up.
        open.add(res);
        res.on('close', () => open.delete(res));
        return;
      case 'redirect':
        res.writeHead(302, { location: `http://${addr}${url.pathname}?n=${Number(url.searchParams.get('n') ?? 0) + 1}` });
        res.end();
        return;
      case 'paged': {
        const last = url.searchParams.get('last');
        if (!last) return json(200, { name: 'paged', tags: ['1.0', '1.1'] }, { link: '</v2/paged/tags/list?last=1.1&n=1000>; rel="next"' });
        return json(200, { name: 'paged', tags: ['2.0'] });
      }
      case 'looping':
        return json(200, { name: 'looping', tags: ['x'] }, { link: `</v2/looping/tags/list?last=x&n=${Math.random()}>; rel="next"` });
      case 'hubish':
        if (m && m[2] === 'blobs') {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'ratelimit-remaining': '0;w=21600' });
          res.end(config);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(manifest), 'ratelimit-remaining': '0;w=21600' });
        res.end(req.method === 'HEAD' ? undefined : manifest);
        return;
      case 'token':
      case 'token2':
      case 'badtoken': {
        const auth = req.headers.authorization ?? '';
        if (!auth.startsWith('Bearer tok-')) {
          return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': `Bearer realm="http://${addr}/token",service="fault-registry",scope="repository:${repo}:pull"` });
        }
        if (m && m[2] === 'blobs') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(config);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(manifest) });
        res.end(req.method === 'HEAD' ? undefined : manifest);
        return;
      }
      default:
        return json(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    addr,
    hits,
    hitsFor: (repo) => hits.get(repo) ?? 0,
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const r of open) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `size` bytes in 1 MB chunks, honouring back-pressure, stopping when the client goes away. */
function writeMany(res: http.ServerResponse, size: number, open: Set<http.ServerResponse>): void {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let left = size;
  open.add(res);
  res.on('close', () => open.delete(res));
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (left <= 0 && !res.destroyed) res.end();
  };
  pump();
}
