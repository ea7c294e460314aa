/**
 * The image service against a real registry (Debian's docker-registry on 127.0.0.1) holding real images
 * pushed from a real dockerd: a Docker v2 manifest, an OCI manifest, an OCI image index with three
 * platforms and a BuildKit-style attestation entry, and a Docker manifest list without arm64 variants.
 * Sizes must equal the manifests' layer sums plus config; platform choice follows containerd (arm64 =
 * arm64/v8, arm/v7 falls back to arm/v6); attestations are never platforms; a second lookup makes no
 * request (counted by a proxy in front of the registry); after the TTL one HEAD revalidates.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImageRef, type ImageRef } from '../../server/src/core/semantic/image-ref';
import { ImageService, type ImageServiceOptions } from '../../server/src/host/images/service';
import { closeIdleSockets } from '../../server/src/host/registry/http';
import { RegistryClient } from '../../server/src/host/registry/client';
import { measure } from '../../scripts/gen-image-table';
import {
  MT,
  build,
  countingProxy,
  docker,
  getBlob,
  getManifest,
  manifestSize,
  push,
  putBlob,
  putManifest,
  startDocker,
  startRegistry,
  type CountingProxy,
  type Manifest,
  type Registry,
} from './env';

let skip: string | undefined;
let registry: Registry | undefined;
let proxy: CountingProxy;
const dirs: string[] = [];
const sizes: Record<string, number> = {};
const digests: Record<string, string> = {};

/** Pushes a copy of `from` (a Docker v2 manifest) with its config's platform changed. */
async function withPlatform(addr: string, from: string, tag: string, architecture: string, variant: string | undefined): Promise<{ digest: string; size: number; manifestSize: number }> {
  const src = await getManifest(addr, 'multi', from);
  const cfg = JSON.parse((await getBlob(addr, 'multi', src.json.config.digest)).toString()) as Record<string, unknown>;
  cfg.architecture = architecture;
  if (variant) cfg.variant = variant;
  else delete cfg.variant;
  const blob = await putBlob(addr, 'multi', Buffer.from(JSON.stringify(cfg)));
  const m: Manifest = { ...src.json, config: { ...src.json.config, digest: blob.digest, size: blob.size } };
  const put = await putManifest(addr, 'multi', tag, MT.dockerManifest, m);
  return { ...put, manifestSize: manifestSize(m) };
}

