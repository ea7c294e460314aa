/**
 * The layer explorer on real archives: `docker save` streamed through the tar reader (classic layout), the
 * same image re-packed as an OCI layout with gzip layers, the tar reader's long names (GNU and PAX), and the
 * exact wasted bytes of an image built to waste a known number of bytes; the child-process worker end to end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runBuild } from '../../server/src/host/docker/build';
import { analyzeImageArchive, type ArchiveReport } from '../../server/src/host/docker/image-archive';
import { exploreImage, type WorkerMessage } from '../../server/src/host/docker/layer-worker';
import { readTar } from '../../server/src/host/docker/tar';
import { KIND_FILE, LayerEntries, WasteCalculator } from '../../server/src/host/docker/waste';
import { BASE_IMAGE, cleanup, DOCKER, dockerReady, makeContext, ROOT, startDocker, uniqueTag } from './support';

before(async () => {
  await startDocker();
});
const temps: string[] = [];
after(() => {
  cleanup();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/**
 * 3,000,000 bytes written, overwritten and deleted (6,000,000 wasted: both versions hidden); 1,000,000 written
 * and overwritten (1,000,000 wasted: the survivor is not waste); 500,000 in a directory that is removed and
 * re-created (500,000 wasted, whether the engine writes an opaque whiteout or per-file ones).
 */
const WASTE = `FROM ${BASE_IMAGE}
RUN mkdir /data && dd if=/dev/urandom of=/data/blob bs=1000 count=3000
RUN dd if=/dev/urandom of=/data/blob bs=1000 count=3000
RUN rm /data/blob
RUN dd if=/dev/urandom of=/keep bs=1000 count=1000
RUN dd if=/dev/urandom of=/keep bs=1000 count=1000
RUN mkdir -p /o/sub && dd if=/dev/urandom of=/o/sub/f bs=1000 count=500
RUN rm -rf /o && mkdir /o && echo x > /o/new
`;
const EXPECTED_WASTE = 7_500_000;

let wasteImage: Promise<string> | undefined;
function buildWasteImage(): Promise<string> {
  wasteImage ??= (async () => {
    const ctx = makeContext({ Dockerfile: WASTE });
    const tag = uniqueTag('waste');
    const r = await runBuild({ dockerPath: DOCKER, builder: 'buildkit', dockerfile: join(ctx, 'Dockerfile'), context: ctx, tag, network: 'none' });
    if (!r.ok) throw new Error(`build failed: ${JSON.stringify(r)}`);
    return tag;
  })();
  return wasteImage;
}

function checkWaste(report: ArchiveReport): void {
  assert.equal(report.layers.length, 8);
  assert.equal(report.wastedBytes, EXPECTED_WASTE);
  assert.equal(report.totalBytes - report.finalBytes, EXPECTED_WASTE);
  // dive counts the survivor of /keep too (2 x 1,000,000), and both versions of /data/blob (2 x 3,000,000).
  assert.equal(report.diveWastedBytes, 8_000_000);
  const [first, second, third] = report.offenders;
  assert.deepEqual([first.path, first.wastedBytes, first.versions, first.removed], ['data/blob', 6_000_000, 2, true]);
  assert.deepEqual([second.path, second.wastedBytes, second.versions, second.removed], ['keep', 1_000_000, 1, false]);
  assert.deepEqual([third.path, third.wastedBytes, third.removed], ['o/sub/f', 500_000, true]);
  // Per layer: added, changed, removed, and which layer's bytes were wasted.
  const L = report.layers;
  assert.deepEqual([L[1].added.count, L[1].added.bytes, L[1].wastedBytes], [1, 3_000_000, 3_000_000]);
  assert.deepEqual([L[2].changed.count, L[2].changed.bytes, L[2].wastedBytes], [1, 3_000_000, 3_000_000]);
  assert.deepEqual([L[3].removed.count, L[3].removed.bytes, L[3].size], [1, 3_000_000, 0]);
  assert.deepEqual([L[5].changed.count, L[5].wastedBytes], [1, 0]);
  assert.equal(L[4].wastedBytes, 1_000_000);
  assert.deepEqual([L[7].removed.count, L[7].removed.bytes], [1, 500_000]);
  assert.equal(L[2].largest[0].path, 'data/blob');
  const expectedEff = report.finalBytes / report.totalBytes;
  assert.equal(report.efficiency, expectedEff);
  assert.ok(report.efficiency < 0.5 && report.efficiency > 0.1, String(report.efficiency));
  assert.ok(report.layerInfo[1].createdBy?.includes('dd if=/dev/urandom of=/data/blob'), report.layerInfo[1].createdBy);
  assert.ok(report.layerInfo.every((l) => l.diffId?.startsWith('sha256:')));
}

