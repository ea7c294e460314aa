/**
 * Image intelligence in the editor, as pure functions of an analysis and an `ImageLookup` the host
 * supplies (facts it already holds; it may start background lookups but never makes these wait):
 * - `imageUses`: every image reference (FROM, `COPY --from=image`, `RUN --mount=...,from=image`, ONBUILD
 *   included) with the platform in effect;
 * - `imageInlayHints`: the compressed size after each reference;
 * - `imageHoverSection`: size per platform, platforms offered, digest, source and date;
 * - `pinDigestFixes`: `image:tag` -> `image:tag@sha256:...` where the digest is known.
 * When the host knows nothing (offline, pending, or a fault) the bundled table's estimate is used, and
 * the text says so.
 */
import type { Analysis } from '../analyze';
import type { Instruction, Span } from '../syntax/ast';
import type { ImageRef } from '../semantic/image-ref';
import type { Stage } from '../semantic/model';
import { parseMount } from '../semantic/mount';
import type { Fix } from '../rules/types';
import { IMAGE_SIZES } from '../data/image-sizes';
import { canonicalPlatform, formatBytes, parsePlatform, tableFacts, type ImageFacts, type ImageLookup } from './image-info';
import type { InlayHintData } from './inlay-hints';

export interface ImageUse {
  /** The image word (or flag / mount option value) as written. */
  readonly range: Span;
  readonly ref: ImageRef;
  readonly raw: string;
  readonly kind: 'from' | 'copy' | 'mount';
  readonly instruction: Instruction;
  readonly stage: Stage | undefined;
  /** The platform from `FROM --platform`, canonical; undefined when none is given or it is only known at build time. */
  readonly platform: string | undefined;
  /** `--platform` is given but its value is only known at build time. */
  readonly platformUnresolved: boolean;
  /** Written literally (no variables, no quotes): an edit may rewrite it. */
  readonly literal: boolean;
}

const usesCache = new WeakMap<Analysis, ImageUse[]>();

/** Every image reference of the file, in document order (cached per analysis). */
export function imageUses(analysis: Analysis): ImageUse[] {
  const hit = usesCache.get(analysis);
  if (hit) return hit;
  const model = analysis.model;
  const out: ImageUse[] = [];
  const platformOf = (stage: Stage | undefined): { platform: string | undefined; unresolved: boolean } => {
    const p = stage?.platform;
    if (!p) return { platform: undefined, unresolved: false };
    if (p.unresolved) return { platform: undefined, unresolved: true };
    const parsed = parsePlatform(p.expanded);
    return parsed ? { platform: canonicalPlatform(p.expanded), unresolved: false } : { platform: undefined, unresolved: true };
  };
  for (const st of model.stages) {
    const b = st.base;
    if (!b.image || b.unresolved || b.stage || b.scratch) continue;
    const pf = platformOf(st);
    out.push({ range: b.range, ref: b.image, raw: b.raw, kind: 'from', instruction: st.from, stage: st, platform: pf.platform, platformUnresolved: pf.unresolved, literal: b.raw === b.image.raw });
  }
  for (const ins of analysis.ast.instructions) {
    const target = ins.trigger ?? ins;
    const stage = model.stageOf(ins);
    // ONBUILD triggers run in a later build, for whatever platform that build targets.
    const pf = ins.trigger ? { platform: undefined, unresolved: false } : platformOf(stage);
    if (target.keyword === 'COPY') {
      const t = model.copyFrom(ins);
      const flag = target.flags.find((f) => f.name === 'from');
      if (t?.kind === 'image' && flag?.valueRange && flag.value !== undefined) {
        out.push({ range: flag.valueRange, ref: t.ref, raw: flag.value, kind: 'copy', instruction: ins, stage, platform: pf.platform, platformUnresolved: pf.unresolved, literal: flag.value === t.ref.raw && flag.rawValue === flag.value });
      }
    } else if (target.keyword === 'RUN') {
      for (const f of target.flags) {
        if (f.name !== 'mount' || f.value === undefined) continue;
        const from = parseMount(target, f).options.find((o) => o.key === 'from');
        if (!from?.value || !from.valueRange || from.value.includes('$')) continue;
        const t = model.fromTarget(ins, from.value, from.range);
        if (t.kind !== 'image') continue;
        out.push({ range: from.valueRange, ref: t.ref, raw: from.value, kind: 'mount', instruction: ins, stage, platform: pf.platform, platformUnresolved: pf.unresolved, literal: from.value === t.ref.raw && from.valueRange.end - from.valueRange.start === from.value.length });
      }
    }
  }
  out.sort((a, b) => a.range.start - b.range.start);
  usesCache.set(analysis, out);
  return out;
}

