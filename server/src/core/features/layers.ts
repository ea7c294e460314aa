/**
 * Layers and the build cache, as BuildKit computes them, for the layer hover, the cache map and the cache
 * rules:
 * - what an instruction does to the image: a filesystem layer (RUN, COPY, ADD; WORKDIR makes a small one),
 *   environment that later RUNs see (ENV, ARG, USER, SHELL), or image configuration only (LABEL, CMD...);
 * - what its cache key depends on: its text, the ARG/ENV values in scope, the files it reads from the build
 *   context (how many, how big, the largest), the previous step;
 * - which later steps re-run when it changes, across stages (`FROM stage`, `COPY --from`, `RUN --mount from=`);
 * - which instruction a file of the context busts first (the cache map).
 *
 * Pure: the context index and the known image layers come in as data. Must not: read files or call docker.
 */
import type { Analysis } from '../analyze';
import type { Instruction, Span, Word } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';
import { parseMount } from '../semantic/mount';
import { stageSources } from '../semantic/stage-graph';
import type { ContextFileEntry, ContextInfo } from '../rules/types';
import { expandInScope } from '../rules/util';
import { LineIndex } from '../text';
import { hover } from './hover';
import { instructionAt } from './suppress';
import { formatBytes, formatFilesBytes, normalizeSource, sourceMatchesPath, sourceTouchesFolder } from './context-files';
import { matchKnownLayers, normalizeCreatedBy, type KnownImageLayers } from './known-layers';

/** What an instruction contributes to the image. */
export type LayerEffect = 'base' | 'filesystem' | 'directory' | 'environment' | 'config' | 'none';

const FILESYSTEM = new Set(['RUN', 'COPY', 'ADD']);
const ENVIRONMENT = new Set(['ENV', 'ARG', 'USER', 'SHELL']);
const CONFIG = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'ONBUILD', 'MAINTAINER']);
/** Steps that do work when they re-run (the rest only rewrite the image configuration). */
const REBUILT = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

export function layerEffect(ins: Instruction): LayerEffect {
  const k = ins.keyword;
  if (k === 'FROM') return 'base';
  if (FILESYSTEM.has(k)) return 'filesystem';
  if (k === 'WORKDIR') return 'directory';
  if (ENVIRONMENT.has(k)) return 'environment';
  if (CONFIG.has(k)) return 'config';
  return 'none';
}

/** Whether re-running the instruction does work (a step of the build graph), not just config. */
export function isBuildStep(ins: Instruction): boolean {
  return !ins.trigger && REBUILT.has(ins.keyword);
}

// ---------------------------------------------------------------------------------------------
// What re-runs

interface Dependent {
  readonly stage: Stage;
  /** The instruction reading the stage (`COPY --from`, `RUN --mount from=`); undefined when it is the base. */
  readonly at: Instruction | undefined;
}

const dependentsCache = new WeakMap<SemanticModel, Map<Stage, Dependent[]>>();

/** For each stage, the stages built on it or reading from it. */
export function stageDependents(model: SemanticModel): Map<Stage, Dependent[]> {
  let map = dependentsCache.get(model);
  if (map) return map;
  map = new Map();
  const add = (from: Stage, d: Dependent) => {
    const list = map!.get(from) ?? [];
    list.push(d);
    map!.set(from, list);
  };
  for (const t of model.stages) {
    if (t.base.stage && t.base.stage !== t) add(t.base.stage, { stage: t, at: undefined });
    for (const src of stageSources(model, t)) {
      if (src.target.kind === 'stage' && src.target.stage !== t) add(src.target.stage, { stage: t, at: src.instruction });
    }
  }
  dependentsCache.set(model, map);
  return map;
}

/**
 * The build steps (RUN, COPY, ADD, WORKDIR) that re-run when `ins` changes, in file order, `ins` excluded.
 * A filesystem change re-runs every later step of the stage and of the stages that use it; an ENV/ARG/USER/
 * SHELL change re-runs from the next RUN on (and the RUNs of stages built on this one); LABEL, CMD and other
 * configuration re-run nothing under BuildKit.
 */
