/**
 * How BuildKit's dockerfile2llb links stages, reproduced for rules:
 * - a FROM builds on the most recent earlier stage whose name equals the expanded base name exactly
 *   (stage names are lower-cased, the base name is not);
 * - `COPY --from=<name>` and `RUN --mount=...,from=<name>` look the name up lower-cased, and a later
 *   stage with the same name replaces an earlier one (findStateByName);
 * - `COPY --from=<n>` is a stage index (Go's Atoi: an optional sign, then digits); mounts take no index;
 * - `COPY --from` takes no variables at all, and a mount's `from` none either;
 * - a build of the default target dispatches the last stage and every stage it reaches through its
 *   base and its sources. Errors raised while dispatching (a source stage defined later, an invalid
 *   EXPOSE port or STOPSIGNAL) only happen in reached stages.
 */
import type { Instruction, Span } from '../syntax/ast';
import { expand } from './expand';
import { type ImageRef, parseImageRef } from './image-ref';
import type { SemanticModel, Stage } from './model';
import { parseMount } from './mount';

export type StageRef =
  | { readonly kind: 'stage'; readonly stage: Stage; readonly self: boolean; readonly later: boolean; readonly byIndex: boolean }
  | { readonly kind: 'image'; readonly ref: ImageRef | undefined; readonly scratch: boolean }
  | { readonly kind: 'invalid'; readonly error: string }
  | { readonly kind: 'badIndex'; readonly index: number }
  | { readonly kind: 'variable' }
  | { readonly kind: 'none' };

export interface StageSource {
  readonly instruction: Instruction;
  readonly via: 'copy' | 'mount';
  /** The value as BuildKit reads it (flag quotes or CSV quotes removed). */
  readonly value: string;
  /** The whole `--from=...` flag, or the whole mount `from=...` option. */
  readonly range: Span;
  /** The value's text in the source. */
  readonly valueRange: Span;
  /** True when `valueRange` holds exactly `value` (no quotes), so a fix may replace it. */
  readonly exact: boolean;
  readonly target: StageRef;
}

interface StageIndex {
  /** The last stage of each name. */
  readonly byName: ReadonlyMap<string, Stage>;
  /** By stage index: the earlier stage its FROM builds on. */
  readonly bases: readonly (Stage | undefined)[];
}

/** Stage lookups, computed once per model: a lookup is then constant time instead of a scan of the stages. */
const indexes = new WeakMap<SemanticModel, StageIndex>();

function stageIndex(model: SemanticModel): StageIndex {
  let idx = indexes.get(model);
  if (!idx) {
    const byName = new Map<string, Stage>();
    const bases: (Stage | undefined)[] = [];
    for (const s of model.stages) {
      bases.push(s.base.unresolved ? undefined : byName.get(s.base.expanded));
      if (s.name !== undefined) byName.set(s.name, s);
    }
    idx = { byName, bases };
    indexes.set(model, idx);
  }
  return idx;
}

/** BuildKit's findStateByName: lower-cased, and the last stage with that name wins. */
export function stageNamed(model: SemanticModel, name: string): Stage | undefined {
  return stageIndex(model).byName.get(name.toLowerCase());
}

/** The earlier stage a FROM builds on, matched exactly as BuildKit's addState does. */
export function baseStageOf(model: SemanticModel, stage: Stage): Stage | undefined {
  if (stage.base.unresolved) return undefined;
  if (model.stages[stage.index] !== stage) {
    // Not a stage of this model: look it up the long way.
    const name = stage.base.expanded;
    for (let i = stage.index - 1; i >= 0; i--) if (model.stages[i].name === name) return model.stages[i];
    return undefined;
  }
  return stageIndex(model).bases[stage.index];
}

const ATOI = /^[+-]?\d{1,18}$/;

/** What a `COPY --from` value refers to. */
export function resolveCopyFrom(model: SemanticModel, current: Stage | undefined, value: string): StageRef {
  if (value === '') return { kind: 'none' };
  const ex = expand(value, () => undefined, model.ast.escape);
  if (ex.error || ex.words.length !== 1 || ex.words[0] !== value) return { kind: 'variable' };
  if (ATOI.test(value)) {
    const index = Number(value);
    const st = model.stages[index];
    if (index < 0 || !st) return { kind: 'badIndex', index };
    return stageRef(st, current, true);
  }
  return byName(model, current, value);
}

/** What a `RUN --mount` `from` value refers to (no stage indexes: a number is an image name). */
export function resolveMountFrom(model: SemanticModel, current: Stage | undefined, value: string): StageRef {
  if (value === '') return { kind: 'none' };
  if (/\$./.test(value)) return { kind: 'variable' };
  return byName(model, current, value);
}

function byName(model: SemanticModel, current: Stage | undefined, value: string): StageRef {
  const st = stageNamed(model, value);
  if (st) return stageRef(st, current, false);
  if (value === 'scratch') return { kind: 'image', ref: undefined, scratch: true };
  if (/^[a-f0-9]{64}$/.test(value)) return { kind: 'invalid', error: `invalid repository name (${value}), cannot specify 64-byte hexadecimal strings` };
  const r = parseImageRef(value);
  return r.ok ? { kind: 'image', ref: r.ref, scratch: false } : { kind: 'invalid', error: r.error };
}

function stageRef(st: Stage, current: Stage | undefined, byIndex: boolean): StageRef {
  return { kind: 'stage', stage: st, self: st === current, later: current !== undefined && st.index > current.index, byIndex };
}

/** The `COPY --from` and mount `from` sources of a stage's own instructions (ONBUILD triggers excluded). */
export function stageSources(model: SemanticModel, stage: Stage): StageSource[] {
  const out: StageSource[] = [];
  for (const ins of stage.instructions) {
    if (ins.trigger) continue;
    if (ins.keyword === 'COPY') {
      const flag = ins.flags.find((f) => f.name === 'from');
      if (!flag || flag.value === undefined || flag.value === '') continue;
      out.push({
        instruction: ins,
        via: 'copy',
        value: flag.value,
        range: flag.range,
        valueRange: flag.valueRange ?? flag.range,
        exact: flag.rawValue === flag.value,
        target: resolveCopyFrom(model, stage, flag.value),
      });
    } else if (ins.keyword === 'RUN') {
      for (const flag of ins.flags) {
        if (flag.name !== 'mount' || flag.value === undefined) continue;
        const m = parseMount(ins, flag);
        if (m.type !== 'bind' && m.type !== 'cache') continue;
        const from = m.options.find((o) => o.key === 'from');
        if (!from || from.value === undefined || from.value === '') continue;
        const valueRange = from.valueRange ?? from.range;
        out.push({
          instruction: ins,
          via: 'mount',
          value: from.value,
          range: from.range,
          valueRange,
          exact: flag.rawValue === flag.value && !flag.value.includes('"') && valueRange.end - valueRange.start === from.value.length,
          target: resolveMountFrom(model, stage, from.value),
        });
      }
    }
  }
  return out;
}

/** The stages a build of `target` (default: the last stage) dispatches. */
export function reachableStages(model: SemanticModel, target?: Stage): Set<Stage> {
  const seen = new Set<Stage>();
  const start = target ?? model.stages[model.stages.length - 1];
  if (!start) return seen;
  const stack: Stage[] = [start];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    const base = baseStageOf(model, s);
    if (base) stack.push(base);
    for (const src of stageSources(model, s)) if (src.target.kind === 'stage') stack.push(src.target.stage);
  }
  return seen;
}
