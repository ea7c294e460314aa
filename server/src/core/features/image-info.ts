/**
 * What Dockwright knows about an image (its compressed size for a platform, the platforms it offers, its
 * digest, where the figure came from and when), the platform arithmetic the registry client and the
 * editor features share (normalisation with arm64 = arm64/v8, choosing an entry of an image index,
 * skipping attestation entries) and byte formatting. Pure data and functions: the host fills `ImageFacts`.
 */
import { parsePlatform as parsePlatformSpec } from '../rules/util';
import type { ImageRef } from '../semantic/image-ref';
import { IMAGE_SIZES } from '../data/image-sizes';

/** A normalised platform: arm64 always carries its variant (`v8` when none was written), arm defaults to v7. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Where a figure came from. */
export type ImageSource = 'local' | 'cache' | 'registry' | 'table';

export interface PlatformFacts {
  /** `os/arch[/variant]`, normalised. */
  readonly platform: string;
  /** The platform's own manifest digest. */
  readonly digest?: string;
  /** Compressed size: layers plus config, bytes; undefined when that manifest was not fetched. */
  readonly size?: number;
}

export interface LocalFacts {
  /** The image id in the local engine. */
  readonly id: string;
  /** Uncompressed size on disk, bytes. */
  readonly size: number;
  readonly platform: string;
  /** The registry digest the engine recorded for this repository, when it was pulled or pushed. */
  readonly repoDigest?: string;
}

export interface ImageFacts {
  /** `known`: a figure exists; `pending`: a lookup is running and nothing is known yet; `unknown`: see `reason`. */
  readonly status: 'known' | 'pending' | 'unknown';
  /** Why the size is unknown (`registry 127.0.0.1:5000 answered 404: manifest unknown`), or a caveat. */
  readonly reason?: string;
  readonly source?: ImageSource;
  /** When the figure was obtained or last confirmed (ISO 8601), or the date a table describes. */
  readonly date?: string;
  /** The platform `size` is for. */
  readonly platform?: string;
  readonly size?: number;
  readonly sizeKind?: 'compressed' | 'uncompressed';
  /** The digest the tag points at (the index digest for a multi-platform image): what pinning writes. */
  readonly digest?: string;
  readonly mediaType?: string;
  readonly multiPlatform?: boolean;
  /** Every platform the tag offers (attestations skipped), with sizes where known. */
  readonly platforms?: readonly PlatformFacts[];
  /** The copy in the local engine, when there is one for this platform. */
  readonly local?: LocalFacts;
  /** The registry host that answered (`registry-1.docker.io`). */
  readonly registryHost?: string;
}

/** What the host knows right now about `ref` for `platform` (never waits; may start a background lookup). */
export type ImageLookup = (ref: ImageRef, platform: string) => ImageFacts | undefined;

export const DEFAULT_PLATFORM = 'linux/amd64';

/** Parses and normalises `os/arch[/variant]`; undefined for anything that is not a full platform. */
export function parsePlatform(value: string): Platform | undefined {
  const p = parsePlatformSpec(value);
  if (!p || !p.arch) return undefined;
  return normalizePlatform({ os: p.os, architecture: p.arch, variant: p.variant });
}

