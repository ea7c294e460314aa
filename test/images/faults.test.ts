/**
 * Every registry fault ends in an `unknown` state that says why, within the deadline, and is remembered:
 * the next lookup within the TTL answers at once without asking the faulty registry again. The registry
 * here is a local HTTP server that misbehaves on purpose (fault-server.ts), on 127.0.0.1 only.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImageRef, type ImageRef } from '../../server/src/core/semantic/image-ref';
import { ImageService, type ImageServiceOptions } from '../../server/src/host/images/service';
import { closeIdleSockets } from '../../server/src/host/registry/http';
import { startFaultServer, type FaultServer } from './fault-server';
import { freePort } from './env';

const TIMEOUT = 1000;
/** What "answers at once" means: no network wait, only memory (generous: CI machines are shared). */
const INSTANT_MS = 100;

const dirs: string[] = [];
const servers: FaultServer[] = [];
let fault: FaultServer;

before(async () => {
  fault = await startFaultServer();
  servers.push(fault);
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  closeIdleSockets();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dw-images-faults-'));
  dirs.push(d);
  return d;
}

function service(dir: string, extra: Partial<ImageServiceOptions> = {}): ImageService {
  return new ImageService({ cacheDir: dir, online: true, trusted: true, timeoutMs: TIMEOUT, ttlMs: 3600_000, httpHosts: [], docker: false, ...extra });
}

function ref(s: string): ImageRef {
  const r = parseImageRef(s);
  if (!r.ok) throw new Error(r.error);
  return r.ref;
}

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t };
}

const FAULTS: { repo: string; reason: RegExp; transient?: boolean }[] = [
  { repo: 'unauth', reason: /answered 401: authentication required, and it named no token service/ },
  { repo: 'basic', reason: /answered 401: it wants a user name and password/ },
  { repo: 'forbidden', reason: /answered 403 \(forbidden\) \(requested access to the resource is denied\)/ },
  { repo: 'missing', reason: /answered 404: no such manifest \(manifest unknown\)/ },
  { repo: 'badjson', reason: /sent a manifest that is not valid JSON/ },
  { repo: 'huge', reason: /sent too much: the answer is 52428800 bytes, more than the 4194304 bytes allowed/ },
  { repo: 'hugechunked', reason: /sent too much: the answer is larger than the 4194304 bytes allowed/ },
  { repo: 'endless', reason: /did not answer in time/, transient: true },
  { repo: 'silent', reason: /did not answer in time/, transient: true },
  { repo: 'redirect', reason: /more than 5 redirects/ },
  { repo: 'badtoken', reason: /the token service 127\.0\.0\.1:\d+ answered 500/, transient: true },
];

for (const f of FAULTS) {
  test(`fault ${f.repo}: unknown with a reason, within the deadline, and not asked again within the TTL`, async () => {
    const dir = cacheDir();
    const s = service(dir);
    const r = ref(`${fault.addr}/${f.repo}:1`);
    const first = await timed(s.lookup(r, 'linux/amd64'));
    assert.equal(first.value.status, 'unknown');
    assert.match(first.value.reason ?? '', f.reason);
    assert.ok(first.ms < TIMEOUT + 1500, `took ${first.ms} ms`);
    const hits = fault.hitsFor(f.repo);
    assert.ok(hits >= 1);
    // Within the TTL: at once, from memory, no request.
    const second = await timed(s.lookup(r, 'linux/amd64'));
    assert.ok(second.ms < INSTANT_MS, `second lookup took ${second.ms} ms`);
    assert.equal(second.value.reason, first.value.reason);
    assert.equal(s.peek(r, 'linux/amd64').reason, first.value.reason);
    assert.equal(fault.hitsFor(f.repo), hits, 'no new request within the TTL');
    if (!f.transient) {
      // A definite answer is remembered on disk too: a restarted server does not ask again either.
      const restarted = service(dir);
      const third = await timed(restarted.lookup(r, 'linux/amd64'));
      assert.match(third.value.reason ?? '', f.reason);
      assert.ok(third.ms < INSTANT_MS * 5, `restart lookup took ${third.ms} ms`);
      assert.equal(fault.hitsFor(f.repo), hits, 'no new request after a restart');
    }
  });
}

test('fault: nothing listening (connection refused) is unknown at once and remembered', async () => {
  const port = await freePort();
  const s = service(cacheDir());
  const r = ref(`127.0.0.1:${port}/app:1`);
  const first = await timed(s.lookup(r, 'linux/amd64'));
  assert.equal(first.value.status, 'unknown');
  assert.match(first.value.reason ?? '', /refused the connection/);
  assert.ok(first.ms < TIMEOUT);
  const second = await timed(s.lookup(r, 'linux/amd64'));
  assert.ok(second.ms < INSTANT_MS);
});

