/**
 * InvalidOnbuildTrigger: ONBUILD without an instruction, ONBUILD ONBUILD, ONBUILD FROM and ONBUILD
 * MAINTAINER, which BuildKit's parseOnBuild rejects (instructions/parse.go).
 */
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'InvalidOnbuildTrigger',
    title: 'Invalid ONBUILD trigger',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3043'],
    upstreamSeverity: 'error',
    fixable: true,
    docs: {
      rationale:
        'ONBUILD registers one instruction for builds that use this image as their base. It cannot register another ONBUILD, a FROM or a MAINTAINER, and it needs an instruction: the builder stops otherwise.',
      bad: 'FROM node:20-alpine\nONBUILD ONBUILD COPY . /app\n',
      good: 'FROM node:20-alpine\nONBUILD COPY . /app\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'ONBUILD') continue;
      const t = ins.trigger;
      if (!t) {
        ctx.report(ins.keywordRange, 'ONBUILD requires at least one argument: the instruction to run in builds that use this image.');
        continue;
      }
      if (t.keyword === 'ONBUILD') {
        ctx.report(t.keywordRange, 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed.', {
          fixes: [{ title: 'Remove the repeated ONBUILD', edits: [{ range: { start: ins.keywordRange.start, end: t.keywordRange.start }, newText: '' }], preferred: true }],
        });
      } else if (t.keyword === 'FROM' || t.keyword === 'MAINTAINER') {
        const hint = t.keyword === 'FROM' ? ' A downstream build chooses its own base image.' : ' Use LABEL org.opencontainers.image.authors=... in this image instead.';
        ctx.report(t.keywordRange, `${t.keyword} isn't allowed as an ONBUILD trigger.${hint}`);
      }
    }
  },
});
