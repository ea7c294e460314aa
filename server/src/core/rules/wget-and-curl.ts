/** WgetAndCurl (hadolint DL4001): a stage uses both wget and curl. */
import { commandName } from '../semantic/packages';
import type { Span } from '../syntax/ast';
import type { Stage } from '../semantic/model';
import { scriptsOf } from '../shell/index';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'WgetAndCurl',
    title: 'Both wget and curl are used',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL4001'],
    fixable: false,
    docs: {
      rationale:
        'wget and curl do the same job; installing and using both in one stage adds a tool (and its libraries) to the image for nothing. Pick one.',
      bad: 'FROM debian:12-slim\nRUN curl -fsSLO https://example.com/a.tar.gz\nRUN wget -q https://example.com/b.tar.gz\n',
      good: 'FROM debian:12-slim\nRUN curl -fsSLO https://example.com/a.tar.gz\nRUN curl -fsSLO https://example.com/b.tar.gz\n',
    },
  },
  check(ctx) {
    let stage: Stage | undefined;
    let first: { tool: string; range: Span } | undefined;
    let both = false;
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword === 'FROM') {
        stage = ctx.model.stageOf(ins);
        first = undefined;
        both = false;
        continue;
      }
      if (ins.keyword !== 'RUN' || !stage) continue;
      const uses: { tool: string; range: Span }[] = [];
      for (const s of scriptsOf(ctx.model, ins)) {
        if (s.dialect === 'skip') continue;
        for (const cmd of s.script.commands) {
          const name = commandName(cmd);
          if (name !== 'curl' && name !== 'wget') continue;
          const w = [cmd.name!, ...cmd.args].find((x) => x.value.replace(/^.*\//, '') === name)!;
          uses.push({ tool: name, range: s.toSource(w.start, w.end) });
        }
      }
      if (uses.length === 0) continue;
      if (!first) first = uses[0];
      both = both || uses.some((u) => u.tool !== first!.tool);
      if (!both) continue;
      // Underline the other tool where this RUN uses it, else the first use in this RUN.
      const at = uses.find((u) => u.tool !== first!.tool) ?? uses[0];
      const other = at.tool === 'curl' ? 'wget' : 'curl';
      ctx.report(at.range, `This stage uses both wget and curl: use one of them (${at.tool} here, ${other} elsewhere in the stage).`, {
        related: at.tool !== first.tool ? [{ message: `${first.tool} used here`, range: first.range }] : [],
      });
    }
  },
});
