/**
 * AptUpdateAlone: `apt-get update` in a RUN of its own, separate from the install that needs it. The update's
 * layer stays cached, so later installs use an old package index. Fix: merge it into the install's RUN.
 */
import type { Instruction } from '../syntax/ast';
import type { Stage } from '../semantic/model';
import { scriptsOf, type InstructionScript } from '../shell/index';
import type { ShCommand } from '../shell/types';
import { packageCommand } from '../semantic/packages';
import { defineRule, type Fix, type RuleContext } from './types';
import { fix, lineNumberAt, wholeLines } from './util';

const APT = new Set(['apt-get', 'apt', 'aptitude']);

interface AptCommand {
  readonly script: InstructionScript;
  readonly cmd: ShCommand;
  readonly action: string;
}

function aptCommands(ctx: RuleContext, ins: Instruction): AptCommand[] {
  const out: AptCommand[] = [];
  for (const script of scriptsOf(ctx.model, ins)) {
    if (script.dialect === 'skip') continue;
    for (const cmd of script.script.commands) {
      const pc = packageCommand(cmd);
      if (pc && APT.has(pc.manager) && pc.action) out.push({ script, cmd, action: pc.action });
    }
  }
  return out;
}

const INSTALLS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'reinstall']);

export default defineRule({
  meta: {
    id: 'AptUpdateAlone',
    title: 'apt-get update in a RUN of its own',
    category: 'cache',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'A RUN that only runs `apt-get update` is cached like any other step: its text never changes, so later builds reuse the package index downloaded the first time, and an `apt-get install` in a later RUN installs old versions or fails when the mirror has moved on. Run `apt-get update` in the same RUN as the install (and remove the lists at its end, see AptListsNotRemoved).',
      bad: 'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const runs = stage.instructions.filter((i) => i.keyword === 'RUN' && !i.trigger);
      runs.forEach((run, i) => {
        const cmds = aptCommands(ctx, run);
        const update = cmds.find((c) => c.action === 'update');
        if (!update || cmds.some((c) => INSTALLS.has(c.action))) return;
        const next = findInstall(ctx, runs.slice(i + 1), stage);
        if (!next) return;
        const line = lineNumberAt(ctx.ast, next.ins.range.start);
        const where = next.stage === stage ? `on line ${line}` : `on line ${line} (stage ${next.stage.nameRaw ?? next.stage.index})`;
        const f = next.stage === stage ? mergeFix(ctx, run, update, next) : undefined;
        ctx.report(
          run.range,
          `This RUN only updates the package index: its layer stays cached, so the apt ${next.install.action} ${where} uses an index that grows old (old versions, or failures once the mirror moves on). Run the update in the same RUN as the install.`,
          { fixes: f ? [f] : [] },
        );
      });
    }
  },
});

/** The first later RUN (this stage, then stages built on it) that installs with apt without its own update first. */
function findInstall(ctx: RuleContext, later: readonly Instruction[], stage: Stage): { ins: Instruction; install: AptCommand; stage: Stage } | undefined {
  for (const ins of later) {
    const cmds = aptCommands(ctx, ins);
    const first = cmds.find((c) => c.action === 'update' || INSTALLS.has(c.action));
    if (first?.action === 'update') return undefined;
    if (first) return { ins, install: first, stage };
  }
  for (const s of ctx.model.stages) {
    if (s.base.stage !== stage) continue;
    const found = findInstall(ctx, s.instructions.filter((i) => i.keyword === 'RUN' && !i.trigger), s);
    if (found) return found;
  }
  return undefined;
}

/** Deletes the update RUN and runs the same update command at the start of the install's command list. */
function mergeFix(ctx: RuleContext, run: Instruction, update: AptCommand, next: { ins: Instruction; install: AptCommand }): Fix | undefined {
  const text = ctx.text;
  const u = update.script;
  if (run.flags.length > 0 || u.form !== 'shell' || !u.exact || u.script.errors.length > 0) return undefined;
  if (u.script.commands.length !== 1 || run.heredocs.length > 0) return undefined;
  const target = next.install.script;
  const cmd = next.install.cmd;
  if (target.form !== 'shell' || !target.exact || target.script.errors.length > 0 || cmd.depth !== 0 || cmd.inSubstitution) return undefined;
  const pipe = cmd.pipeline;
  if (pipe.commands[0] !== cmd || pipe.negated || (pipe.prev !== undefined && pipe.prev !== '&&' && pipe.prev !== ';')) return undefined;
  const updateRange = u.toSource(update.cmd.start, update.cmd.end);
  const updateText = text.slice(updateRange.start, updateRange.end);
  const at = target.toSource(pipe.start, pipe.start).start;
  return fix(`Run ${updateText} in the RUN that installs`, [
    { range: wholeLines(text, run.fullRange), newText: '' },
    { range: { start: at, end: at }, newText: `${updateText} && ` },
  ]);
}
