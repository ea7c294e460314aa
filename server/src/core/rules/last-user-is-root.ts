/** LastUserIsRoot: an image whose last USER is root runs its process as root (hadolint DL3002). */
import type { Stage } from '../semantic/model';
import type { Instruction } from '../syntax/ast';
import { defineRule } from './types';
import { expandInScope, outputStages } from './util';

export default defineRule({
  meta: {
    id: 'LastUserIsRoot',
    title: 'Last USER is root',
    category: 'security',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3002'],
    fixable: false,
    docs: {
      rationale:
        'Containers run as the last USER of their image. Switching to root for installation steps is fine, but switch back to an unprivileged user afterwards, so that a compromised process does not hold root in the container.',
      bad: 'FROM debian:12-slim\nUSER root\nRUN apt-get update\n',
      good: 'FROM debian:12-slim\nUSER root\nRUN apt-get update\nUSER 10001\n',
    },
  },
  check(ctx) {
    const reported = new Set<Instruction>();
    // The user in effect at the end of each stage: its last USER, or the one of the stage it builds on.
    const userAtEnd = new Map<Stage, Instruction | undefined>();
    for (const stage of ctx.model.stages) {
      let user: Instruction | undefined;
      for (let i = stage.instructions.length - 1; i >= 0 && !user; i--) {
        const ins = stage.instructions[i];
        if (ins.keyword === 'USER' && !ins.trigger) user = ins;
      }
      // A stage builds on an earlier stage, which is already done.
      userAtEnd.set(stage, user ?? (stage.base.stage ? userAtEnd.get(stage.base.stage) : undefined));
    }
    for (const output of outputStages(ctx.model)) {
      const user = userAtEnd.get(output);
      if (!user || reported.has(user)) continue;
      const word = user.args[0];
      if (!word) continue;
      const value = expandInScope(ctx.model, user, word.value);
      if (value === undefined || !isRoot(value)) continue;
      reported.add(user);
      const inherited = ctx.model.stageOf(user) !== output;
      const via = value === word.value ? '' : ` (${word.value} is "${value}")`;
      const where = inherited
        ? `stage ${output.nameRaw ? `"${output.nameRaw}"` : output.index} builds on this stage and runs as root${via}`
        : `the image runs as root${via}`;
      ctx.report(word.range, `Last USER is root: ${where}. Switch to an unprivileged user after the steps that need root.`, {
        related: inherited ? [{ message: 'Image built from here', range: output.from.keywordRange }] : undefined,
      });
    }
  },
});

/** `root`, `0`, or either with a group (`root:root`, `0:0`), as hadolint reads it. */
function isRoot(user: string): boolean {
  return user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');
}
