/**
 * Image intelligence, measured through the real language server against a real registry on 127.0.0.1
 * (scripts/env/registry.sh; images pushed from the real dockerd and assembled with the registry API), with
 * a counting proxy in front of the registry:
 *   A. time for the size hints of a file with 20 FROM lines to appear from the on-disk cache (a fresh
 *      server process each run: didOpen -> every hint shows a registry/cache figure);
 *   B. network requests for a workspace of 50 Dockerfiles that share base images: cold cache, warm cache
 *      (restarted server), and after the TTL (in-process, with a moved clock), against what a client
 *      without deduplication or caching would make.
 * Usage: npx tsx bench/images.ts [runs=5] [--json out.json]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/support/lsp-client';
import { call, countingProxy, getBlob, getManifest, MT, push, putBlob, putManifest, startDocker, startRegistry, type CountingProxy } from '../test/images/env';
import { ImageService } from '../server/src/host/images/service';
import { parseImageRef } from '../server/src/core/semantic/image-ref';
import { closeIdleSockets } from '../server/src/host/registry/http';
import { mulberry32 } from '../test/corpus/generate';

interface Hint {
  label: string;
  data?: { image?: boolean };
}

/** A single-platform image made from busybox's layers with its own config (so its own digest). */
async function makeImage(addr: string, repo: string, tag: string, arch: string, variant: string | undefined, label: string): Promise<string> {
  const base = await getManifest(addr, 'base', 'src');
  const cfg = JSON.parse((await getBlob(addr, 'base', base.json.config.digest)).toString()) as Record<string, unknown>;
  cfg.architecture = arch;
  if (variant) cfg.variant = variant;
  cfg.config = { ...((cfg.config as object) ?? {}), Labels: { bench: label } };
  // Cross-repository: the layers must exist in `repo`; mount them from `base`.
  for (const l of base.json.layers) {
    await call(addr, 'POST', `/v2/${repo}/blobs/uploads/?mount=${l.digest}&from=base`, '');
  }
  const blob = await putBlob(addr, repo, Buffer.from(JSON.stringify(cfg)));
  const put = await putManifest(addr, repo, tag, MT.dockerManifest, { ...base.json, config: { ...base.json.config, digest: blob.digest, size: blob.size } });
  return put.digest;
}

