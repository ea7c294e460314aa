/** SyntaxError: what the builder's parser rejects (heredocs, JSON form, key=value syntax, ${...} syntax). */
import { EXPANDED_INSTRUCTIONS } from '../semantic/model';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'SyntaxError',
    title: 'Dockerfile syntax error',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: false,
    docs: {
      rationale: 'The builder refuses to parse the file: an unterminated heredoc, a JSON array with non-string items, an ENV or LABEL word without `=`, or a malformed `${...}` substitution.',
      bad: 'FROM alpine:3.20\nENV PATH=/usr/local/bin:${PATH\nCMD ["sleep", 10]\n',
      good: 'FROM alpine:3.20\nENV PATH=/usr/local/bin:${PATH}\nCMD ["sleep", "10"]\n',
    },
  },
  check(ctx) {
    for (const p of ctx.ast.problems) {
      if (p.code === 'DuplicateDirective' || p.code === 'InvalidEscape') continue;
      ctx.report(p.range, p.message);
    }
    for (const p of ctx.model.expandProblems) {
      const kw = (p.instruction.trigger ?? p.instruction).keyword;
      if (!EXPANDED_INSTRUCTIONS.has(kw) && !p.instruction.flags.length) continue;
      ctx.report(p.range, `Invalid variable substitution: ${p.message}.`);
    }
  },
});
