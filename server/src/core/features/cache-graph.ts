/**
 * The build graph as BuildKit caches it, shared by the layer hover, the cache map and the cache rules:
 * what each instruction contributes (a filesystem layer, environment for later RUNs, or configuration
 * only), which later steps re-run when it changes (across stages: `FROM stage`, `COPY --from`,
 * `RUN --mount from=`), what it reads from the build context, and which instruction a context file busts.
 *
 * Pure. Must not: import editor features (hover imports the rule registry, which imports rules using this).
 */
import type { Analysis } from '../analyze';
import type { Instruction, Span, Word } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';
import { parseMount } from '../semantic/mount';
import { stageSources } from '../semantic/stage-graph';
import { expandInScope } from '../rules/util';
import { normalizeSource, sourceMatchesPath, sourceTouchesFolder } from './context-files';

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

export const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

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