async function makeIndex(addr: string, repo: string, tag: string): Promise<void> {
  const amd = await makeImage(addr, repo, `${tag}-amd64`, 'amd64', undefined, `${repo}:${tag}`);
  const arm = await makeImage(addr, repo, `${tag}-arm64`, 'arm64', 'v8', `${repo}:${tag}`);
  const size = async (t: string) => (await getManifest(addr, repo, t)).raw.length;
  await putManifest(addr, repo, tag, MT.ociIndex, {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [
      { mediaType: MT.dockerManifest, digest: amd, size: await size(`${tag}-amd64`), platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: MT.dockerManifest, digest: arm, size: await size(`${tag}-arm64`), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ],
  });
}

class Server {
  readonly client: LspClient;
  private wakers: (() => void)[] = [];
  refreshes = 0;

  constructor(cacheDir: string) {
    process.env.DOCKWRIGHT_CACHE_DIR = cacheDir;
    this.client = new LspClient({ settings: { images: { timeoutMs: 5000 } } });
    this.client.conn.onRequest('workspace/inlayHint/refresh', () => {
      this.refreshes++;
      for (const w of this.wakers.splice(0)) w();
      return null;
    });
  }

  async init(): Promise<void> {
    await this.client.request('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, inlayHint: { refreshSupport: true } }, textDocument: { inlayHint: {} } },
    });
    await this.client.conn.sendNotification('initialized', {});
  }

  async hints(uri: string): Promise<Hint[]> {
    const all = await this.client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } } });
    return all.filter((h) => h.data?.image);
  }

  /** Re-asks after every refresh until every document has `want(uri)` hints with real figures. */
  async waitAll(uris: readonly string[], want: (uri: string) => number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const done = new Set<string>();
    for (;;) {
      for (const uri of uris) {
        if (done.has(uri)) continue;
        const h = await this.hints(uri);
        if (h.length === want(uri) && h.every((x) => !x.label.startsWith('≈') && x.label !== 'size unknown')) done.add(uri);
      }
      if (done.size === uris.length) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`hints incomplete for ${uris.length - done.size} documents`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.wakers.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
  const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
  const dockerProblem = startDocker();
  if (dockerProblem) throw new Error(dockerProblem);
  const reg = await startRegistry();
  if ('skip' in reg) throw new Error(reg.skip);
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'dw-bench-images-'));
    dirs.push(d);
    return d;
  };
  let proxy: CountingProxy | undefined;
  try {
    const addr = reg.addr;
    push('local/busybox:1', `${addr}/base:src`);
    // A: 20 distinct images.
    for (let i = 1; i <= 20; i++) await makeImage(addr, 'img', `v${i}`, 'amd64', undefined, `img${i}`);
    // B: 8 shared bases, 5 of them multi-platform.
    const bases = ['py:3.12', 'py:3.12-slim', 'node:22', 'node:22-slim', 'go:1.24', 'alpine:3.22', 'nginx:1.27', 'debian:12'];
    for (const [i, b] of bases.entries()) {
      const [repo, tag] = b.split(':');
      if (i < 5) await makeIndex(addr, repo, tag);
      else await makeImage(addr, repo, tag, 'amd64', undefined, b);
    }
    proxy = await countingProxy(addr);
    const P = proxy.addr;

    // ---- A: 20 FROM lines from the cache
    const twenty = Array.from({ length: 20 }, (_, i) => `FROM ${P}/img:v${i + 1} AS s${i + 1}\nRUN true`).join('\n') + '\n';
    const cacheA = tmp();
    const warm = new Server(cacheA);
    await warm.init();
    const coldStart = proxy.requests.length;
    const tCold = performance.now();
    await warm.client.open('file:///tmp/bench-images/a/Dockerfile', twenty);
    await warm.waitAll(['file:///tmp/bench-images/a/Dockerfile'], () => 20);
    const coldMs = performance.now() - tCold;
    const coldRequests = proxy.requests.length - coldStart;
    await warm.stop();
    // Each run is a new server process reading the same cache directory. "fresh": the file is the first
    // one the server sees (includes its first analysis, JIT-cold); "warm": another file was opened first.
    const times: number[] = [];
    const warmTimes: number[] = [];
    const firstHints: number[] = [];
    let cacheRequests = 0;
    for (let r = 0; r < runs * 2; r++) {
      const fresh = r % 2 === 0;
      const s = new Server(cacheA);
      await s.init();
      if (!fresh) {
        const w = `file:///tmp/bench-images/warmup${r}/Dockerfile`;
        await s.client.open(w, 'FROM scratch\nRUN true\n');
        await s.hints(w);
      }
      const before = proxy.requests.length;
      const uri = `file:///tmp/bench-images/a${r}/Dockerfile`;
      const t0 = performance.now();
      await s.client.open(uri, twenty);
      await s.hints(uri);
      if (fresh) firstHints.push(performance.now() - t0);
      await s.waitAll([uri], () => 20);
      (fresh ? times : warmTimes).push(performance.now() - t0);
      cacheRequests += proxy.requests.length - before;
      await s.stop();
    }

    // ---- B: 50 Dockerfiles sharing bases
    const rand = mulberry32(50);
    const files: { uri: string; text: string; refs: number }[] = [];
    let refs = 0;
    const distinct = new Set<string>();
    for (let f = 0; f < 50; f++) {
      const n = 1 + Math.floor(rand() * 3);
      const lines: string[] = [];
      let lastArm = false;
      for (let k = 0; k < n; k++) {
        const idx = Math.floor(rand() * bases.length);
        const arm = idx < 5 && rand() < 0.3;
        lastArm = arm;
        lines.push(`FROM ${arm ? '--platform=linux/arm64 ' : ''}${P}/${bases[idx]} AS s${k}`, 'RUN true');
        distinct.add(`${bases[idx]}|${arm ? 'arm64' : 'amd64'}`);
      }
      // COPY --from pulls for the stage's platform; the shared single-platform image is amd64 only.
      if (rand() < 0.3 && !lastArm) {
        lines.push(`COPY --from=${P}/${bases[5]} /bin/sh /sh`);
        distinct.add(`${bases[5]}|amd64`);
        refs++;
      }
      refs += n;
      files.push({ uri: `file:///tmp/bench-images/ws/${f}/Dockerfile`, text: lines.join('\n') + '\n', refs: lines.filter((l) => l.includes(P)).length });
    }
    const perRef = new Map(files.map((f) => [f.uri, f.refs]));
    const cacheB = tmp();
    const runB = async (): Promise<{ requests: number; ms: number; heads: number }> => {
      const s = new Server(cacheB);
      await s.init();
      const before = proxy!.requests.length;
      const t0 = performance.now();
      for (const f of files) await s.client.open(f.uri, f.text);
      await s.waitAll(files.map((f) => f.uri), (u) => perRef.get(u)!);
      const made = proxy!.requests.slice(before);
      await s.stop();
      return { requests: made.length, ms: performance.now() - t0, heads: made.filter((r) => r.method === 'HEAD').length };
    };
    const coldB = await runB();
    const warmB = await runB();
    // After the TTL (same cache, clock moved): one HEAD per distinct tag, in-process.
    const now = Date.now() + 25 * 3600_000;
    const svc = new ImageService({ cacheDir: cacheB, online: true, trusted: true, timeoutMs: 5000, ttlMs: 24 * 3600_000, httpHosts: [], docker: false, now: () => now });
    const beforeTtl = proxy.requests.length;
    await Promise.all(
      [...distinct].map((d) => {
        const [image, arch] = d.split('|');
        const r = parseImageRef(`${P}/${image}`);
        return r.ok ? svc.lookup(r.ref, arch === 'arm64' ? 'linux/arm64' : 'linux/amd64') : undefined;
      }),
    );
    const ttlRequests = proxy.requests.slice(beforeTtl);
    closeIdleSockets();
    // Without deduplication or caching: every reference resolves alone (index + manifest, or manifest + config).
    const naive = refs * 2;

    const result = {
      a: {
        fromLines: 20,
        runs,
        coldMs: Math.round(coldMs),
        coldRequests,
        firstHintsResponseMedianMs: Math.round(median(firstHints)),
        cacheMedianMs: Math.round(median(times)),
        cacheMaxMs: Math.round(Math.max(...times)),
        cacheWarmServerMedianMs: Math.round(median(warmTimes)),
        cacheWarmServerMaxMs: Math.round(Math.max(...warmTimes)),
        cacheRequests,
      },
      b: {
        dockerfiles: 50,
        references: refs,
        distinctImagePlatforms: distinct.size,
        coldRequests: coldB.requests,
        coldMs: Math.round(coldB.ms),
        warmRequests: warmB.requests,
        afterTtlRequests: ttlRequests.length,
        afterTtlHeads: ttlRequests.filter((r) => r.method === 'HEAD').length,
        naiveRequests: naive,
      },
    };
    console.log('A. 20 FROM lines, hints from the on-disk cache (fresh server process each run):');
    console.log(`   cold (registry): ${result.a.coldMs} ms, ${result.a.coldRequests} requests`);
    console.log(`   from cache, file first opened by a fresh server: median ${result.a.cacheMedianMs} ms, max ${result.a.cacheMaxMs} ms (didOpen -> all 20 hints; the first inlayHint answer alone takes ${result.a.firstHintsResponseMedianMs} ms)`);
    console.log(`   from cache, server already warm: median ${result.a.cacheWarmServerMedianMs} ms, max ${result.a.cacheWarmServerMaxMs} ms; ${result.a.cacheRequests} network requests in all ${runs * 2} runs`);
    console.log(`B. 50 Dockerfiles, ${refs} image references, ${distinct.size} distinct image/platform pairs (8 bases):`);
    console.log(`   cold cache: ${result.b.coldRequests} requests (${result.b.coldMs} ms until every hint shows a figure)`);
    console.log(`   warm cache, restarted server: ${result.b.warmRequests} requests`);
    console.log(`   after the TTL: ${result.b.afterTtlRequests} requests (${result.b.afterTtlHeads} HEAD)`);
    console.log(`   a client without dedup or cache: about ${result.b.naiveRequests} requests on every open`);
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 2));
  } finally {
    await proxy?.close();
    reg.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
