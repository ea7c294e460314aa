/**
 * Reads an image archive as `docker save` streams it and computes the layer explorer's report. Both layouts:
 * - classic (docker < 25): `manifest.json` ({ Config, RepoTags, Layers: ["<id>/layer.tar"] }), `<config>.json`,
 *   `<id>/layer.tar`;
 * - OCI (docker 25+, also written by other tools): `index.json` -> manifest blob -> `blobs/sha256/<hex>` layers
 *   and config (a `manifest.json` may be there too; symlinked legacy paths are followed).
 * Entries can come in any order (the manifest usually comes last), so each layer's file list (paths, sizes,
 * kinds: no contents) is kept until the order is known; small JSON entries are parsed, layer blobs (tar or
 * gzip) are streamed through the tar reader.
 *
 * Must not: buffer a layer; depend on VS Code.
 */
import { posix } from 'node:path';
import { historyFromConfig } from '../../core/features/layer-map';
import { decompressed, readTar, TarFormatError, TarScanner, type TarType } from './tar';
import { KIND_DIR, KIND_FILE, KIND_LINK, KIND_OTHER, LayerEntries, WasteCalculator, type WasteOptions, type WasteReport } from './waste';

const MAX_JSON = 64 * 1024 * 1024;

export interface ArchiveLayerInfo {
  /** The layer's path in the archive. */
  readonly path: string;
  /** Its diff id when the config lists it (`sha256:...`). */
  readonly diffId: string | undefined;
  /** The `created_by` of the history entry that made it, when the config has one. */
  readonly createdBy: string | undefined;
}

export interface ArchiveReport extends WasteReport {
  readonly format: 'docker' | 'oci';
  readonly repoTags: readonly string[];
  readonly layerInfo: readonly ArchiveLayerInfo[];
  /** Bytes read from the archive stream. */
  readonly archiveBytes: number;
}

export interface ArchiveOptions extends WasteOptions {
  /** Called as bytes of the archive are read (often: the caller throttles). */
  readonly onBytes?: (total: number) => void;
  readonly signal?: AbortSignal;
}

function kindOf(type: TarType): number {
  switch (type) {
    case 'file':
      return KIND_FILE;
    case 'dir':
      return KIND_DIR;
    case 'symlink':
    case 'hardlink':
      return KIND_LINK;
    default:
      return KIND_OTHER;
  }
}

async function* counted(source: AsyncIterable<Buffer>, onBytes: ((n: number) => void) | undefined, box: { bytes: number }, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  for await (const c of source) {
    if (signal?.aborted) throw new Error('cancelled');
    box.bytes += c.length;
    onBytes?.(box.bytes);
    yield c;
  }
}

/** Reads one layer blob's file list, to its end (headers only: bodies are skipped as they stream by). */
async function readLayer(body: AsyncIterable<Buffer>): Promise<LayerEntries> {
  const out = new LayerEntries();
  const scanner = new TarScanner((h) => out.add(h.name, h.size, kindOf(h.type)));
  for await (const c of decompressed(body)) scanner.push(c);
  scanner.end();
  return out;
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}

