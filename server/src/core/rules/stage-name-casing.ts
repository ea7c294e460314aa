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
        'The builder lower-cases stage names (`AS Builder` defines the stage `builder`), so a mixed-case name reads as if case mattered when it does not, and `--target Builder` and `--from=Builder` only work because of that silent folding. Writing the name in lower case avoids the confusion.',
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
      ctx.report(name.range, `Stage name '${name.value}' should be lowercase: the builder reads it as '${lower}' anyway.`, {
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
  for (const other of ctx.model.stages) {
    if (other.index <= stage.index) continue;
    if (other.base.stage === stage) fix(other.base.raw, other.base.range);
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
