/** UnknownInstruction: a keyword that is not a Dockerfile instruction fails the build. */
import { INSTRUCTION_BY_NAME } from '../data/instructions';
import { defineRule } from './types';
import { replaceFix, suggest } from './util';

export default defineRule({
  meta: {
    id: 'UnknownInstruction',
    title: 'Unknown instruction',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL1000'],
    fixable: true,
    docs: {
      rationale: 'The builder stops at a keyword it does not know ("unknown instruction"). Usually a typo, or a shell command line that lost its `RUN` or its line continuation.',
      bad: 'FROM alpine:3.20\nRUNN echo hello\n',
      good: 'FROM alpine:3.20\nRUN echo hello\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      for (const target of ins.trigger ? [ins, ins.trigger] : [ins]) {
        if (INSTRUCTION_BY_NAME.has(target.keyword)) continue;
        const guess = suggest(target.keyword, INSTRUCTION_BY_NAME.keys());
        const cased = guess && (target.keywordRaw === target.keywordRaw.toLowerCase() ? guess.toLowerCase() : guess);
        ctx.report(
          target.keywordRange,
          `Unknown instruction "${target.keywordRaw}"${guess ? `; did you mean ${guess}?` : '.'}`,
          { fixes: cased ? [replaceFix(`Change to ${cased}`, target.keywordRange, cased)] : [] },
        );
      }
    }
  },
});
