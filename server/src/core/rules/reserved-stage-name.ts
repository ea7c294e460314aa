/** ReservedStageName: BuildKit's check that a stage is not named `scratch` or `context`. */
import { defineRule } from './types';

const RESERVED: ReadonlyMap<string, string> = new Map([
  ['scratch', '`FROM scratch` always means the empty image'],
  ['context', '`context` is reserved for the build context'],
]);

export default defineRule({
  meta: {
    id: 'ReservedStageName',
    title: 'Reserved words should not be used as stage names',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:ReservedStageName', 'hadolint:DL3063'],
    fixable: false,
    docs: {
      rationale:
        '`scratch` and `context` are reserved: `FROM scratch` always means the empty image and `context` names the build context, so a stage with one of these names cannot be referred to the way the file suggests.',
      bad: 'FROM alpine:3.20 AS scratch\nRUN echo hi > /hi\n\nFROM scratch\nCOPY --from=scratch /hi /hi\n',
      good: 'FROM alpine:3.20 AS prepare\nRUN echo hi > /hi\n\nFROM scratch\nCOPY --from=prepare /hi /hi\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      if (stage.name === undefined || !stage.nameRange) continue;
      const why = RESERVED.get(stage.name);
      if (!why) continue;
      ctx.report(stage.nameRange, `Stage name should not use the reserved name "${stage.name}": ${why}.`);
    }
  },
});