export function rebuiltAfter(model: SemanticModel, ins: Instruction): Instruction[] {
  const out = new Set<Instruction>();
  const deps = stageDependents(model);
  const done = new Map<Stage, { start: number; envOnly: boolean }>();
  const fromIndex = (stage: Stage, start: number, envOnly: boolean): void => {
    const prev = done.get(stage);
    if (prev && prev.start <= start && (!prev.envOnly || envOnly)) return;
    done.set(stage, { start, envOnly });
    const list = stage.instructions;
    let i = start;
    if (envOnly) {
      while (i < list.length && !(list[i].keyword === 'RUN' && !list[i].trigger)) i++;
      if (i >= list.length) {
        // No RUN sees it here; stages built on this one inherit the environment.
        for (const d of deps.get(stage) ?? []) if (!d.at) fromIndex(d.stage, 0, true);
        return;
      }
    }
    for (let j = i; j < list.length; j++) if (isBuildStep(list[j])) out.add(list[j]);
    for (const d of deps.get(stage) ?? []) fromIndex(d.stage, d.at ? Math.max(0, d.stage.instructions.indexOf(d.at)) : 0, false);
  };
  const stage = model.stageOf(ins);
  const effect = layerEffect(ins);
  if (!stage) {
    // A global ARG: the stages whose FROM reads it start again from their base.
    if (ins.keyword === 'ARG') {
      for (const r of model.refs) {
        if (r.decl?.instruction === ins && r.instruction.keyword === 'FROM') {
          const s = model.stageOf(r.instruction);
          if (s) fromIndex(s, 0, false);
        }
      }
    }
  } else if (ins.trigger) {
    // ONBUILD only changes the image configuration.
  } else if (effect === 'base') fromIndex(stage, 0, false);
  else if (effect === 'filesystem' || effect === 'directory') fromIndex(stage, stage.instructions.indexOf(ins) + 1, false);
  else if (effect === 'environment') fromIndex(stage, stage.instructions.indexOf(ins) + 1, true);
  out.delete(ins);
  return [...out].sort((a, b) => a.range.start - b.range.start);
}

// ---------------------------------------------------------------------------------------------
// What an instruction reads from the context

export interface ContextSource {
  readonly instruction: Instruction;
  /** The source relative to the context (expanded, cleaned). */
  readonly source: string;
  readonly via: 'COPY' | 'ADD' | 'RUN --mount';
  /** The word or mount option it was written in. */
  readonly range: Span;
}

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

/**
 * The build-context paths an instruction reads: COPY/ADD sources (not `--from`, URLs or heredocs) and
 * `RUN --mount=type=bind` mounts without `from` (the whole context when no `source`). Sources whose
 * variables are only known at build time are left out.
 */