test('wasted bytes of an image built to waste a known number of bytes are exact (docker save, classic layout)', async (t) => {
  if (!(await dockerReady(t))) return;
  const tag = await buildWasteImage();
  let progress = 0;
  const report = await exploreImage({ dockerPath: DOCKER, image: tag }, (bytes) => (progress = bytes));
  assert.equal(report.format, 'docker');
  assert.ok(report.repoTags.includes(tag));
  checkWaste(report);
  assert.ok(progress > 0 || report.archiveBytes < 10_000_000);
});

/** Re-packs a `docker save` archive as an OCI image layout with gzip layers, and no manifest.json. */
function toOciLayout(tag: string): string {
  const src = mkdtempSync(join(tmpdir(), 'dockwright-save-'));
  const out = mkdtempSync(join(tmpdir(), 'dockwright-oci-'));
  temps.push(src, out);
  const save = spawnSync(DOCKER, ['save', '-o', join(src, 'image.tar'), tag]);
  assert.equal(save.status, 0, String(save.stderr));
  assert.equal(spawnSync('tar', ['-x', '-f', join(src, 'image.tar'), '-C', src]).status, 0);
  const manifest = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
  mkdirSync(join(out, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer): { digest: string; size: number } => {
    const hex = createHash('sha256').update(data).digest('hex');
    writeFileSync(join(out, 'blobs', 'sha256', hex), data);
    return { digest: `sha256:${hex}`, size: data.length };
  };
  const config = put(readFileSync(join(src, manifest[0].Config)));
  const layers = manifest[0].Layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...put(gzipSync(readFileSync(join(src, l)), { level: 1 })) }));
  const m = put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers })));
  writeFileSync(join(out, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations: { 'io.containerd.image.name': tag } }] }));
  writeFileSync(join(out, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return out;
}

test('the same image as an OCI layout with gzip layers gives the same report', async (t) => {
  if (!(await dockerReady(t))) return;
  const tag = await buildWasteImage();
  const dir = toOciLayout(tag);
  const tar = spawn('tar', ['-c', '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const report = await analyzeImageArchive(tar.stdout);
  assert.equal(report.format, 'oci');
  assert.deepEqual(report.repoTags, [tag]);
  checkWaste(report);
});

test('the tar reader reads GNU and PAX long names, links and sizes, streaming', async (t) => {
  if (!(await dockerReady(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'dockwright-tar-'));
  temps.push(dir);
  const long = `${'d'.repeat(120)}/${'e'.repeat(90)}/${'f'.repeat(100)}.txt`;
  mkdirSync(join(dir, 'root', long, '..'), { recursive: true });
  writeFileSync(join(dir, 'root', long), Buffer.alloc(70_000, 7));
  writeFileSync(join(dir, 'root', 'small'), 'hi');
  spawnSync('ln', ['-s', 'small', join(dir, 'root', 'link')]);
  for (const format of ['gnu', 'pax', 'ustar']) {
    const tar = spawn('tar', [`--format=${format}`, '-c', '-C', join(dir, 'root'), '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const seen = new Map<string, { size: number; type: string; linkname: string; read: number }>();
    try {
      for await (const e of readTar(tar.stdout)) {
        let read = 0;
        if (e.name === 'small') for await (const c of e.body()) read += c.length;
        seen.set(e.name.replace(/\/$/, ''), { size: e.size, type: e.type, linkname: e.linkname, read });
      }
    } catch (err) {
      // ustar cannot store the long name: tar fails, which is fine.
      if (format !== 'ustar') throw err;
    }
    if (format === 'ustar') continue;
    assert.deepEqual(seen.get(long), { size: 70_000, type: 'file', linkname: '', read: 0 }, format);
    assert.deepEqual(seen.get('small'), { size: 2, type: 'file', linkname: '', read: 2 }, format);
    assert.equal(seen.get('link')?.type, 'symlink');
    assert.equal(seen.get('link')?.linkname, 'small');
  }
});

test('whiteouts: a deleted directory, an opaque directory and a file replaced by a directory', () => {
  const layer = (...entries: [string, number, number][]) => {
    const l = new LayerEntries();
    for (const [p, s, k] of entries) l.add(p, s, k);
    return l;
  };
  const calc = new WasteCalculator();
  calc.addLayer(layer(['a/', 0, 1], ['a/x', 10, KIND_FILE], ['a/y', 20, KIND_FILE], ['b/', 0, 1], ['b/z', 5, KIND_FILE], ['c', 7, KIND_FILE]));
  calc.addLayer(layer(['a/.wh..wh..opq', 0, KIND_FILE], ['a/n', 1, KIND_FILE], ['.wh.b', 0, KIND_FILE], ['c/', 0, 1], ['c/inside', 3, KIND_FILE]));
  const r = calc.finish();
  // a/x, a/y hidden by the opaque dir; b/z by the deleted dir; c (a file) replaced by a directory.
  assert.equal(r.wastedBytes, 10 + 20 + 5 + 7);
  assert.equal(r.finalBytes, 1 + 3);
  assert.deepEqual([r.layers[1].removed.count, r.layers[1].removed.bytes], [3, 35]);
  assert.deepEqual(r.offenders.map((o) => o.path), ['a/y', 'a/x', 'c', 'b/z']);
});

test('the worker runs in a child process and reports progress and the result over IPC', async (t) => {
  if (!(await dockerReady(t))) return;
  const tag = await buildWasteImage();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/host/docker/layer-worker.ts'), '--dockwright-layer-worker', JSON.stringify({ dockerPath: DOCKER, image: tag })], {
    cwd: ROOT,
    env: { ...process.env, DOCKWRIGHT_LAYER_WORKER: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: WorkerMessage[] = [];
  child.on('message', (m: WorkerMessage) => messages.push(m));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done', JSON.stringify(messages.filter((m) => m.type !== 'progress')));
  assert.equal(done.report.wastedBytes, EXPECTED_WASTE);
  assert.ok(done.peakRssBytes > 0);
  // A missing image: one fault message, no stack trace.
  const bad = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/host/docker/layer-worker.ts'), '--dockwright-layer-worker', JSON.stringify({ dockerPath: DOCKER, image: 'dockwright-test/none:none' })], {
    cwd: ROOT,
    env: { ...process.env, DOCKWRIGHT_LAYER_WORKER: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const badMessages: WorkerMessage[] = [];
  bad.on('message', (m: WorkerMessage) => badMessages.push(m));
  await new Promise((resolve) => bad.on('exit', resolve));
  assert.deepEqual(badMessages.map((m) => m.type === 'error' && m.fault.kind), ['not-found']);
  // Nothing of the save is left running.
  assert.equal(readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`save\0--\0`) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tag);
    } catch {
      return false;
    }
  }), false);
});

test('identical layers (stored once, the second a symlink in the archive) are both applied', async (t) => {
  if (!(await dockerReady(t))) return;
  const ctx = makeContext({ Dockerfile: `FROM ${BASE_IMAGE}\nCOPY a.bin /a.bin\nCOPY a.bin /a.bin\n`, 'a.bin': Buffer.alloc(200_000, 'ab') });
  const tag = uniqueTag('twins');
  const r = await runBuild({ dockerPath: DOCKER, builder: 'buildkit', dockerfile: join(ctx, 'Dockerfile'), context: ctx, tag, network: 'none' });
  assert.ok(r.ok, JSON.stringify(r));
  const report = await exploreImage({ dockerPath: DOCKER, image: tag });
  assert.equal(report.layers.length, 3);
  assert.equal(report.layerInfo[1].diffId, report.layerInfo[2].diffId);
  assert.equal(report.wastedBytes, 200_000);
  assert.deepEqual(report.offenders.map((o) => [o.path, o.wastedBytes, o.removed]), [['a.bin', 200_000, false]]);
  assert.deepEqual([report.layers[2].changed.count, report.layers[2].added.count], [1, 0]);
});