before(async () => {
  const dockerProblem = startDocker();
  if (dockerProblem) {
    skip = dockerProblem;
    return;
  }
  const r = await startRegistry();
  if ('skip' in r) {
    skip = r.skip;
    return;
  }
  registry = r;
  const addr = r.addr;
  // Real images: busybox as imported, and two derived images built with BuildKit and no network.
  push('local/busybox:1', `${addr}/busybox:1`);
  build('dw-test/app:a', 'FROM local/busybox:1\nRUN dd if=/dev/urandom of=/blob bs=1024 count=300 2>/dev/null\n');
  build('dw-test/app:b', 'FROM local/busybox:1\nRUN dd if=/dev/urandom of=/blob bs=1024 count=700 2>/dev/null\nCMD ["sh"]\n');
  push('dw-test/app:a', `${addr}/multi:amd64`);
  push('dw-test/app:b', `${addr}/multi:b-src`);
  const amd = await getManifest(addr, 'multi', 'amd64');
  sizes.amd64 = manifestSize(amd.json);
  digests.amd64 = amd.digest;
  sizes.busybox = manifestSize((await getManifest(addr, 'busybox', '1')).json);
  digests.busybox = (await getManifest(addr, 'busybox', '1')).digest;
  // What buildx would push for arm64/v8 and arm/v6 (same layers, another config).
  const arm64 = await withPlatform(addr, 'b-src', 'arm64', 'arm64', 'v8');
  sizes.arm64 = arm64.manifestSize;
  const armv6 = await withPlatform(addr, 'amd64', 'armv6', 'arm', 'v6');
  sizes.armv6 = armv6.manifestSize;
  // A BuildKit attestation manifest (in-toto statement), referenced from the index as unknown/unknown.
  const statement = await putBlob(addr, 'multi', Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://slsa.dev/provenance/v0.2', subject: [] })));
  const attCfg = await putBlob(addr, 'multi', Buffer.from(JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statement.digest] } })));
  const att = await putManifest(addr, 'multi', 'att', MT.ociManifest, {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: attCfg.digest, size: attCfg.size },
    layers: [{ mediaType: 'application/vnd.in-toto+json', digest: statement.digest, size: statement.size, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
  });
  const entry = (digest: string, size: number, platform: Record<string, string>, mediaType = MT.dockerManifest) => ({ mediaType, digest, size, platform });
  const amdRaw = amd.raw.length;
  // The attestation comes first: a client that took the first entry would get it wrong.
  const index = await putManifest(addr, 'multi', '1', MT.ociIndex, {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [
      { mediaType: MT.ociManifest, digest: att.digest, size: att.size, platform: { architecture: 'unknown', os: 'unknown' }, annotations: { 'vnd.docker.reference.digest': amd.digest, 'vnd.docker.reference.type': 'attestation-manifest' } },
      entry(amd.digest, amdRaw, { architecture: 'amd64', os: 'linux' }),
      entry(arm64.digest, arm64.size, { architecture: 'arm64', os: 'linux', variant: 'v8' }),
      entry(armv6.digest, armv6.size, { architecture: 'arm', os: 'linux', variant: 'v6' }),
    ],
  });
  digests.index = index.digest;
  // A Docker manifest list whose arm64 entry has no variant.
  const list = await putManifest(addr, 'multi', 'list', MT.dockerList, {
    schemaVersion: 2,
    mediaType: MT.dockerList,
    manifests: [entry(amd.digest, amdRaw, { architecture: 'amd64', os: 'linux' }), entry(arm64.digest, arm64.size, { architecture: 'arm64', os: 'linux' })],
  });
  digests.list = list.digest;
  // An OCI image manifest of the amd64 image.
  const oci = await putManifest(addr, 'multi', 'oci', MT.ociManifest, {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: amd.json.config.digest, size: amd.json.config.size },
    layers: amd.json.layers.map((l) => ({ ...l, mediaType: MT.ociLayer })),
  });
  digests.oci = oci.digest;
  // A tag that will move.
  await putManifest(addr, 'multi', 'moving', MT.dockerManifest, amd.json);
  proxy = await countingProxy(addr);
});

after(async () => {
  await proxy?.close();
  closeIdleSockets();
  registry?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  try {
    docker('rmi', 'dw-test/app:a', 'dw-test/app:b');
  } catch {
    // already gone
  }
});

function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dw-images-reg-'));
  dirs.push(d);
  return d;
}

function service(dir: string, extra: Partial<ImageServiceOptions> = {}): ImageService {
  return new ImageService({ cacheDir: dir, online: true, trusted: true, timeoutMs: 5000, ttlMs: 3600_000, httpHosts: [], docker: false, ...extra });
}

function ref(s: string): ImageRef {
  const r = parseImageRef(s);
  if (!r.ok) throw new Error(r.error);
  return r.ref;
}

/** A test that needs the real registry and dockerd; skipped, with the reason, when they cannot run. */
function realTest(name: string, fn: () => Promise<void>): void {
  test(name, async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    await fn();
  });
}

const direct = (path: string) => ref(`${registry!.addr}/${path}`);
const viaProxy = (path: string) => ref(`${proxy.addr}/${path}`);

realTest('Docker v2 manifest pushed by dockerd: size is the layers plus config', async () => {
  const f = await service(cacheDir()).lookup(direct('busybox:1'), 'linux/amd64');
  assert.equal(f.status, 'known', f.reason);
  assert.equal(f.size, sizes.busybox);
  assert.equal(f.sizeKind, 'compressed');
  assert.equal(f.platform, 'linux/amd64');
  assert.equal(f.digest, digests.busybox);
  assert.equal(f.multiPlatform, false);
  assert.equal(f.source, 'registry');
  assert.equal(f.registryHost, registry!.addr);
});

realTest('OCI image manifest', async () => {
  const f = await service(cacheDir()).lookup(direct('multi:oci'), 'linux/amd64');
  assert.equal(f.size, sizes.amd64);
  assert.equal(f.digest, digests.oci);
  assert.equal(f.mediaType, MT.ociManifest);
});