function isJsonStart(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

async function readAll(head: Buffer, rest: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts = [head];
  for (;;) {
    const r = await rest.next();
    if (r.done) break;
    parts.push(r.value);
  }
  return Buffer.concat(parts);
}

async function* fromBuffer(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

interface Manifest {
  config: string | undefined;
  layers: string[];
  repoTags: string[];
}

function resolveManifest(jsons: Map<string, unknown>, format: { oci: boolean }): Manifest {
  const legacy = jsons.get('manifest.json') as { Config?: string; RepoTags?: string[] | null; Layers?: string[] }[] | undefined;
  if (Array.isArray(legacy) && legacy[0] && Array.isArray(legacy[0].Layers)) {
    return { config: legacy[0].Config, layers: legacy[0].Layers, repoTags: legacy[0].RepoTags ?? [] };
  }
  const index = jsons.get('index.json') as { manifests?: { digest: string; mediaType?: string; platform?: { os?: string }; annotations?: Record<string, string> }[] } | undefined;
  if (!index) throw new TarFormatError('the archive has neither manifest.json nor index.json: is it an image archive?');
  format.oci = true;
  let desc = index.manifests?.[0];
  const tags: string[] = [];
  for (let depth = 0; desc && depth < 4; depth++) {
    const tag = desc.annotations?.['io.containerd.image.name'] ?? desc.annotations?.['org.opencontainers.image.ref.name'];
    if (tag) tags.push(tag);
    const m = jsons.get(blobPath(desc.digest)) as { manifests?: typeof desc[]; layers?: { digest: string }[]; config?: { digest: string } } | undefined;
    if (!m) break;
    if (Array.isArray(m.manifests)) {
      desc = m.manifests.find((d) => d?.platform?.os !== 'unknown') ?? m.manifests[0];
      continue;
    }
    return { config: m.config ? blobPath(m.config.digest) : undefined, layers: (m.layers ?? []).map((l) => blobPath(l.digest)), repoTags: tags };
  }
  throw new TarFormatError('the image manifest is missing from the archive');
}

/**
 * Reads a `docker save` stream and returns the per-layer changes and the waste report. Throws a
 * `TarFormatError` for archives it cannot read.
 */
export async function analyzeImageArchive(source: AsyncIterable<Buffer>, options: ArchiveOptions = {}): Promise<ArchiveReport> {
  const box = { bytes: 0 };
  const jsons = new Map<string, unknown>();
  const layers = new Map<string, LayerEntries>();
  const links = new Map<string, string>();
  for await (const e of readTar(counted(source, options.onBytes, box, options.signal))) {
    const name = e.name.replace(/\/+$/, '');
    if (e.type === 'symlink' || e.type === 'hardlink') {
      links.set(name, e.type === 'symlink' ? posix.normalize(posix.join(posix.dirname(name), e.linkname)) : e.linkname);
      continue;
    }
    if (e.type !== 'file' || e.size === 0) continue;
    const base = posix.basename(name);
    if (base === 'VERSION' || base === 'json' || base === 'repositories' || base === 'oci-layout') continue;
    const it = e.body();
    const first = await it.next();
    if (first.done) continue;
    const head = first.value;
    if (e.size <= MAX_JSON && isJsonStart(head)) {
      const all = await readAll(head, it);
      try {
        jsons.set(name, JSON.parse(all.toString('utf8')));
        continue;
      } catch {
        layers.set(name, await readLayer(fromBuffer(all)));
        continue;
      }
    }
    const rest: AsyncIterable<Buffer> = (async function* () {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })();
    layers.set(name, await readLayer(rest));
  }
  const format = { oci: false };
  const manifest = resolveManifest(jsons, format);
  const config = manifest.config ? (jsons.get(manifest.config) ?? jsons.get(links.get(manifest.config) ?? '')) : undefined;
  const history = historyFromConfig(config).filter((h) => !h.emptyLayer);
  const diffIds = ((config as { rootfs?: { diff_ids?: string[] } } | undefined)?.rootfs?.diff_ids ?? []) as string[];
  const calc = new WasteCalculator(options);
  const layerInfo: ArchiveLayerInfo[] = [];
  // Resolve each listed path to the entry that holds the file list (legacy paths may be symlinks to a blob, or
  // to another layer's tar when two layers are identical), and count the uses of each.
  const resolved = manifest.layers.map((path) => {
    let p = path;
    for (let hops = 0; !layers.has(p) && hops < 8 && links.has(p); hops++) p = links.get(p)!;
    if (!layers.has(p)) throw new TarFormatError(`layer ${path} is missing from the archive`);
    return p;
  });
  const uses = new Map<string, number>();
  for (const p of resolved) uses.set(p, (uses.get(p) ?? 0) + 1);
  manifest.layers.forEach((path, i) => {
    const p = resolved[i];
    calc.addLayer(layers.get(p)!);
    // Free the list once it has been applied for the last time.
    const left = uses.get(p)! - 1;
    uses.set(p, left);
    if (left === 0) layers.delete(p);
    layerInfo.push({ path, diffId: diffIds[i], createdBy: history[i]?.createdBy });
  });
  const report = calc.finish();
  return { ...report, format: format.oci ? 'oci' : 'docker', repoTags: manifest.repoTags, layerInfo, archiveBytes: box.bytes };
}
