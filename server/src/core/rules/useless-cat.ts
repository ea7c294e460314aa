/** UselessCat: `cat file | cmd` where `cmd < file` does the same without a process (ShellCheck SC2002). */
import { commandName, runScripts } from '../shell/index';
import { defineRule, type Fix } from './types';
import { fix } from './util';

export default defineRule({
  meta: {
    id: 'UselessCat',
    title: 'Useless cat',
    category: 'shell',
    severity: 'info',
    upstreamSeverity: 'style',
    enabledByDefault: true,
    equivalents: ['shellcheck:SC2002'],
    fixable: true,
    docs: {
      rationale: '`cat file | cmd` starts an extra process and a pipe to do what a redirection does: `cmd < file`. It also hides a missing file behind the status of cmd unless pipefail is on.',
      bad: 'FROM python:3.12-slim\nRUN cat requirements.txt | xargs pip install --no-cache-dir\n',
      good: 'FROM python:3.12-slim\nRUN xargs pip install --no-cache-dir < requirements.txt\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      for (const c of entry.script.commands) {
        if (c.pipelineIndex !== 0 || c.pipeline.commands.length < 2 || c.pipeline.pipes.length < 1) continue;
        if (!c.name || commandName(c.name) !== 'cat' || c.assignments.length > 0 || c.redirects.length > 0) continue;
        if (c.args.length !== 1 || c.args[0].value.startsWith('-') || c.args[0].value === '') continue;
        const file = c.args[0];
        const next = c.pipeline.commands[1];
        const fixes: Fix[] = [];
        // The next element must be that simple command, right after the first pipe, without its own stdin.
        const adjacent = next.start > c.pipeline.pipes[0].start && next.start < (c.pipeline.pipes[1]?.start ?? Infinity);
        if (entry.exact && adjacent && next.name && !next.redirects.some((r) => r.op.startsWith('<') || r.op.startsWith('0<')) && !/[*?[]/.test(file.raw)) {
          // Before the command's own redirections: `grep x < file > out`.
          const words = [next.name, ...next.args];
          const lastWord = Math.max(...words.map((w) => w.end));
          const end = next.redirects.every((r) => r.start >= lastWord) ? lastWord : next.end;
          const at = entry.toSource(end, end).start;
          fixes.push(
            fix(`Use ${next.name.value} ... < ${file.raw}`, [
              { range: entry.toSource(c.start, next.start), newText: '' },
              { range: { start: at, end: at }, newText: ` < ${file.raw}` },
            ]),
          );
        }
        ctx.report(entry.toSource(c.name.start, c.name.end), `Useless cat: redirect the file instead, \`${next.name?.value ?? 'cmd'} ... < ${file.raw}\`.`, { fixes });
      }
    }
  },
});
