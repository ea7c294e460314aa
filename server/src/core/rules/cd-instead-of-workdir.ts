/** CdInsteadOfWorkdir: `cd` in RUN to set the directory later commands work in, where WORKDIR says it (hadolint DL3003). */
import { commandName, runScripts, type RunScript } from '../shell/index';
import type { ShCommand } from '../shell/types';
import type { Instruction } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';
import { defineRule, type Fix, type RuleContext } from './types';
import { fix, inCase, indentationAt, lineBreakOf } from './util';

export default defineRule({
  meta: {
    id: 'CdInsteadOfWorkdir',
    title: 'cd instead of WORKDIR',
    category: 'shell',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3003'],
    fixable: true,
    docs: {
      rationale:
        'A `cd` lasts for one RUN only and hides the working directory in shell text; WORKDIR sets it for every later instruction, creates it when missing and shows up in the image config. Keep `cd` inside a subshell for a one-off.',
      bad: 'FROM node:20\nCOPY . /app\nRUN cd /app && npm ci\n',
      good: 'FROM node:20\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const cd = rs.entry.script.commands.find((c) => c.depth === 0 && !c.inSubstitution && commandName(c.name) === 'cd' && c.assignments.length === 0);
      if (!cd || !cd.name) continue;
      const target = cd.args.length === 1 ? cd.args[0].value : undefined;
      const fixes: Fix[] = [];
      const f = workdirFix(ctx, rs, cd);
      if (f) fixes.push(f);
      ctx.report(
        rs.entry.toSource(cd.name.start, cd.name.end),
        `Use WORKDIR${target && !cd.args[0].hasExpansion ? ` ${target}` : ''} to change directory: a cd only lasts for this RUN.`,
        { fixes },
      );
    }
  },
});

const workdirCache = new WeakMap<SemanticModel, Map<Stage, Instruction[]>>();

/** The last WORKDIR of the stage that starts before `offset`. */
function lastWorkdirBefore(model: SemanticModel, stage: Stage, offset: number): Instruction | undefined {
  let byStage = workdirCache.get(model);
  if (!byStage) workdirCache.set(model, (byStage = new Map()));
  let workdirs = byStage.get(stage);
  if (!workdirs) byStage.set(stage, (workdirs = stage.instructions.filter((i) => i.keyword === 'WORKDIR')));
  let found: Instruction | undefined;
  for (let lo = 0, hi = workdirs.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (workdirs[mid].range.start < offset) {
      found = workdirs[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** `RUN cd /x && cmd...` -> `WORKDIR /x` + `RUN cmd...` (the RUN's flags stay). */
function workdirFix(ctx: RuleContext, rs: RunScript, cd: ShCommand): Fix | undefined {
  const { entry } = rs;
  if (entry.form !== 'shell' || !entry.exact || rs.ins !== rs.run || entry.script.errors.length > 0) return undefined;
  const p = cd.pipeline;
  const first = entry.script.pipelines.find((x) => x.depth === 0);
  if (first !== p || p.commands.length !== 1 || p.negated || p.next !== '&&' || !p.following) return undefined;
  if (cd.args.length !== 1 || cd.redirects.length > 0) return undefined;
  const dir = cd.args[0];
  if (dir.hasExpansion || !/^\/[A-Za-z0-9._/@+-]*$/.test(dir.value)) return undefined;
  const nextStart = p.following.start;
  const del = entry.toSource(cd.start, nextStart);
  // Already there: the cd is redundant.
  const stage = ctx.model.stageOf(rs.ins);
  const current = (stage && lastWorkdirBefore(ctx.model, stage, rs.ins.range.start))?.args[0]?.value.replace(/\/+$/, '');
  if (current && current === dir.value.replace(/\/+$/, '')) return fix(`Remove the cd: WORKDIR is already ${current}`, [{ range: del, newText: '' }]);
  const at = rs.ins.range.start;
  const kw = inCase('WORKDIR', ctx.ast.instructions);
  return fix(`Use WORKDIR ${dir.value} (later instructions also start there)`, [
    { range: { start: at, end: at }, newText: `${kw} ${dir.value}${lineBreakOf(ctx.text)}${indentationAt(ctx.text, at)}` },
    { range: del, newText: '' },
  ]);
}
