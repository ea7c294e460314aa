/** PipefailMissing: a pipe in RUN under a shell without `pipefail`, so a failing left side goes unnoticed (hadolint DL4006). */
import type { Stage } from '../semantic/model';
import { baseShellFlavor, commandName, runScripts, type InstructionScript, type RunScript } from '../shell/index';
import type { ShPipeline } from '../shell/types';
import type { Fix } from './types';
import { defineRule, type RuleContext } from './types';
import { fix, inCase, indentationAt, lineBreakOf, optionTracker } from './util';

export default defineRule({
  meta: {
    id: 'PipefailMissing',
    title: 'Pipe without pipefail',
    category: 'shell',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL4006'],
    fixable: true,
    docs: {
      rationale:
        'A pipeline returns the status of its last command: in `curl -fsSL $URL | tar xz` a failed download still lets the RUN succeed with nothing extracted. `set -o pipefail` (or a SHELL with `-o pipefail`) makes the pipeline fail when any part fails. Unlike hadolint, pipes fed only by echo/printf (`echo "$SUM  f" | sha256sum -c -`) and pipes in conditions or substitutions are not reported.',
      bad: 'FROM debian:12\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt\n',
      good: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt\n',
    },
  },
  check(ctx) {
    const shellFixOffered = new Set<Stage>();
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      const s = entry.script;
      let pipefailAt: ((offset: number) => boolean) | undefined;
      const p = s.pipelines.find(
        (x) =>
          x.pipes.length > 0 &&
          x.commands.length > 0 &&
          leftCanFail(x) &&
          !x.commands.every((c) => c.inSubstitution) &&
          !x.commands.some((c) => c.inCondition) &&
          !(pipefailAt ??= optionTracker(entry, undefined, 'pipefail'))(x.start),
      );
      if (!p) continue;
      const pipe = entry.toSource(p.pipes[0].start, p.pipes[0].end);
      const flavor = baseShellFlavor(ctx.model, rs.ins);
      const fixes: Fix[] = [];
      let hint: string;
      if (entry.dialect === 'bash' || flavor === 'busybox') {
        const f = setPipefailFix(ctx, entry);
        if (f) fixes.push(f);
        hint = entry.dialect === 'bash' ? 'add `set -o pipefail` to the script' : "add `set -o pipefail` (BusyBox ash supports it)";
      } else if (flavor === 'bash' && entry.form !== 'exec') {
        const stage = ctx.model.stageOf(rs.ins);
        if (stage && !shellFixOffered.has(stage) && rs.ins === rs.run) {
          shellFixOffered.add(stage);
          const f = shellInstructionFix(ctx, rs);
          if (f) fixes.push(f);
        }
        hint = 'set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN';
      } else {
        hint = 'set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` if the image has bash, or start the script with `set -o pipefail` where /bin/sh supports it (BusyBox ash does, older dash does not)';
      }
      ctx.report(pipe, `This pipeline's status is that of its last command, so a failure on the left of '|' is ignored: ${hint}.`, { fixes });
    }
  },
});

/** Commands that do not fail: `echo "$SUM  file" | sha256sum -c -` needs no pipefail. */
const NEVER_FAIL = new Set(['echo', 'printf', 'yes', 'true', ':']);

/** Whether something left of the last `|` may fail (a compound element counts as may-fail). */
function leftCanFail(p: ShPipeline): boolean {
  if (p.commands.length < p.pipes.length + 1) return true;
  return p.commands.slice(0, -1).some((c) => !NEVER_FAIL.has(commandName(c.name)));
}

/** `set -eux` -> `set -eux -o pipefail`, or a new `set -o pipefail` at the start of the script. */
function setPipefailFix(ctx: RuleContext, entry: InstructionScript): Fix | undefined {
  if (!entry.exact) return undefined;
  const s = entry.script;
  const first = s.commands.find((c) => c.depth === 0 && !c.inSubstitution);
  if (first && first.name?.value === 'set' && first.args.length > 0 && first.args.every((a) => /^-[a-zA-Z]+$/.test(a.value)) && first.pipeline.commands.length === 1) {
    const last = first.args[first.args.length - 1];
    const at = entry.toSource(last.end, last.end).start;
    return fix('Add -o pipefail to set', [{ range: { start: at, end: at }, newText: ' -o pipefail' }]);
  }
  if (!first) return undefined;
  if (entry.form === 'heredoc') {
    const lineStart = s.text.lastIndexOf('\n', first.start - 1) + 1;
    const at = entry.toSource(lineStart, lineStart).start;
    const indent = indentationAt(ctx.text, entry.toSource(first.start, first.start).start);
    return fix('Start the script with set -o pipefail', [{ range: { start: at, end: at }, newText: `${indent}set -o pipefail${lineBreakOf(ctx.text)}` }]);
  }
  const at = entry.toSource(first.start, first.start).start;
  return fix('Start the script with set -o pipefail', [{ range: { start: at, end: at }, newText: 'set -o pipefail && ' }]);
}

function shellInstructionFix(ctx: RuleContext, rs: RunScript): Fix | undefined {
  const at = rs.ins.range.start;
  const indent = indentationAt(ctx.text, at);
  const kw = inCase('SHELL', ctx.ast.instructions);
  return fix(
    'Add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN (later RUNs of the stage use bash too)',
    [{ range: { start: at, end: at }, newText: `${kw} ["/bin/bash", "-o", "pipefail", "-c"]${lineBreakOf(ctx.text)}${indent}` }],
    false,
  );
}
