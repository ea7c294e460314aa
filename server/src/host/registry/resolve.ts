/**
 * From a tag (or digest) to the image for one platform: read the top manifest; for an OCI index or Docker
 * manifest list choose the platform's entry (attestations skipped, arm64 = arm64/v8) and read its manifest;
 * for a single image read its config to learn its platform. The compressed size is the sum of the layer
 * sizes plus the config size, as the manifest states them (what a pull downloads).
 *
 * Works over any `ManifestFetcher`, so the image service can put its digest-addressed cache in front of the
 * registry and the table generator can use the registry directly.
 */
import {
  choosePlatform,
  entryPlatform,
  formatPlatform,
  isAttestation,
  normalizePlatform,
  type IndexEntry,
  type Platform,
} from '../../core/features/image-info';
import { MEDIA_TYPES, RegistryError, parseJson } from './client';

export interface FetchedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: Buffer;
}

export interface ManifestFetcher {
  /** A manifest by tag or digest. */
  manifest(reference: string): Promise<FetchedManifest>;
  /** A small blob (an image config) by digest. */
  blob(digest: string): Promise<Buffer>;
  /** For messages: `registry-1.docker.io`. */
  readonly host: string;
}

export interface PlatformImage {
  readonly platform: string;
  readonly digest: string;
  /** Layers plus config, bytes; undefined when this platform's manifest was not read. */
  readonly size?: number;
  readonly layers?: number;
}

export interface ResolvedImage {
  /** The digest of what the reference points at (an index digest for multi-platform images). */
  readonly digest: string;
  readonly mediaType: string;
  readonly multiPlatform: boolean;
  /** Every platform offered (attestations skipped). */
  readonly platforms: readonly PlatformImage[];
  /** The entry for the wanted platform; undefined when the image does not offer it (see `noPlatform`). */
  readonly chosen: PlatformImage | undefined;
  /** Why no entry fits the wanted platform. */
  readonly noPlatform?: string;
  /** Index entries that were attestations. */
  readonly attestations: number;
}

export interface ResolveOptions {
  /** Also read the manifests of the other platforms (for per-platform sizes), at most this many. */
  readonly otherPlatforms?: number;
}

interface ImageManifest {
  readonly layers: readonly { size: number }[];
  readonly config: { digest: string; size: number; mediaType?: string };
}

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);
const IMAGE_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);

