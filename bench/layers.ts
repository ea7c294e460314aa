/**
 * Numbers for the build/layer features, against the real dockerd (scripts/env/docker.sh start):
 * 1. mapping history entries to instructions for an image with 30 layers: the pure mapping alone, and the
 *    whole lens refresh (docker history + docker image inspect + mapping);
 * 2. the layer explorer (bundled worker, plain node, forked as the extension does) on an image of more than
 *    1 GB (random data in several layers, one overwritten so there is waste) and on an image with 100,000
 *    files: peak RSS of the worker process, wall time, throughput.
 * The images are built from local/busybox:1 and deleted afterwards.
 * Usage: npx tsx bench/layers.ts [--gb 1.1] [--json out.json]
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { analyzeSyntax } from '../server/src/core/analyze';
import { instructionLayers, mapLayers } from '../server/src/core/features/layer-map';
import { runBuild } from '../server/src/host/docker/build';
import { imageLayers } from '../server/src/host/docker/images';
import type { WorkerMessage } from '../server/src/host/docker/layer-worker';

const DOCKER = process.env.DOCKWRIGHT_TEST_DOCKER ?? '/usr/bin/docker';
const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const gb = Number(args[args.indexOf('--gb') + 1] ?? '') || 1.1;
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function build(name: string, dockerfile: string): Promise<{ tag: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `dockwright-bench-${name}-`));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'file.txt'), 'x'.repeat(1000));
  const tag = `dockwright-bench/${name}:${process.pid}`;
  const t0 = performance.now();
  const r = await runBuild({ dockerPath: DOCKER, builder: 'buildkit', dockerfile: join(dir, 'Dockerfile'), context: dir, tag, network: 'none' });
  if (!r.ok) throw new Error(`build of ${name} failed: ${JSON.stringify(r)}`);
  console.error(`built ${tag} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { tag, dir };
}

function remove(tag: string, dir: string): void {
  spawnSync(DOCKER, ['image', 'rm', '-f', tag]);
  rmSync(dir, { recursive: true, force: true });
}

async function workerBundle(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'dockwright-worker-')), 'layer-worker.js');
  await esbuild.build({ entryPoints: [join(ROOT, 'server/src/host/docker/layer-worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
  return out;
}

/** `docker save` alone, read and discarded: how fast the engine produces the archive. */
function saveOnly(image: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(DOCKER, ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - t0, bytes }));
  });
}