/** containerd's normalisation, with arm64's implied `v8` written out so equal platforms compare equal. */
export function normalizePlatform(p: { os?: string; architecture?: string; variant?: string }): Platform {
  const os = (p.os ?? '').toLowerCase();
  let arch = (p.architecture ?? '').toLowerCase();
  let variant = p.variant ? p.variant.toLowerCase() : undefined;
  if (arch === 'aarch64') arch = 'arm64';
  if (arch === 'x86_64' || arch === 'x86-64') arch = 'amd64';
  if (arch === 'arm64' && (!variant || variant === '8')) variant = 'v8';
  if (arch === 'arm' && !variant) variant = 'v7';
  if (arch === 'arm' && variant && /^[5-8]$/.test(variant)) variant = 'v' + variant;
  if (arch === 'amd64' && variant === 'v1') variant = undefined;
  return variant ? { os, architecture: arch, variant } : { os, architecture: arch };
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The canonical text of a platform string, or the input when it does not parse. */
export function canonicalPlatform(value: string): string {
  const p = parsePlatform(value);
  return p ? formatPlatform(p) : value;
}

/** An entry of an OCI image index / Docker manifest list, as far as choosing one goes. */
export interface IndexEntry {
  readonly digest?: unknown;
  readonly mediaType?: unknown;
  readonly size?: unknown;
  readonly platform?: { readonly os?: unknown; readonly architecture?: unknown; readonly variant?: unknown } | undefined;
  readonly annotations?: Readonly<Record<string, unknown>> | undefined;
}

/** Attestation manifests (BuildKit's provenance/SBOM) sit in indexes as `unknown/unknown` entries. */
export function isAttestation(e: IndexEntry): boolean {
  if (e.annotations && e.annotations['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  const os = typeof e.platform?.os === 'string' ? e.platform.os : '';
  const arch = typeof e.platform?.architecture === 'string' ? e.platform.architecture : '';
  return os === 'unknown' || arch === 'unknown';
}

export function entryPlatform(e: IndexEntry): Platform | undefined {
  const p = e.platform;
  if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') return undefined;
  return normalizePlatform({ os: p.os, architecture: p.architecture, variant: typeof p.variant === 'string' && p.variant ? p.variant : undefined });
}

const ARM_FALLBACK: Readonly<Record<string, readonly string[]>> = { v8: ['v7', 'v6', 'v5'], v7: ['v6', 'v5'], v6: ['v5'] };

/**
 * The index entry to use for `wanted`, as containerd picks it: the exact os/arch/variant first, then (for
 * 32-bit arm) an older compatible variant. Attestation entries and entries without a platform never match.
 */
export function choosePlatform<E extends IndexEntry>(entries: readonly E[], wanted: Platform): E | undefined {
  const candidates = entries.filter((e) => !isAttestation(e)).map((e) => ({ e, p: entryPlatform(e) }));
  const same = candidates.filter((c) => c.p && c.p.os === wanted.os && c.p.architecture === wanted.architecture);
  const exact = same.find((c) => (c.p!.variant ?? '') === (wanted.variant ?? ''));
  if (exact) return exact.e;
  if (wanted.architecture === 'arm' && wanted.variant) {
    for (const v of ARM_FALLBACK[wanted.variant] ?? []) {
      const hit = same.find((c) => c.p!.variant === v);
      if (hit) return hit.e;
    }
  }
  return undefined;
}

/** `48.2 MB`: decimal units, as the docker CLI prints sizes. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, '')} ${units[u]}`;
}

/** The key a host uses for one image reference and platform. */
export function imageKey(ref: ImageRef, platform: string): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? ':' + ref.tag : ref.digest ? '' : ':latest'}${ref.digest ? '@' + ref.digest : ''}|${platform}`;
}

// ---------------------------------------------------------------------------------------------
// The bundled table (core/data/image-sizes.ts)

/** The table's figures for the image and tag of `ref` (tag `latest` when none is written). */
export function tableEntry(ref: ImageRef): readonly [number | null, number | null] | undefined {
  const tags = IMAGE_SIZES.images[ref.familiar];
  if (!tags) return undefined;
  return Object.prototype.hasOwnProperty.call(tags, ref.tag ?? 'latest') ? tags[ref.tag ?? 'latest'] : undefined;
}

/** The table's size in bytes for a platform, undefined when the table has no figure for it. */
export function tableSize(ref: ImageRef, platform: string): number | undefined {
  const e = tableEntry(ref);
  if (!e) return undefined;
  const col = IMAGE_SIZES.platforms.indexOf(canonicalPlatform(platform));
  if (col === -1) return undefined;
  const mb = e[col as 0 | 1];
  return mb === null ? undefined : Math.round(mb * 1_000_000);
}

/** The table's figures as facts, for when nothing better is known. */
export function tableFacts(ref: ImageRef, platform: string): ImageFacts | undefined {
  const e = tableEntry(ref);
  if (!e) return undefined;
  const size = tableSize(ref, platform);
  const platforms = IMAGE_SIZES.platforms.map((p, i) => ({ platform: p, size: e[i] === null ? undefined : Math.round(e[i]! * 1_000_000) })).filter((p) => p.size !== undefined);
  const canonical = canonicalPlatform(platform);
  if (size === undefined) {
    return { status: 'unknown', source: 'table', date: IMAGE_SIZES.date, platforms, reason: `the bundled table has no figure for ${canonical}` };
  }
  return { status: 'known', source: 'table', date: IMAGE_SIZES.date, platform: canonical, size, sizeKind: 'compressed', platforms };
}
