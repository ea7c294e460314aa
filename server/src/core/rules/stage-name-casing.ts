/** StageNameCasing: BuildKit's check that stage names are lower case. */
import { parseMount } from '../semantic/mount';
import type { Stage } from '../semantic/model';
import type { Span } from '../syntax/ast';
import { defineRule, type RuleContext, type TextEdit } from './types';

export default defineRule({
  meta: {
    id: 'StageNameCasing',
    title: 'Stage names should be lowercase',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:StageNameCasing'],
    fixable: true,
    docs: {
      rationale:
        'The builder lower-cases stage names: `AS Builder` defines the stage `builder`. `COPY --from=Builder` and `--target Builder` still find it, but `FROM Builder` does not (FROM matches stage names exactly, so it tries to pull an image called Builder). Writing the name in lower case avoids the confusion; the quick fix lower-cases the references too.',
      bad: 'FROM golang:1.22 AS BuildStage\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=BuildStage /app /app\n',
      good: 'FROM golang:1.22 AS build-stage\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=build-stage /app /app\n',
    },
  },
  check(ctx) {
    let index: ReferenceIndex | undefined;
    for (const stage of ctx.model.stages) {
      const args = stage.from.args;
      if (args.length !== 3) continue;
      const name = args[2];
      if (name.value === name.value.toLowerCase()) continue;
      const lower = name.value.toLowerCase();
      index ??= referenceIndex(ctx);
      const edits: TextEdit[] = [{ range: name.range, newText: lower }, ...referenceEdits(index, stage, lower)];
      const broken = (index.bases.get(lower) ?? []).find((o) => o.index > stage.index && o.base.raw !== lower);
      const note = broken ? ` FROM ${broken.base.raw} on line ${broken.from.startLine + 1} does not find it: FROM matches stage names exactly, in lower case.` : '';
      ctx.report(name.range, `Stage name '${name.value}' should be lowercase: the builder reads it as '${lower}' anyway.${note}`, {
        fixes: [{ title: `Rename the stage to ${lower}`, edits, preferred: true }],
      });
    }
  },
});

/** A stage reference written in the file: a FROM base, a `COPY --from` or a mount's `from=`. */
interface Reference {
  readonly value: string;
  readonly range: Span | undefined;
  /** The stage the reference is in. */
  readonly stage: Stage;
}

interface ReferenceIndex {
  /** Every stage, by its base written in lower case. */
  readonly bases: ReadonlyMap<string, Stage[]>;
  /** The references an edit may lower-case, by value in lower case: FROM bases first, then flags in file order. */
  readonly refs: ReadonlyMap<string, Reference[]>;
}

/** The file's stage references, gathered once (not once per stage name to fix). */
function referenceIndex(ctx: RuleContext): ReferenceIndex {
  const bases = new Map<string, Stage[]>();
  const refs = new Map<string, Reference[]>();
  const add = <T>(map: Map<string, T[]>, key: string, v: T) => {
    const list = map.get(key);
    if (list) list.push(v);
    else map.set(key, [v]);
  };
  for (const other of ctx.model.stages) {
    add(bases, other.base.raw.toLowerCase(), other);
    // `FROM BuildStage` does not even find the stage (BuildKit matches FROM against the lower-cased
    // names exactly); lower-casing it too makes it refer to the stage, as written.
    if (!other.base.raw.includes('$')) add(refs, other.base.raw.toLowerCase(), { value: other.base.raw, range: other.base.range, stage: other });
  }
  for (const ins of ctx.ast.instructions) {
    const target = ins.trigger ? undefined : ins;
    const at = target && ctx.model.stageOf(target);
    if (!target || !at) continue;
    for (const flag of target.flags) {
      if (flag.value === undefined || flag.rawValue !== flag.value) continue;
      if (target.keyword === 'COPY' && flag.name === 'from') add(refs, flag.value.toLowerCase(), { value: flag.value, range: flag.valueRange, stage: at });
      if (target.keyword === 'RUN' && flag.name === 'mount' && flag.valueRange) {
        for (const opt of parseMount(target, flag).options) {
          if (opt.key === 'from' && opt.value !== undefined) add(refs, opt.value.toLowerCase(), { value: opt.value, range: opt.valueRange, stage: at });
        }
      }
    }
  }
  return { bases, refs };
}

/** Lower-cases the references to the stage written in another case: `FROM`, `COPY --from`, `RUN --mount=from=`. */
function referenceEdits(index: ReferenceIndex, stage: Stage, lower: string): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const { value, range, stage: at } of index.refs.get(lower) ?? []) {
    if (at.index <= stage.index) continue;
    if (range && value !== lower && range.end - range.start === value.length) edits.push({ range, newText: lower });
  }
  return edits;
}
