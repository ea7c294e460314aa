/**
 * What a stage inherits from the earlier stages it is built on (`FROM <stage>`), the way BuildKit's
 * dispatcher carries it over: the state's environment (which holds ARG values as well as ENV), the
 * declared build arguments, the image config (SHELL) and whether a WORKDIR was set.
 */
import type { Instruction } from '../syntax/ast';
import type { SemanticModel, Stage } from './model';

/** The stages a stage is built on, nearest first (`FROM a AS b` / `FROM b AS c`: c -> [b, a]). */
export function ancestorStages(stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<Stage>([stage]);
  let cur = stage.base.stage;
  while (cur && !seen.has(cur)) {
    out.push(cur);
    seen.add(cur);
    cur = cur.base.stage;
  }
  return out;
}

/**
 * Names of the ARGs declared in the stages a stage is built on. BuildKit's child stage starts from its
 * parent's state, whose environment includes the parent's ARG values, and inherits its declared build
 * arguments, so these names are defined in the child (the model's scope only carries ENV over).
 */
export function inheritedArgNames(model: SemanticModel, stage: Stage): Set<string> {
  const ancestors = ancestorStages(stage);
  const out = new Set<string>();
  if (ancestors.length === 0) return out;
  // The model declares the stages' variables stage after stage, in file order: going through the ancestors by
  // index gives the names in the order of `model.decls`.
  const byStage = stageArgNames(model);
  for (const s of [...ancestors].sort((a, b) => a.index - b.index)) for (const name of byStage.get(s) ?? []) out.add(name);
  return out;
}

const argNamesCache = new WeakMap<SemanticModel, Map<Stage, string[]>>();

/** The names of the ARGs declared in each stage, in order; computed once per model. */
function stageArgNames(model: SemanticModel): Map<Stage, string[]> {
  let byStage = argNamesCache.get(model);
  if (!byStage) {
    byStage = new Map();
    for (const d of model.decls) {
      if (d.kind !== 'ARG' || !d.stage) continue;
      let list = byStage.get(d.stage);
      if (!list) byStage.set(d.stage, (list = []));
      list.push(d.name);
    }
    argNamesCache.set(model, byStage);
  }
  return byStage;
}

/**
 * The instructions that run before `ins` in its stage and in the stages it is built on, oldest first.
 * ONBUILD triggers are not included (they run in a later build).
 */
export function instructionsBefore(stage: Stage, ins: Instruction | undefined): Instruction[] {
  const chain = [...ancestorStages(stage)].reverse();
  const out: Instruction[] = [];
  for (const s of chain) out.push(...s.instructions);
  for (const i of stage.instructions) {
    if (i === ins) break;
    out.push(i);
  }
  return out;
}
