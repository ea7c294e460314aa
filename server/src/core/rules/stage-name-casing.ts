/** StageNameCasing: BuildKit's check that stage names are lower case. */
import { defineRule } from './types';
import { replaceFix } from './util';

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
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'FROM' || ins.args.length !== 3) continue;
      const name = ins.args[2];
      if (name.value === name.value.toLowerCase()) continue;
      const lower = name.value.toLowerCase();
      ctx.report(name.range, `Stage name '${name.value}' should be lowercase: the builder reads it as '${lower}' anyway.`, {
        fixes: [replaceFix(`Rename the stage to ${lower}`, name.range, lower)],
      });
    }
  },
});
