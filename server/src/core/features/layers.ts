/**
 * The layer hover: for the instruction under the cursor, whether it makes a filesystem layer or only changes
 * metadata, what its cache key depends on (its text, the ARG/ENV values in scope, the files it reads from the
 * build context: how many, how big, the largest), which later steps re-run when it changes, and, when an image
 * built from the Dockerfile is known, the real layer (size, digest, created_by). The build graph itself is in
 * cache-graph.ts.
 *
 * Pure: the context index and the known image layers come in as data. Must not: read files or call docker.
 */
import type { Analysis } from '../analyze';
import type { Instruction, Span, Word } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';
import type { ContextFileEntry, ContextInfo } from '../rules/types';
import { expandInScope } from '../rules/util';
import { LineIndex } from '../text';
import { instructionAt } from './selection';
import { formatBytes, formatFilesBytes } from './context-files';
import { contextSources, isBuildStep, layerEffect, rebuiltAfter, REMOTE, type ContextSource, type LayerEffect } from './cache-graph';
import { matchKnownLayers, normalizeCreatedBy, type KnownImageLayers } from './known-layers';

export { cacheMap, type CacheMapResult } from './cache-graph';

// ---------------------------------------------------------------------------------------------
// The layer hover

export interface LayerHoverContext {
  /** The build context (its `files` index when scanned). */
  readonly context?: ContextInfo;
  /** An image built from this Dockerfile, when one is known. */
  readonly known?: KnownImageLayers;
}

const lineIndexes = new WeakMap<object, LineIndex>();

function lineOf(analysis: Analysis, offset: number): number {
  let idx = lineIndexes.get(analysis.ast);
  if (!idx) {
    idx = new LineIndex(analysis.text, analysis.ast.lineStarts);
    lineIndexes.set(analysis.ast, idx);
  }
  return idx.lineAt(offset) + 1;
}

function code(s: string): string {
  const t = s.length > 60 ? s.slice(0, 57) + '...' : s;
  const fence = t.includes('`') ? '``' : '`';
  return `${fence}${t}${fence}`;
}