/** The facts to show for a use: the host's answer, else (or while it is pending) the bundled table's. */
export function factsFor(use: ImageUse, lookup: ImageLookup | undefined, defaultPlatform: string): { facts: ImageFacts; platform: string } {
  const platform = use.platform ?? canonicalPlatform(defaultPlatform);
  const host = lookup?.(use.ref, platform);
  if (host?.status === 'known') return { facts: host, platform };
  const table = tableFacts(use.ref, platform);
  if (table?.status === 'known') {
    const why = host?.status === 'unknown' && host.reason ? host.reason : host?.status === 'pending' ? 'the lookup is still running' : undefined;
    return { facts: { ...table, reason: why, digest: host?.digest, platforms: host?.platforms ?? table.platforms }, platform };
  }
  if (host) return { facts: host, platform };
  return { facts: table ?? { status: 'unknown', reason: 'no lookup is available here and the bundled table does not list this image' }, platform };
}

/** The size hint's label and tooltip; undefined while nothing is known and a lookup runs. */
function hintFor(use: ImageUse, facts: ImageFacts, platform: string, defaultPlatform: string): { label: string; tooltip: string } | undefined {
  const onOther = platform !== canonicalPlatform(defaultPlatform) ? ` (${platform})` : '';
  if (facts.status === 'pending') return undefined;
  if (facts.status !== 'known' || facts.size === undefined) {
    return { label: 'size unknown', tooltip: `**${displayName(use.ref)}**: size unknown because ${facts.reason ?? 'no source knows it'}.` };
  }
  let label: string;
  if (facts.source === 'table') label = `≈${formatBytes(facts.size)}`;
  else if (facts.sizeKind === 'uncompressed') label = `${formatBytes(facts.size)} on disk`;
  else label = formatBytes(facts.size);
  return { label: label + onOther, tooltip: summary(use, facts, platform) };
}

function displayName(ref: ImageRef): string {
  return ref.familiar + (ref.tag ? ':' + ref.tag : ref.digest ? '' : ':latest') + (ref.digest ? '@' + ref.digest.slice(0, 19) + '…' : '');
}

function sourceText(facts: ImageFacts): string {
  const when = facts.date ? ` (${facts.source === 'table' ? 'figures of ' + facts.date : formatDate(facts.date)})` : '';
  switch (facts.source) {
    case 'registry':
      return `registry \`${facts.registryHost ?? '?'}\`${when}`;
    case 'cache':
      return `cache of registry \`${facts.registryHost ?? '?'}\`${when}`;
    case 'local':
      return `local engine${when}`;
    case 'table':
      return `bundled table${when}, ${IMAGE_SIZES.measured ? 'measured' : 'estimates'}`;
    default:
      return 'unknown';
  }
}

