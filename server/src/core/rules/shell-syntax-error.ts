/** ShellSyntaxError: a RUN script the shell cannot parse; the build fails when it gets there. */
import { runScripts } from '../shell/index';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'ShellSyntaxError',
    title: 'Shell syntax error in RUN',
    category: 'shell',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: false,
    docs: {
      rationale:
        'The builder does not check RUN scripts: a missing quote, `fi` or `done` is only found when the shell runs, after every earlier step has been built. Only the first error of each script is reported, as the shell stops there.',
      bad: 'FROM alpine:3.20\nRUN if [ -f /etc/alpine-release ]; then echo alpine\n',
      good: 'FROM alpine:3.20\nRUN if [ -f /etc/alpine-release ]; then echo alpine; fi\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      const e = entry.script.errors[0];
      if (!e) continue;
      const range = entry.toSource(e.start, Math.max(e.end, e.start));
      ctx.report(range, `Shell syntax error: ${e.message} The RUN fails when the shell reads it.`);
    }
  },
});