/** The first line of an instruction, continuations joined, shortened. */
export function shortText(analysis: Analysis, ins: Instruction): string {
  return analysis.text.slice(ins.range.start, ins.range.end).replace(/\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
}

function stageName(stage: Stage | undefined): string {
  if (!stage) return '';
  return stage.nameRaw ? `stage ${code(stage.nameRaw)}` : `stage ${stage.index}`;
}

/** `line 9 RUN npm run build` entries, the first few, then how many more. */
export function describeSteps(analysis: Analysis, steps: readonly Instruction[], from: Stage | undefined, max = 3): string {
  const model = analysis.model;
  const shown = steps.slice(0, max).map((s) => {
    const st = model.stageOf(s);
    const where = st && st !== from ? ` (${stageName(st)})` : '';
    return `line ${lineOf(analysis, s.range.start)} ${code(shortText(analysis, s))}${where}`;
  });
  const more = steps.length > max ? `, and ${steps.length - max} more` : '';
  return shown.join(', ') + more;
}

const EFFECT_TEXT: Record<LayerEffect, string> = {
  base: 'starts the stage from the base image\'s layers (no new layer of its own).',
  filesystem: 'creates a filesystem layer.',
  directory: 'creates the directory when it is missing (a small layer) and sets the working directory of later steps.',
  environment: 'changes metadata only (no layer), but every later `RUN` sees it.',
  config: 'changes the image configuration only (no layer, and no later step re-runs when it changes).',
  none: 'does not change the image.',
};

function scopeDescription(model: SemanticModel, ins: Instruction): string | undefined {
  const scope = model.scopeAt(ins);
  const vars: string[] = [];
  for (const d of scope.values()) {
    if (d.kind === 'builtin' || !d.instruction) continue;
    vars.push(d.value !== undefined ? code(`${d.name}=${d.value}`) : `${code(d.name)} (set at build time)`);
  }
  if (vars.length === 0) return undefined;
  const shown = vars.slice(0, 6).join(', ');
  return `the build arguments and environment in scope: ${shown}${vars.length > 6 ? `, and ${vars.length - 6} more` : ''}`;
}

function contextDescription(sources: readonly ContextSource[], context: ContextInfo | undefined, mounted = false): { key: string; details: string | undefined } {
  const files = context?.files;
  if (!files) return { key: `the content of the files it ${mounted ? 'mounts' : 'reads'} from the build context`, details: context ? 'The build context has not been scanned yet.' : undefined };
  let count = 0;
  let bytes = 0;
  let largest: ContextFileEntry[] = [];
  for (const s of sources) {
    const m = files.match(s.source);
    count += m.files;
    bytes += m.bytes;
    largest = [...largest, ...m.largest(3)].sort((a, b) => b.size - a.size).slice(0, 3);
  }
  const at = files.truncated ? ' (the scan stopped early, so at least)' : '';
  const key = `the content of ${formatFilesBytes(count, bytes).replace(/^([\d,]+) (files?)/, mounted ? '$1 bind-mounted $2' : '$1 $2')} from the build context${at}`;
  const top = largest.filter((f) => f.size > 0);
  const details = count === 0 ? 'Nothing in the scanned context matches: the build would fail or copy nothing.' : top.length > 1 || count > 1 ? `Largest: ${top.map((f) => `${code(f.path)} ${formatBytes(f.size)}`).join(', ')}.` : undefined;
  return { key, details };
}

function cacheKeyParts(analysis: Analysis, ins: Instruction, ctx: LayerHoverContext): { parts: string[]; details: string[] } {
  const model = analysis.model;
  const parts: string[] = [];
  const details: string[] = [];
  const stage = model.stageOf(ins);
  const prev = stage ? [stage.from, ...stage.instructions].filter((i) => i.range.start < ins.range.start && (i.keyword === 'FROM' || isBuildStep(i))).pop() : undefined;
  const previous = prev ? `the result of the previous step (line ${lineOf(analysis, prev.range.start)})` : undefined;
  switch (ins.keyword) {
    case 'FROM': {
      const base = stage?.base;
      if (base?.stage) parts.push(`the result of ${stageName(base.stage)}`);
      else if (base?.scratch) parts.push('nothing: `scratch` is empty');
      else if (base?.image?.digest) parts.push(`the pinned digest ${code(base.image.digest.slice(0, 19) + '…')}`);
      else parts.push('the image the tag resolves to (the local copy, or the registry\'s with `--pull`): a new image under the same tag re-runs the whole stage; a digest pins it');
      break;
    }
    case 'RUN': {
      parts.push('the command text and flags');
      const scope = scopeDescription(model, ins);
      if (scope) parts.push(scope);
      const mounts = contextSources(model, ins);
      if (mounts.length > 0) {
        const c = contextDescription(mounts, ctx.context, true);
        parts.push(c.key);
        if (c.details) details.push(c.details);
      }
      if (previous) parts.push(previous);
      break;
    }
    case 'COPY':
    case 'ADD': {
      const from = ins.flags.find((f) => f.name === 'from');
      const link = ins.flags.some((f) => f.name === 'link' && f.value !== 'false');
      const words: readonly Word[] = ins.json ? ins.json.items : ins.args;
      const remote = words.slice(0, -1).some((w) => REMOTE.test(expandInScope(model, ins, w.value) ?? w.value));
      if (from) {
        const t = model.copyFrom(ins);
        parts.push(t?.kind === 'stage' ? `the files it copies from ${stageName(t.stage)} (they change whenever that stage re-runs)` : `the files it copies from ${code(from.value ?? '')}`);
      }
      const sources = contextSources(model, ins);
      if (sources.length > 0) {
        const c = contextDescription(sources, ctx.context);
        parts.push(c.key);
        if (c.details) details.push(c.details);
      }
      if (remote) {
        const checksum = ins.flags.some((f) => f.name === 'checksum');
        parts.push(checksum ? 'the `--checksum` it pins' : 'the downloaded content (fetched again on every build to compare)');
      }
      if (ins.heredocs.length > 0) parts.push('the inline heredoc text');
      parts.push('the destination and flags');
      if (link) parts.push('not the previous layers (`--link`: the layer is independent of them)');
      else if (previous) parts.push(previous);
      break;
    }
    case 'WORKDIR':
      parts.push('the path');
      if (previous) parts.push(previous);
      break;
    default:
      parts.push(layerEffect(ins) === 'environment' ? 'its text: later `RUN` steps include it in theirs' : 'nothing that later steps depend on');
  }
  return { parts, details };
}

/**
 * A markdown section about the layer and cache behaviour of the instruction whose keyword is at `offset`
 * (for ONBUILD, `ONBUILD` through the trigger's keyword), for the hover.
 */
export function layerHoverSection(analysis: Analysis, offset: number, ctx: LayerHoverContext = {}): { contents: string; range: Span } | undefined {
  const ins = instructionAt(analysis.ast, offset);
  if (!ins) return undefined;
  // On the keyword only: elsewhere the regular hover (variables, flags, images) has the word.
  const keyword = ins.trigger && offset >= ins.trigger.keywordRange.start ? ins.trigger.keywordRange : ins.keywordRange;
  if (offset < ins.keywordRange.start || offset > keyword.end) return undefined;
  const model = analysis.model;
  const effect = ins.trigger ? 'config' : layerEffect(ins);
  const lines: string[] = [];
  const name = ins.trigger ? 'ONBUILD' : ins.keyword;
  const globalArg = !model.stageOf(ins) && ins.keyword === 'ARG';
  lines.push(`**Layer:** ${code(name)} ${globalArg ? 'declares a build argument for the `FROM` lines (no layer).' : EFFECT_TEXT[effect]}`);
  if (effect !== 'config' && effect !== 'none' && !globalArg) {
    const { parts, details } = cacheKeyParts(analysis, ins, ctx);
    lines.push(`**Cache key:** ${parts.join('; ')}.`);
    for (const d of details) lines.push(d);
  }
  const rebuilt = rebuiltAfter(model, ins);
  const stage = model.stageOf(ins);
  if (rebuilt.length > 0) {
    lines.push(`**When it changes:** ${rebuilt.length} later step${rebuilt.length === 1 ? '' : 's'} re-run${rebuilt.length === 1 ? 's' : ''}: ${describeSteps(analysis, rebuilt, stage)}.`);
  } else if (effect !== 'config' && effect !== 'none') {
    lines.push('**When it changes:** no later step re-runs.');
  }
  const known = ctx.known ? matchKnownLayers(analysis, ctx.known).get(ins) : undefined;
  if (known && ctx.known) {
    const size = known.empty || known.size === 0 ? 'no filesystem change' : formatBytes(known.size);
    const digest = known.digest ? `, ${code(known.digest.length > 19 ? known.digest.slice(0, 19) + '…' : known.digest)}` : '';
    lines.push(`**Last build** (${code(ctx.known.image)}${ctx.known.created ? `, ${ctx.known.created}` : ''}): ${size}${digest}; created by ${code(normalizeCreatedBy(known.createdBy))}.`);
  }
  return { contents: lines.join('\n\n'), range: ins.keywordRange };
}