/** Resolves `reference` for `wanted`; throws RegistryError (`invalid`, `not-found`, ...) when it cannot. */
export async function resolveImage(f: ManifestFetcher, reference: string, wanted: Platform, options: ResolveOptions = {}): Promise<ResolvedImage> {
  const top = await f.manifest(reference);
  const json = parseJson(top.body, f.host, 'manifest');
  if (!json || typeof json !== 'object') throw new RegistryError('invalid', `${f.host} sent a manifest that is not a JSON object`);
  const o = json as Record<string, unknown>;
  if (o.schemaVersion === 1) throw new RegistryError('unsupported', `${f.host} only offers a schema 1 manifest (obsolete, no sizes)`);
  const isIndex = INDEX_TYPES.has(top.mediaType) || (Array.isArray(o.manifests) && !Array.isArray(o.layers));
  if (isIndex) {
    const entries = readIndex(o, f.host);
    const usable = entries.filter((e) => !isAttestation(e) && entryPlatform(e));
    const attestations = entries.filter((e) => isAttestation(e)).length;
    const choice = choosePlatform(usable, wanted);
    const platforms = usable.map((e) => ({ platform: formatPlatform(entryPlatform(e)!), digest: e.digest as string }));
    if (!choice) {
      const offered = [...new Set(platforms.map((p) => p.platform))].join(', ') || 'nothing usable';
      return { digest: top.digest, mediaType: top.mediaType, multiPlatform: true, platforms, chosen: undefined, attestations, noPlatform: `the image offers ${offered}, not ${formatPlatform(wanted)}` };
    }
    const chosenManifest = await readImage(f, choice.digest as string);
    const chosen: PlatformImage = { platform: formatPlatform(entryPlatform(choice)!), digest: choice.digest as string, size: imageSize(chosenManifest), layers: chosenManifest.layers.length };
    const sized: PlatformImage[] = [];
    let budget = options.otherPlatforms ?? 0;
    for (const p of platforms) {
      if (p.digest === chosen.digest) sized.push(chosen);
      else if (budget > 0) {
        budget--;
        try {
          const m = await readImage(f, p.digest);
          sized.push({ ...p, size: imageSize(m), layers: m.layers.length });
        } catch {
          sized.push(p);
        }
      } else sized.push(p);
    }
    return { digest: top.digest, mediaType: top.mediaType, multiPlatform: true, platforms: sized, chosen, attestations };
  }
  if (!IMAGE_TYPES.has(top.mediaType) && !Array.isArray(o.layers)) {
    throw new RegistryError('unsupported', `${f.host} sent a manifest of an unsupported type (${top.mediaType || 'none'})`);
  }
  const m = readManifest(o, f.host);
  const config = await f.blob(m.config.digest);
  const cfg = parseJson(config, f.host, 'image config') as { os?: unknown; architecture?: unknown; variant?: unknown } | null;
  const platform =
    cfg && typeof cfg.os === 'string' && typeof cfg.architecture === 'string'
      ? normalizePlatform({ os: cfg.os, architecture: cfg.architecture, variant: typeof cfg.variant === 'string' && cfg.variant ? cfg.variant : undefined })
      : undefined;
  const chosen: PlatformImage = { platform: platform ? formatPlatform(platform) : 'unknown', digest: top.digest, size: imageSize(m), layers: m.layers.length };
  if (platform && !(platform.os === wanted.os && platform.architecture === wanted.architecture && (platform.variant ?? '') === (wanted.variant ?? ''))) {
    return { digest: top.digest, mediaType: top.mediaType, multiPlatform: false, platforms: [chosen], chosen: undefined, attestations: 0, noPlatform: `the image is only for ${chosen.platform}, not ${formatPlatform(wanted)}` };
  }
  return { digest: top.digest, mediaType: top.mediaType, multiPlatform: false, platforms: [chosen], chosen, attestations: 0 };
}

async function readImage(f: ManifestFetcher, digest: string): Promise<ImageManifest> {
  const got = await f.manifest(digest);
  const json = parseJson(got.body, f.host, 'manifest');
  if (!json || typeof json !== 'object') throw new RegistryError('invalid', `${f.host} sent a manifest that is not a JSON object`);
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.manifests)) throw new RegistryError('unsupported', `${f.host}: an index inside an index is not supported`);
  return readManifest(o, f.host);
}

function readIndex(o: Record<string, unknown>, host: string): IndexEntry[] {
  const list = o.manifests;
  if (!Array.isArray(list)) throw new RegistryError('invalid', `${host} sent an index without a manifests list`);
  const out: IndexEntry[] = [];
  for (const e of list) {
    if (!e || typeof e !== 'object') continue;
    const entry = e as IndexEntry;
    if (typeof entry.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(entry.digest)) continue;
    out.push(entry);
  }
  return out;
}

function readManifest(o: Record<string, unknown>, host: string): ImageManifest {
  const layers = o.layers;
  const config = o.config as { digest?: unknown; size?: unknown } | undefined;
  if (!Array.isArray(layers) || !config || typeof config !== 'object') throw new RegistryError('invalid', `${host} sent an image manifest without layers or config`);
  const sizes: { size: number }[] = [];
  for (const l of layers) {
    const size = (l as { size?: unknown } | null)?.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new RegistryError('invalid', `${host} sent a layer without a valid size`);
    sizes.push({ size });
  }
  if (typeof config.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(config.digest)) throw new RegistryError('invalid', `${host} sent a manifest with an invalid config digest`);
  const cs = typeof config.size === 'number' && Number.isSafeInteger(config.size) && config.size >= 0 ? config.size : 0;
  return { layers: sizes, config: { digest: config.digest, size: cs } };
}

/** Compressed size: what a pull downloads, the layers plus the config. */
function imageSize(m: ImageManifest): number {
  return m.layers.reduce((n, l) => n + l.size, 0) + m.config.size;
}
