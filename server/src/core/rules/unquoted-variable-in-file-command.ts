/** UnquotedVariableInFileCommand: `$VAR` unquoted in the paths of rm/cp/mv/chmod/chown/mkdir/ln/tar (ShellCheck SC2086, narrowed). */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import { defineRule } from './types';
import { fix } from './util';

const FILE_COMMANDS = new Set(['rm', 'cp', 'mv', 'chmod', 'chown', 'chgrp', 'mkdir', 'rmdir', 'ln', 'tar']);

export default defineRule({
  meta: {
    id: 'UnquotedVariableInFileCommand',
    title: 'Unquoted variable in a file command',
    category: 'shell',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['shellcheck:SC2086'],
    fixable: true,
    docs: {
      rationale:
        'The shell splits an unquoted `$VAR` on spaces and expands globs in it: `rm -rf $DIR` with a DIR that is empty, contains a space or a `*` removes other files than the ones meant. Quote it: `"$DIR"`. Variables the Dockerfile sets to a plain value (ENV/ARG without spaces or glob characters) are not reported.',
      bad: 'FROM debian:12\nRUN rm -rf $CACHE_DIR/*\n',
      good: 'FROM debian:12\nRUN rm -rf "$CACHE_DIR"/*\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      // What the script assigns and what the Dockerfile defines: read only for scripts with a file command.
      let safe: ((name: string) => boolean) | undefined;
      const makeSafe = (): ((name: string) => boolean) => {
        const scope = ctx.model.scopeAt(rs.ins);
        const assigned = new Set(entry.script.commands.flatMap((c) => c.assignments.map((a) => a.raw.replace(/\+?=.*$/s, '').replace(/\[.*$/, ''))));
        for (const c of entry.script.commands) {
          if (c.args.length === 0) continue;
          const name = commandName(c.name);
          if (name === 'read' || name === 'export') for (const a of c.args) assigned.add(a.value.replace(/=.*$/s, ''));
        }
        return (name: string): boolean => {
          if (assigned.has(name)) return false;
          const d = scope.get(name);
          return !!d && d.kind !== 'builtin' && d.value !== undefined && d.value !== '' && !/[\s*?[\]{}]/.test(d.value);
        };
      };
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff) continue;
        const name = commandName(eff.name);
        if (!FILE_COMMANDS.has(name)) continue;
        for (const w of eff.args) {
          for (const v of w.unquotedVars) {
            if (/^[0-9]$/.test(v.name) || (safe ??= makeSafe())(v.name)) continue;
            const text = entry.script.text.slice(v.start, v.end);
            // Quote the whole word when it has no quotes or globs of its own, else just the expansion.
            const literal = w.raw.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '');
            const whole = !w.quoted && !/[*?[\]{}~'"\\`$]/.test(literal);
            const fixRange = whole ? { start: w.start, end: w.end } : { start: v.start, end: v.end };
            const quoted = `"${entry.script.text.slice(fixRange.start, fixRange.end)}"`;
            ctx.report(entry.toSource(v.start, v.end), `Quote ${text} in this ${name} argument: unquoted, an empty value or one with spaces or * changes which files ${name} touches.`, {
              fixes: entry.exact ? [fix(`Quote it: ${quoted}`, [{ range: entry.toSource(fixRange.start, fixRange.end), newText: quoted }])] : [],
            });
          }
        }
      }
    }
  },
});
