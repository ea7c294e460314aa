/** SemicolonMasksFailure: `cmd1; cmd2` in RUN without `set -e`: cmd1 may fail and the build goes on. */
import { commandName, runScripts, type InstructionScript } from '../shell/index';
import type { ShPipeline } from '../shell/types';
import { defineRule, type RuleContext } from './types';
import { fix, indentationAt, lineBreakOf, optionTracker } from './util';

/** Commands whose failure does not matter or cannot happen. */
const HARMLESS = new Set(['true', ':', 'set', 'echo', 'printf', 'export', 'unset', 'trap', 'umask', 'shift', 'readonly', 'local', 'exit', 'return', 'shopt', 'alias', 'hash', 'ulimit', 'false', 'wait', 'sleep']);

export default defineRule({
  meta: {
    id: 'SemicolonMasksFailure',
    title: 'Failure masked by ; or a new line',
    category: 'shell',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'A RUN fails only when its last command fails: in `apt-get update; apt-get install -y curl` or in a heredoc script without `set -e`, an earlier failure is ignored and the image is built broken (or fails later, far from the cause). Join commands with `&&`, or start the script with `set -e`.',
      bad: 'FROM debian:12\nRUN apt-get update; apt-get install -y curl\n',
      good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      const top = entry.script.pipelines.filter((p) => p.depth === 0 && p.commands.length > 0 && !p.commands.some((c) => c.inSubstitution));
      let heredocReported = false;
      let errexitAt: ((offset: number) => boolean) | undefined;
      for (const p of top) {
        if ((p.next !== ';' && p.next !== '\n') || !p.following) continue;
        const cmd = p.commands[p.commands.length - 1];
        if (p.commands.some((c) => c.inCondition) || !cmd.name) continue;
        const name = commandName(cmd.name);
        if (!name || HARMLESS.has(name)) continue;
        if ((errexitAt ??= optionTracker(entry, 'e', 'errexit'))(p.end)) continue;
        // The next command reads the status: `cmd; test $? -eq 0`, `a | tee log; exit ${PIPESTATUS[0]}`.
        if (/\$\?|\$\{\?\}|PIPESTATUS/.test(entry.script.text.slice(p.following.start, p.following.end))) continue;
        if (p.next === '\n') {
          if (heredocReported) continue;
          heredocReported = true;
          const f = setEFix(ctx, entry);
          ctx.report(entry.toSource(cmd.name.start, cmd.name.end), `If ${name} fails the script goes on: without \`set -e\` only the last command's status fails the build. Start the script with \`set -e\`.`, {
            fixes: f ? [f] : [],
          });
          continue;
        }
        const semi = entry.script.text.indexOf(';', p.end);
        if (semi < 0) continue;
        const range = entry.toSource(semi, semi + 1);
        const safe = entry.exact && !chainHasOr(p.following);
        const before = entry.script.text[semi - 1];
        ctx.report(range, `If ${name} fails the build goes on: ';' ignores its status${name === 'cd' ? ' and the next commands run in the wrong directory' : ''}. Use '&&'.`, {
          fixes: safe ? [fix("Replace ';' with '&&'", [{ range, newText: before === ' ' || before === '\t' ? '&&' : ' &&' }])] : [],
        });
      }
    }
  },
});

/** Whether the and-or list starting at `p` contains `||` (then `a; b || c` -> `a && b || c` changes meaning). */
function chainHasOr(p: ShPipeline): boolean {
  for (let q: ShPipeline | undefined = p, guard = 0; q && guard < 10000; q = q.following, guard++) {
    if (q.next === '||') return true;
    if (q.next !== '&&') return false;
  }
  return false;
}

/** A `set -e` line at the start of a heredoc script (after its #! line). */
function setEFix(ctx: RuleContext, entry: InstructionScript) {
  if (entry.form !== 'heredoc' || !entry.exact) return undefined;
  const s = entry.script;
  const first = s.commands.find((c) => c.depth === 0);
  if (!first) return undefined;
  if (first.name?.value === 'set' && first.args.length > 0 && first.args.every((a) => /^-[a-zA-Z]+$/.test(a.value)) && first.pipeline.commands.length === 1) {
    const a = first.args[0];
    const at = entry.toSource(a.start + 1, a.start + 1).start;
    return fix('Add -e to set', [{ range: { start: at, end: at }, newText: 'e' }]);
  }
  const lineStart = s.text.lastIndexOf('\n', first.start - 1) + 1;
  const at = entry.toSource(lineStart, lineStart).start;
  const indent = indentationAt(ctx.text, entry.toSource(first.start, first.start).start);
  return fix('Start the script with set -e', [{ range: { start: at, end: at }, newText: `${indent}set -e${lineBreakOf(ctx.text)}` }]);
}
