/** DangerousRmPath: `rm -r` of `/`, `/*`, or `$VAR/...` where an empty VAR makes it the root (ShellCheck SC2115). */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import { defineRule, type Fix } from './types';
import { fix } from './util';

/** Variables that are never empty in a RUN. */
const ALWAYS_SET = new Set(['HOME', 'PWD', 'PATH']);

export default defineRule({
  meta: {
    id: 'DangerousRmPath',
    title: 'rm -r that can hit the root directory',
    category: 'shell',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['shellcheck:SC2115'],
    fixable: true,
    docs: {
      rationale:
        '`rm -rf "$DIR"/*` with an unset or empty DIR becomes `rm -rf /*` and wipes the image. Write `"${DIR:?}"/*` so the shell stops with an error instead; never remove `/` or `/*` itself.',
      bad: 'FROM debian:12\nRUN rm -rf "$BUILD_DIR"/*\n',
      good: 'FROM debian:12\nRUN rm -rf "${BUILD_DIR:?}"/*\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      // What the script assigns and the Dockerfile defines: read only when an rm needs it.
      let assigned: Set<string> | undefined;
      const known = (name: string) => {
        if (ALWAYS_SET.has(name)) return true;
        assigned ??= new Set(entry.script.commands.flatMap((c) => c.assignments.map((a) => a.raw.replace(/\+?=.*$/s, ''))));
        if (assigned.has(name)) return true;
        const d = ctx.model.scopeAt(rs.ins).get(name);
        return !!d && d.kind !== 'builtin' && !!d.value;
      };
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff || commandName(eff.name) !== 'rm') continue;
        const recursive = eff.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a.value) || a.value === '--recursive');
        if (!recursive) continue;
        for (const w of eff.args) {
          if (w.value.startsWith('-')) continue;
          const v = w.value.replace(/\/+$/, '/');
          if (!w.hasExpansion && (v === '/' || v === '/*' || v === '/.*')) {
            ctx.report(entry.toSource(w.start, w.end), `rm -r ${w.value} removes the whole file system of the image.`);
            continue;
          }
          // `$VAR/...` or `"$VAR"/...` or `${VAR}/...` at the start of the word.
          const m = /^("?)\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))("?)\//.exec(w.raw);
          if (!m) continue;
          const name = m[3] ?? m[4];
          if (known(name)) continue;
          const varStart = w.start + m[1].length;
          const varEnd = varStart + 1 + m[2].length;
          const fixes: Fix[] = entry.exact ? [fix(`Use \${${name}:?}`, [{ range: entry.toSource(varStart, varEnd), newText: `\${${name}:?}` }])] : [];
          ctx.report(entry.toSource(varStart, varEnd), `If ${name} is empty or unset this removes /${w.value.slice(w.value.indexOf('/') + 1)}: write \${${name}:?} so the shell stops instead.`, { fixes });
        }
      }
    }
  },
});
