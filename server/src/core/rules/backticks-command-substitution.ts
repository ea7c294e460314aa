/** BackticksCommandSubstitution: legacy `...` command substitution in RUN (ShellCheck SC2006). */
import { runScripts } from '../shell/index';
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'BackticksCommandSubstitution',
    title: 'Backticks for command substitution',
    category: 'shell',
    severity: 'info',
    upstreamSeverity: 'style',
    enabledByDefault: true,
    equivalents: ['shellcheck:SC2006'],
    fixable: true,
    docs: {
      rationale: 'Backticks nest only with escaping and treat backslashes specially; `$(...)` nests, reads clearly and behaves the same in every POSIX shell.',
      bad: 'FROM debian:12\nRUN echo "built on `date -u`" > /etc/build-info\n',
      good: 'FROM debian:12\nRUN echo "built on $(date -u)" > /etc/build-info\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      const text = entry.script.text;
      const ticks = entry.script.substitutions.filter((x) => x.kind === 'backtick');
      for (const sub of ticks) {
        // A backtick nested in another is replaced with it.
        if (ticks.some((o) => o !== sub && o.start <= sub.start && o.end >= sub.end)) continue;
        const raw = text.slice(sub.start, sub.end);
        const inner = raw.slice(1, raw.endsWith('`') && raw.length > 1 ? -1 : undefined);
        const range = entry.toSource(sub.start, sub.end);
        const safe = entry.exact && raw.length > 1 && raw.endsWith('`') && !inner.includes('\\') && !/\bcase\b/.test(inner) && !inner.startsWith('(');
        ctx.report(range, 'Use $(...) instead of backticks for command substitution.', { fixes: safe ? [replaceFix('Use $(...)', range, `$(${inner})`)] : [] });
      }
    }
  },
});
