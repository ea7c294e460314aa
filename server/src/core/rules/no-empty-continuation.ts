/** NoEmptyContinuation: BuildKit's warning for empty lines inside a continued instruction. */
import { defineRule } from './types';
import { wholeLines } from './util';

export default defineRule({
  meta: {
    id: 'NoEmptyContinuation',
    title: 'Empty continuation lines will become errors in a future release',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:NoEmptyContinuation'],
    fixable: true,
    docs: {
      rationale:
        'The builder skips empty lines after a line continuation, so an instruction goes on past a blank line: a forgotten trailing `\\` silently swallows the next instruction into the previous one. Empty continuation lines are deprecated and will become an error.',
      bad: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n\n    apt-get install -y curl\n',
      good: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y curl\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      for (const line of ins.emptyContinuationLines) {
        ctx.report(line, `Empty continuation line: ${ins.keyword} continues past it, which will be an error in a future release.`, {
          fixes: [{ title: 'Remove the empty line', edits: [{ range: wholeLines(ctx.text, line), newText: '' }], preferred: true }],
        });
      }
    }
  },
});
