/** StageNameCasing: BuildKit's check that stage names are lower case. */
import { parseMount } from '../semantic/mount';
import type { Stage } from '../semantic/model';
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
    for (const stage of ctx.model.stages) {
      const args = stage.from.args;
      if (args.length !== 3) continue;
      const name = args[2];
      if (name.value === name.value.toLowerCase()) continue;
      const lower = name.value.toLowerCase();
      const edits: TextEdit[] = [{ range: name.range, newText: lower }, ...referenceEdits(ctx, stage, lower)];
      const broken = ctx.model.stages.find((o) => o.index > stage.index && o.base.raw !== lower && o.base.raw.toLowerCase() === lower);
      const note = broken ? ` FROM ${broken.base.raw} on line ${broken.from.startLine + 1} does not find it: FROM matches stage names exactly, in lower case.` : '';
      ctx.report(name.range, `Stage name '${name.value}' should be lowercase: the builder reads it as '${lower}' anyway.${note}`, {
        fixes: [{ title: `Rename the stage to ${lower}`, edits, preferred: true }],
      });
    }
  },
});

/** Lower-cases the references to the stage written in another case: `FROM`, `COPY --from`, `RUN --mount=from=`. */
function referenceEdits(ctx: RuleContext, stage: Stage, lower: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const fix = (value: string, range: { start: number; end: number } | undefined) => {
    if (range && value !== lower && value.toLowerCase() === lower && range.end - range.start === value.length) edits.push({ range, newText: lower });
  };
  // `FROM BuildStage` does not even find the stage (BuildKit matches FROM against the lower-cased
  // names exactly); lower-casing it too makes it refer to the stage, as written.
  for (const other of ctx.model.stages) {
    if (other.index <= stage.index || other.base.raw.includes('$')) continue;
    fix(other.base.raw, other.base.range);
  }
  for (const ins of ctx.ast.instructions) {
    const target = ins.trigger ? undefined : ins;
    const at = target && ctx.model.stageOf(target);
    if (!target || !at || at.index <= stage.index) continue;
    for (const flag of target.flags) {
      if (flag.value === undefined || flag.rawValue !== flag.value) continue;
      if (target.keyword === 'COPY' && flag.name === 'from') fix(flag.value, flag.valueRange);
      if (target.keyword === 'RUN' && flag.name === 'mount' && flag.valueRange) {
        for (const opt of parseMount(target, flag).options) if (opt.key === 'from' && opt.value !== undefined) fix(opt.value, opt.valueRange);
      }
    }
  }
  return edits;
}
