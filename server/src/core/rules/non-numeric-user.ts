/** NonNumericUser (hadolint DL3066): USER names a user instead of giving a numeric UID. */
import { expand } from '../semantic/expand';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'NonNumericUser',
    title: 'USER is not a numeric UID',
    category: 'security',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3066'],
    fixable: false,
    docs: {
      rationale:
        'A user name is resolved inside the image, so the host and orchestrators cannot tell which UID the container runs as: Kubernetes cannot verify runAsNonRoot for `USER app`, and volume ownership is guesswork. Give the numeric UID (and GID).',
      bad: 'FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER app\n',
      good: 'FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER 10001:10001\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'USER' || ins.args.length === 0) continue;
      const word = ins.args[0];
      const colon = word.value.indexOf(':');
      const userText = colon === -1 ? word.value : word.value.slice(0, colon);
      let user = userText;
      if (/[$"'\\`]/.test(userText)) {
        const scope = ctx.model.scopeAt(ins);
        const ex = expand(userText, (n) => scope.get(n)?.value, ctx.ast.escape);
        if (ex.error || ex.uses.some((u) => !u.found)) continue;
        user = ex.words.join(' ');
      }
      if (user === '' || /^\d+$/.test(user)) continue;
      const range = ins.logical.spanOf(word.logicalStart, word.logicalStart + userText.length);
      ctx.report(range, `USER "${user}" is a name: the host cannot tell which UID it is. Use the numeric UID${colon === -1 ? '' : ' and GID'}.`);
    }
  },
});
