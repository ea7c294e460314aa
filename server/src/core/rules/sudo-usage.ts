/** SudoUsage: `sudo` in RUN (hadolint DL3004). */
import type { Stage } from '../semantic/model';
import { commandName, runScripts, type RunScript } from '../shell/index';
import { defineRule } from './types';
import { fix } from './util';

export default defineRule({
  meta: {
    id: 'SudoUsage',
    title: 'sudo in RUN',
    category: 'shell',
    severity: 'warning',
    upstreamSeverity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3004'],
    fixable: true,
    docs: {
      rationale:
        'RUN already runs as root unless a USER says otherwise; sudo adds a package, a TTY and PAM behaviour that differ between images, and keeps a privilege-escalation path in the image. Run root steps before USER, or use gosu/su-exec in an entrypoint.',
      bad: 'FROM ubuntu:24.04\nRUN sudo apt-get update\n',
      good: 'FROM ubuntu:24.04\nRUN apt-get update\n',
    },
  },
  check(ctx) {
    // Where the first USER of each stage starts (ONBUILD USER does not count).
    const firstUser = new Map<Stage, number>();
    const userBeforeRun = (rs: RunScript): boolean => {
      const stage = ctx.model.stageOf(rs.ins);
      if (!stage) return false;
      let at = firstUser.get(stage);
      if (at === undefined) {
        at = stage.instructions.find((i) => i.keyword === 'USER' && !i.trigger)?.range.start ?? Infinity;
        firstUser.set(stage, at);
      }
      return at < rs.ins.range.start;
    };
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      let userBefore: boolean | undefined;
      for (const c of entry.script.commands) {
        if (!c.name || commandName(c.name) !== 'sudo') continue;
        userBefore ??= userBeforeRun(rs);
        const next = c.args[0];
        const fixes =
          next && !next.value.startsWith('-') && !userBefore && entry.exact
            ? [fix('Remove sudo (RUN runs as root here)', [{ range: entry.toSource(c.name.start, next.start), newText: '' }], false)]
            : [];
        ctx.report(
          entry.toSource(c.name.start, c.name.end),
          userBefore ? 'Do not use sudo: run the root steps before USER switches to a non-root user.' : 'Do not use sudo: RUN already runs as root here.',
          { fixes },
        );
      }
    }
  },
});