function formatDate(iso: string): string {
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

function summary(use: ImageUse, facts: ImageFacts, platform: string): string {
  const kind = facts.sizeKind === 'uncompressed' ? 'uncompressed, on disk' : facts.source === 'table' ? 'compressed, estimate' : 'compressed';
  const lines = [`**${displayName(use.ref)}** for \`${platform}\`: ${formatBytes(facts.size ?? 0)} (${kind})`, `Source: ${sourceText(facts)}`];
  if (use.platformUnresolved) lines.push('`--platform` is only known at build time: the configured default platform is shown.');
  if (facts.reason) lines.push(`Note: ${facts.reason}.`);
  return lines.join('\n\n');
}

/** Size hints for the image references whose end lies inside `span`. */
export function imageInlayHints(analysis: Analysis, span: Span, lookup: ImageLookup | undefined, defaultPlatform: string): InlayHintData[] {
  const out: InlayHintData[] = [];
  for (const use of imageUses(analysis)) {
    if (use.range.end < span.start || use.range.end > span.end) continue;
    const { facts, platform } = factsFor(use, lookup, defaultPlatform);
    const h = hintFor(use, facts, platform, defaultPlatform);
    if (h) out.push({ offset: use.range.end, label: h.label, tooltip: h.tooltip, paddingLeft: true });
  }
  return out;
}

/** The image reference under `offset`, if any. */
export function imageUseAt(analysis: Analysis, offset: number): ImageUse | undefined {
  return imageUses(analysis).find((u) => u.range.start <= offset && offset <= u.range.end);
}

/** Markdown about the image under `offset` (to append to the hover), or undefined. */
export function imageHoverSection(analysis: Analysis, offset: number, lookup: ImageLookup | undefined, defaultPlatform: string): { contents: string; range: Span } | undefined {
  const use = imageUseAt(analysis, offset);
  if (!use) return undefined;
  const { facts, platform } = factsFor(use, lookup, defaultPlatform);
  const lines: string[] = [];
  if (facts.status === 'known' && facts.size !== undefined) {
    const kind = facts.sizeKind === 'uncompressed' ? 'uncompressed on disk' : facts.source === 'table' ? 'compressed, estimate' : 'compressed';
    lines.push(`**Size** for \`${platform}\`: ${facts.source === 'table' ? '≈' : ''}${formatBytes(facts.size)} (${kind})`);
  } else if (facts.status === 'pending') {
    lines.push(`**Size** for \`${platform}\`: looking it up…`);
  } else {
    lines.push(`**Size** for \`${platform}\`: unknown because ${facts.reason ?? 'no source knows it'}`);
  }
  if (use.platformUnresolved) lines.push('`--platform` is only known at build time: this is the configured default platform.');
  const platforms = facts.platforms ?? [];
  if (platforms.length > 0) {
    const rows = platforms.map((p) => `| \`${p.platform}\`${p.platform === platform ? ' ◀' : ''} | ${p.size !== undefined ? (facts.source === 'table' ? '≈' : '') + formatBytes(p.size) : '—'} |`);
    const title = facts.source === 'table' ? 'Platforms in the bundled table' : `Platforms offered (${platforms.length})`;
    lines.push(`${title}:\n\n| Platform | Compressed |\n|---|---|\n${rows.join('\n')}`);
  }
  if (facts.digest) lines.push(`Digest: \`${facts.digest}\`${facts.multiPlatform ? ' (image index: every platform)' : ''}`);
  if (facts.local) lines.push(`Local engine: image \`${facts.local.id.slice(0, 19)}\`, ${formatBytes(facts.local.size)} uncompressed (${facts.local.platform})`);
  if (facts.source) lines.push(`Source: ${sourceText(facts)}`);
  if (facts.status === 'known' && facts.reason) lines.push(`Note: ${facts.reason}.`);
  return { contents: lines.join('\n\n'), range: use.range };
}

/**
 * "Pin to digest" (and "update the pinned digest") for the literal image references overlapping `span`
 * whose current digest is known from the local engine, the cache or the registry.
 */
export function pinDigestFixes(analysis: Analysis, span: Span, lookup: ImageLookup | undefined, defaultPlatform: string): Fix[] {
  const out: Fix[] = [];
  for (const use of imageUses(analysis)) {
    if (use.range.end < span.start || use.range.start > span.end || !use.literal) continue;
    const platform = use.platform ?? canonicalPlatform(defaultPlatform);
    // For `image:tag@digest`, what matters is where the tag points now.
    const current = use.ref.digest && use.ref.tag ? { ...use.ref, digest: undefined, digestStart: undefined } : use.ref;
    const facts = lookup?.(current, platform);
    const digest = facts?.digest;
    if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) continue;
    const where = facts.source === 'local' ? 'local engine' : facts.source === 'cache' ? 'cache' : 'registry';
    if (use.ref.digest === undefined) {
      out.push({
        title: `Pin ${displayName(use.ref)} to its digest ${digest.slice(0, 19)}… (from the ${where})`,
        edits: [{ range: { start: use.range.end, end: use.range.end }, newText: '@' + digest }],
        preferred: false,
      });
    } else if (use.ref.tag && use.ref.digest !== digest && use.ref.digestStart !== undefined) {
      const start = use.range.start + use.ref.digestStart;
      out.push({
        title: `Update the pinned digest of ${use.ref.familiar}:${use.ref.tag} to ${digest.slice(0, 19)}… (the tag moved)`,
        edits: [{ range: { start, end: use.range.end }, newText: digest }],
        preferred: false,
      });
    }
  }
  return out;
}