realTest('OCI index: platform choice, attestation skipped, per-platform sizes', async () => {
  const s = service(cacheDir());
  const amd = await s.lookup(direct('multi:1'), 'linux/amd64');
  assert.equal(amd.status, 'known', amd.reason);
  assert.equal(amd.size, sizes.amd64);
  assert.equal(amd.digest, digests.index, 'pinning uses the index digest');
  assert.equal(amd.multiPlatform, true);
  assert.deepEqual(
    amd.platforms?.map((p) => [p.platform, p.size]),
    [
      ['linux/amd64', sizes.amd64],
      ['linux/arm64/v8', sizes.arm64],
      ['linux/arm/v6', sizes.armv6],
    ],
    'three platforms, no unknown/unknown',
  );
  for (const p of ['linux/arm64', 'linux/arm64/v8', 'linux/aarch64']) {
    const arm = await s.lookup(direct('multi:1'), p);
    assert.equal(arm.platform, 'linux/arm64/v8', p);
    assert.equal(arm.size, sizes.arm64, p);
  }
  const v7 = await s.lookup(direct('multi:1'), 'linux/arm/v7');
  assert.equal(v7.platform, 'linux/arm/v6', 'arm/v7 runs arm/v6 images');
  const none = await s.lookup(direct('multi:1'), 'linux/s390x');
  assert.equal(none.status, 'unknown');
  assert.equal(none.reason, 'the image offers linux/amd64, linux/arm64/v8, linux/arm/v6, not linux/s390x');
  assert.equal(none.digest, digests.index, 'the digest is known even when the platform is not offered');
  const win = await s.lookup(direct('multi:1'), 'windows/amd64');
  assert.match(win.reason ?? '', /not windows\/amd64/);
});

realTest('Docker manifest list: an arm64 entry without variant is arm64/v8', async () => {
  const f = await service(cacheDir()).lookup(direct('multi:list'), 'linux/arm64/v8');
  assert.equal(f.platform, 'linux/arm64/v8');
  assert.equal(f.size, sizes.arm64);
  assert.equal(f.mediaType, MT.dockerList);
});

realTest('a single-platform image asked for another platform says so', async () => {
  const f = await service(cacheDir()).lookup(direct('busybox:1'), 'linux/arm64');
  assert.equal(f.status, 'unknown');
  assert.equal(f.reason, 'the image is only for linux/amd64, not linux/arm64/v8');
});

realTest('caching: a second lookup makes no request, a restart reads the disk, the TTL brings one HEAD', async () => {
  const dir = cacheDir();
  let now = Date.now();
  const a = service(dir, { now: () => now });
  const start = proxy.requests.length;
  const first = await a.lookup(viaProxy('multi:1'), 'linux/amd64');
  assert.equal(first.source, 'registry');
  const made = proxy.requests.slice(start);
  assert.deepEqual(
    made.map((r) => `${r.method} ${r.path.replace(/sha256:[a-f0-9]{64}/, 'sha256:…')}`),
    ['GET /v2/multi/manifests/1', 'GET /v2/multi/manifests/sha256:…', 'GET /v2/multi/manifests/sha256:…', 'GET /v2/multi/manifests/sha256:…'],
    'the index, the chosen manifest and the two other platforms (configs are not needed for an index)',
  );
  const n1 = proxy.requests.length;
  assert.deepEqual(await a.lookup(viaProxy('multi:1'), 'linux/amd64'), first);
  assert.equal(proxy.requests.length, n1, 'same service: no request');
  // Twenty concurrent lookups of a new key: one lookup's worth of requests.
  const b = service(cacheDir());
  const all = await Promise.all(Array.from({ length: 20 }, () => b.lookup(viaProxy('multi:list'), 'linux/amd64')));
  assert.ok(all.every((x) => x === all[0]));
  assert.equal(proxy.requests.length - n1, 3, 'list, chosen manifest, the other platform');
  assert.equal(b.stats.lookups, 1);
  // A restarted server with the same cache directory: from disk, no request.
  const n2 = proxy.requests.length;
  const c = service(dir, { now: () => now });
  const fromDisk = await c.lookup(viaProxy('multi:1'), 'linux/amd64');
  assert.equal(fromDisk.source, 'cache');
  assert.equal(fromDisk.size, sizes.amd64);
  const arm = await c.lookup(viaProxy('multi:1'), 'linux/arm64');
  assert.equal(arm.size, sizes.arm64, 'the other platforms were cached by digest');
  assert.equal(proxy.requests.length, n2, 'restart: no request');
  // After the TTL: one HEAD; the digest did not change, so nothing else.
  now += 3600_000 + 1;
  const d = service(dir, { now: () => now });
  const revalidated = await d.lookup(viaProxy('multi:1'), 'linux/amd64');
  assert.deepEqual(proxy.requests.slice(n2).map((r) => `${r.method} ${r.path}`), ['HEAD /v2/multi/manifests/1']);
  assert.equal(revalidated.source, 'registry');
  assert.equal(revalidated.size, sizes.amd64);
});