function explore(worker: string, image: string): Promise<{ peakRssBytes: number; durationMs: number; archiveBytes: number; wastedBytes: number; totalBytes: number; layers: number; files: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, ['--dockwright-layer-worker', JSON.stringify({ dockerPath: DOCKER, image, timeoutMs: 60_000 })], {
      env: { ...process.env, DOCKWRIGHT_LAYER_WORKER: '1' },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') {
        const r = m.report;
        resolve({
          peakRssBytes: m.peakRssBytes,
          durationMs: m.durationMs,
          archiveBytes: r.archiveBytes,
          wastedBytes: r.wastedBytes,
          totalBytes: r.totalBytes,
          layers: r.layers.length,
          files: r.layers.reduce((a, l) => a + l.entries, 0),
        });
      } else if (m.type === 'error') reject(new Error(m.fault.message));
    });
    child.on('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const start = spawnSync('bash', [join(ROOT, 'scripts/env/docker.sh'), 'start'], { stdio: 'inherit' });
  if (start.status !== 0) throw new Error('dockerd could not be started');
  const results: Record<string, unknown> = {};

  // 1. Mapping an image with 30 layers (the base layer + 29 RUN/COPY steps; ENV/LABEL entries in between).
  const lines = ['FROM local/busybox:1', 'ARG V=1'];
  for (let i = 1; i <= 29; i++) {
    if (i % 5 === 0) lines.push(`COPY file.txt /copy-${i}.txt`);
    else lines.push(`RUN echo step-${i} > /step-${i}.txt && dd if=/dev/zero of=/blob-${i} bs=1000 count=${i}`);
    if (i % 7 === 0) lines.push(`ENV STEP_${i}=${i}`, `LABEL step${i}=yes`);
  }
  lines.push('CMD ["sh"]');
  const text = lines.join('\n') + '\n';
  const thirty = await build('thirty', text);
  try {
    const opts = { dockerPath: DOCKER };
    const layers = await imageLayers(thirty.tag, opts);
    const analysis = analyzeSyntax(text);
    const mapping = mapLayers(analysis, layers.history, { diffIds: layers.diffIds });
    const made = instructionLayers(mapping);
    if (layers.diffIds.length !== 30 || made.length !== 29) throw new Error(`expected 30 layers / 29 mapped, got ${layers.diffIds.length} / ${made.length}`);
    const pure: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      mapLayers(analysis, layers.history, { diffIds: layers.diffIds });
      pure.push(performance.now() - t0);
    }
    const pureNoTarget: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      mapLayers(analysis, layers.history, { target: '0', diffIds: layers.diffIds });
      pureNoTarget.push(performance.now() - t0);
    }
    const whole: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const l = await imageLayers(thirty.tag, opts);
      mapLayers(analysis, l.history, { diffIds: l.diffIds });
      whole.push(performance.now() - t0);
    }
    results.map30 = {
      layers: layers.diffIds.length,
      historyEntries: layers.history.length,
      mappedLayers: made.length,
      mapMedianMs: Number(median(pureNoTarget).toFixed(3)),
      mapBestStageMedianMs: Number(median(pure).toFixed(3)),
      dockerPlusMapMedianMs: Number(median(whole).toFixed(1)),
    };
    console.error('map30', results.map30);
  } finally {
    remove(thirty.tag, thirty.dir);
  }

  const worker = await workerBundle();
  // 2a. More than 1 GB of random data in several layers; the first layer's file is overwritten later.
  const perLayerMb = Math.ceil((gb * 1000) / 5);
  const big = await build(
    'big',
    [
      'FROM local/busybox:1',
      ...Array.from({ length: 5 }, (_, i) => `RUN dd if=/dev/urandom of=/data-${i} bs=1000000 count=${perLayerMb} 2>/dev/null`),
      `RUN dd if=/dev/urandom of=/data-0 bs=1000000 count=10 2>/dev/null`,
    ].join('\n') + '\n',
  );
  try {
    const save = await saveOnly(big.tag);
    const r = await explore(worker, big.tag);
    results.explorer1GB = {
      ...r,
      peakRssMB: Math.round(r.peakRssBytes / 1e6),
      throughputMBps: Math.round(r.archiveBytes / 1e6 / (r.durationMs / 1000)),
      dockerSaveAloneMs: Math.round(save.ms),
      dockerSaveAloneMBps: Math.round(save.bytes / 1e6 / (save.ms / 1000)),
    };
    console.error('explorer1GB', results.explorer1GB);
  } finally {
    remove(big.tag, big.dir);
  }

  // 2b. Many files: 100,000 small files in one layer, half of them deleted in the next.
  const many = await build('many', 'FROM local/busybox:1\nRUN mkdir /m && cd /m && seq 1 100000 | xargs touch && echo done\nRUN cd /m && seq 1 2 100000 | xargs rm\n');
  try {
    const save = await saveOnly(many.tag);
    const r = await explore(worker, many.tag);
    results.explorer100kFiles = { ...r, peakRssMB: Math.round(r.peakRssBytes / 1e6), dockerSaveAloneMs: Math.round(save.ms) };
    console.error('explorer100kFiles', results.explorer100kFiles);
  } finally {
    remove(many.tag, many.dir);
    rmSync(join(worker, '..'), { recursive: true, force: true });
  }

  // A bare node process, for scale.
  results.nodeBaselineRssMB = Math.round(Number(spawnSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS*1024)'], { encoding: 'utf8' }).stdout) / 1e6);
  console.log(JSON.stringify(results, null, 2));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