test('fault: the slow answers of several images run in parallel, each bounded by the deadline', async () => {
  const s = service(cacheDir());
  const t = performance.now();
  const all = await Promise.all(['silent:a', 'silent:b', 'silent:c', 'endless:a'].map((x) => s.lookup(ref(`${fault.addr}/${x}`), 'linux/amd64')));
  const ms = performance.now() - t;
  assert.ok(all.every((f) => f.status === 'unknown' && /in time/.test(f.reason ?? '')));
  assert.ok(ms < 2 * TIMEOUT + 1000, `four slow registries took ${ms} ms`);
});

test('fault: 429 with Retry-After stops every request to that host until the wait is over', async () => {
  const own = await startFaultServer();
  servers.push(own);
  let now = Date.now();
  const s = service(cacheDir(), { now: () => now });
  const first = await s.lookup(ref(`${own.addr}/ratelimited:1`), 'linux/amd64');
  assert.match(first.reason ?? '', /answered 429 \(too many requests\); not asking again before/);
  const asked = own.hitsFor('ratelimited');
  // Another repository on the same host: refused locally, no request.
  const other = await timed(s.lookup(ref(`${own.addr}/token:1`), 'linux/amd64'));
  assert.match(other.value.reason ?? '', /429/);
  assert.equal(own.hitsFor('token'), 0);
  assert.ok(other.ms < INSTANT_MS * 4);
  // After Retry-After (120 s) the host is asked again.
  now += 121_000;
  const later = await s.lookup(ref(`${own.addr}/token:2`), 'linux/amd64');
  assert.equal(later.status, 'known');
  assert.equal(own.hitsFor('ratelimited'), asked);
});

test("fault: Docker Hub's ratelimit-remaining: 0 stops further requests to the host", async () => {
  const own = await startFaultServer();
  servers.push(own);
  const s = service(cacheDir());
  const first = await s.lookup(ref(`${own.addr}/hubish:1`), 'linux/amd64');
  assert.equal(first.status, 'known', 'the answer that carried the header is still used');
  const next = await s.lookup(ref(`${own.addr}/token:1`), 'linux/amd64');
  assert.match(next.reason ?? '', /pull limit is used up \(window 6 h\)/);
  assert.equal(own.hitsFor('token'), 0);
});

test('token flow: 401 with a Bearer realm, one anonymous token, then the image', async () => {
  const own = await startFaultServer();
  servers.push(own);
  const s = service(cacheDir());
  const f = await s.lookup(ref(`${own.addr}/token:1`), 'linux/amd64');
  assert.equal(f.status, 'known', f.reason);
  assert.equal(f.platform, 'linux/amd64');
  assert.ok(f.size! > 12345);
  assert.equal(own.hitsFor('token'), 3, '401, then manifest and config blob with the token');
  assert.equal(own.hitsFor('token-service'), 1);
  // The realm is remembered: another repository goes straight to the token service (no 401 round trip);
  // the config blob is the same digest, so it comes from the cache.
  const other = await s.lookup(ref(`${own.addr}/token2:1`), 'linux/amd64');
  assert.equal(other.status, 'known');
  assert.equal(own.hitsFor('token2'), 1, 'one manifest request, no 401 first');
  assert.equal(own.hitsFor('token-service'), 2, 'one token for the new scope');
});

test('tags list: pages followed through Link headers; faults give an error and no tags', async () => {
  const s = service(cacheDir());
  const paged = s.tags(fault.addr, 'paged');
  assert.equal(paged.tags, undefined, 'nothing known before the fetch lands');
  await paged.pending;
  assert.deepEqual(s.tags(fault.addr, 'paged').tags, ['1.0', '1.1', '2.0']);
  assert.equal(fault.hitsFor('paged'), 2, 'two pages');
  // A Link that always points on stops after 10 pages.
  await s.tags(fault.addr, 'looping').pending;
  assert.equal(fault.hitsFor('looping'), 10);
  assert.equal(s.tags(fault.addr, 'looping').tags?.length, 1);
  const missing = s.tags(fault.addr, 'missing');
  await missing.pending;
  const again = s.tags(fault.addr, 'missing');
  assert.equal(again.pending, undefined, 'not fetched again within the TTL');
  assert.match(again.error ?? '', /404/);
  assert.equal(again.tags, undefined);
});

test('untrusted workspace and online=false: no request at all', async () => {
  const before = fault.hitsFor('token');
  for (const opts of [{ trusted: false }, { online: false }]) {
    const s = service(cacheDir(), opts);
    const f = await s.lookup(ref(`${fault.addr}/token:1`), 'linux/amd64');
    assert.equal(f.status, 'unknown');
    assert.match(f.reason ?? '', opts.trusted === false ? /not trusted/ : /online lookups are off/);
    const t = s.tags(fault.addr, 'token');
    await t.pending;
  }
  assert.equal(fault.hitsFor('token'), before);
});