realTest('a moved tag is noticed on revalidation and its new manifest fetched', async () => {
  const dir = cacheDir();
  let now = Date.now();
  const first = await service(dir, { now: () => now }).lookup(viaProxy('multi:moving'), 'linux/amd64');
  assert.equal(first.size, sizes.amd64);
  const b = await getManifest(registry!.addr, 'multi', 'b-src');
  const put = await putManifest(registry!.addr, 'multi', 'moving', MT.dockerManifest, b.json);
  now += 3600_000 + 1;
  const n = proxy.requests.length;
  const moved = await service(dir, { now: () => now }).lookup(viaProxy('multi:moving'), 'linux/amd64');
  assert.equal(moved.digest, put.digest);
  assert.equal(moved.size, manifestSize(b.json));
  assert.deepEqual(
    proxy.requests.slice(n).map((r) => r.method),
    ['HEAD', 'GET', 'GET'],
    'HEAD sees the new digest; the manifest and its config are fetched by digest',
  );
});

realTest('offline and untrusted lookups answer from the cache (marked stale when past the TTL), never the network', async () => {
  const dir = cacheDir();
  let now = Date.now();
  await service(dir, { now: () => now }).lookup(viaProxy('multi:1'), 'linux/amd64');
  now += 2 * 3600_000;
  const n = proxy.requests.length;
  for (const opts of [{ online: false }, { trusted: false }]) {
    const f = await service(dir, { now: () => now, ...opts }).lookup(viaProxy('multi:1'), 'linux/amd64');
    assert.equal(f.status, 'known');
    assert.equal(f.source, 'cache');
    assert.match(f.reason ?? '', /cached 2 h ago and not checked since/);
  }
  assert.equal(proxy.requests.length, n);
});

realTest('tags list from the real registry, cached', async () => {
  const s = service(cacheDir());
  const t = s.tags(proxy.addr, 'multi');
  await t.pending;
  const tags = s.tags(proxy.addr, 'multi');
  assert.deepEqual([...(tags.tags ?? [])].sort(), ['1', 'amd64', 'arm64', 'armv6', 'att', 'b-src', 'list', 'moving', 'oci']);
  assert.equal(tags.pending, undefined);
});

realTest('the local engine answers for an image only it has, with its uncompressed size', async () => {
  const s = service(cacheDir(), { docker: 'docker', online: false });
  const f = await s.lookup(ref('local/busybox:1'), 'linux/amd64');
  const inspected = Number(docker('image', 'inspect', '-f', '{{.Size}}', 'local/busybox:1').trim());
  assert.equal(f.status, 'known');
  assert.equal(f.source, 'local');
  assert.equal(f.size, inspected);
  assert.equal(f.sizeKind, 'uncompressed');
  assert.match(f.local?.id ?? '', /^sha256:/);
  // Several references asked together: one docker process.
  const runs = s.stats.dockerRuns;
  await Promise.all(['local/busybox:1', 'dw-test/app:a', 'nope/nothing:1'].map((x) => s.lookup(ref(x), 'linux/arm64')));
  assert.equal(s.stats.dockerRuns - runs, 1);
});

realTest('the table generator measures through the same client', async () => {
  const client = new RegistryClient({ timeoutMs: 5000 });
  const [m] = await measure([{ image: `${registry!.addr}/multi`, tag: '1' }], client, ['linux/amd64', 'linux/arm64/v8']);
  assert.equal(m.error, undefined);
  const mb = (n: number) => (n / 1e6 < 10 ? Math.round(n / 1e5) / 10 : Math.round(n / 1e6));
  assert.deepEqual(m.sizes, [mb(sizes.amd64), mb(sizes.arm64)]);
});