export function contextSources(model: SemanticModel, ins: Instruction): ContextSource[] {
  if (ins.trigger) return [];
  const out: ContextSource[] = [];
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    if (ins.flags.some((f) => f.name === 'from')) return out;
    const words: readonly Word[] = ins.json ? ins.json.items : ins.args;
    for (const w of words.slice(0, -1)) {
      if (w.value.startsWith('<<')) continue;
      const value = ins.json ? w.value : expandInScope(model, ins, w.value);
      if (value === undefined || REMOTE.test(value)) continue;
      out.push({ instruction: ins, source: normalizeSource(value), via: ins.keyword, range: w.range });
    }
  } else if (ins.keyword === 'RUN') {
    for (const f of ins.flags) {
      if (f.name !== 'mount' || f.value === undefined) continue;
      const m = parseMount(ins, f);
      if (m.type !== 'bind' || m.options.some((o) => o.key === 'from')) continue;
      const src = m.options.find((o) => o.key === 'source' || o.key === 'src');
      const value = src?.value !== undefined ? expandInScope(model, ins, src.value) : '.';
      if (value === undefined) continue;
      out.push({ instruction: ins, source: normalizeSource(value), via: 'RUN --mount', range: src?.range ?? f.range });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The cache map

export interface CacheBust {
  readonly instruction: Instruction;
  readonly stage: Stage | undefined;
  readonly source: string;
  readonly via: ContextSource['via'];
}

export interface CacheMapResult {
  /** The path asked about, relative to the context. */
  readonly path: string;
  /** Excluded by .dockerignore: never sent, so it busts nothing. */
  readonly ignored: boolean;
  /** The instructions that read it, in file order; the first is the one it busts first. */
  readonly busts: readonly CacheBust[];
  /** Every build step that re-runs when it changes (the busted ones included), in file order. */
  readonly rebuilt: readonly Instruction[];
}

/**
 * Which instructions a change to `path` (a file, or a folder with `folder`) busts, and what re-runs.
 * `isIgnored` is the context's .dockerignore.
 */
export function cacheMap(analysis: Analysis, path: string, options: { folder?: boolean; isIgnored?: (p: string) => boolean } = {}): CacheMapResult {
  const rel = normalizeSource(path);
  const ignored = rel !== '.' && (options.isIgnored?.(rel) ?? false);
  const busts: CacheBust[] = [];
  if (!ignored) {
    const model = analysis.model;
    for (const stage of model.stages) {
      for (const ins of stage.instructions) {
        const hit = contextSources(model, ins).find((s) => (options.folder ? sourceTouchesFolder(s.source, rel) : sourceMatchesPath(s.source, rel)));
        if (hit) busts.push({ instruction: ins, stage, source: hit.source, via: hit.via });
      }
    }
  }
  const rebuilt = new Set<Instruction>();
  for (const b of busts) {
    rebuilt.add(b.instruction);
    for (const r of rebuiltAfter(analysis.model, b.instruction)) rebuilt.add(r);
  }
  return { path: rel, ignored, busts, rebuilt: [...rebuilt].sort((a, b) => a.range.start - b.range.start) };
}

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

function contextDescription(sources: readonly ContextSource[], context: ContextInfo | undefined): { key: string; details: string | undefined } {
  const files = context?.files;
  if (!files) return { key: 'the content of the files it reads from the build context', details: context ? 'The build context has not been scanned yet.' : undefined };
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
  const key = `the content of ${formatFilesBytes(count, bytes)} from the build context${at}`;
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
      else parts.push('the digest the tag resolves to (it is looked up again with `--pull`, so the base can change under the same text)');
      break;
    }
    case 'RUN': {
      parts.push('the command text and flags');
      const scope = scopeDescription(model, ins);
      if (scope) parts.push(scope);
      const mounts = contextSources(model, ins);
      if (mounts.length > 0) {
        const c = contextDescription(mounts, ctx.context);
        parts.push(c.key.replace('the content of', 'the content of the bind-mounted'));
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
 * A markdown section about the layer and cache behaviour of the instruction at `offset`, for the hover.
 * Shown on the keyword, and anywhere on the instruction where the regular hover has nothing to say.
 */
export function layerHoverSection(analysis: Analysis, offset: number, ctx: LayerHoverContext = {}): { contents: string; range: Span } | undefined {
  const ins = instructionAt(analysis.ast, offset);
  if (!ins) return undefined;
  const onKeyword = ins.keywordRange.start <= offset && offset <= ins.keywordRange.end;
  if (!onKeyword && hover(analysis, offset)) return undefined;
  const model = analysis.model;
  const effect = ins.trigger ? 'config' : layerEffect(ins);
  const lines: string[] = [];
  const keyword = ins.trigger ? 'ONBUILD' : ins.keyword;
  const globalArg = !model.stageOf(ins) && ins.keyword === 'ARG';
  lines.push(`**Layer:** ${code(keyword)} ${globalArg ? 'declares a build argument for the `FROM` lines (no layer).' : EFFECT_TEXT[effect]}`);
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
  return { contents: lines.join('\n\n'), range: onKeyword ? ins.keywordRange : ins.range };
}
