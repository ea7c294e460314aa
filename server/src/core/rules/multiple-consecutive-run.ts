/** MultipleConsecutiveRun (hadolint DL3059): consecutive RUN instructions that could be one. */
import type { Instruction } from '../syntax/ast';
import { scriptsOf, type InstructionScript } from '../shell/index';
import type { SemanticModel } from '../semantic/model';
import { defineRule, type Fix, type RuleContext } from './types';
import { hasCrlf } from './util';

interface RunInfo {
  readonly ins: Instruction;
  readonly flags: string;
  readonly count: number;
}

/** Simple commands in a RUN, as hadolint counts them (an exec form without a shell is one). */
function commandCount(model: SemanticModel, ins: Instruction): number {
  const scripts = scriptsOf(model, ins);
  const n = scripts.reduce((sum, s) => sum + s.script.commands.length, 0);
  return n === 0 ? 1 : n;
}

export default defineRule({
  meta: {
    id: 'MultipleConsecutiveRun',
    title: 'Multiple consecutive RUN instructions',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3059'],
    fixable: true,
    docs: {
      rationale:
        'Each RUN makes a layer. Short consecutive RUNs (one or two commands each, same flags) are usually better as one, with fewer layers and files deleted in the same layer that created them. Longer RUNs are left alone: splitting them is often deliberate, for the build cache.',
      bad: 'FROM debian:12-slim\nRUN mkdir -p /app/data\nRUN chown 1000:1000 /app/data\n',
      good: 'FROM debian:12-slim\nRUN mkdir -p /app/data \\\n    && chown 1000:1000 /app/data\n',
    },
  },
  check(ctx) {
    let state: RunInfo | undefined;
    let previous: Instruction | undefined;
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'RUN') {
        state = undefined;
        previous = undefined;
        continue;
      }
      const info: RunInfo = {
        ins,
        flags: ins.flags
          .map((f) => ctx.text.slice(f.range.start, f.range.end))
          .sort()
          .join(' '),
        count: commandCount(ctx.model, ins),
      };
      if (!state || state.flags !== info.flags || info.count > 2 || state.count > 2) {
        state = info;
      } else {
        // hadolint keeps comparing with the RUN that started the run of short RUNs.
        ctx.report(ins.keywordRange, 'Multiple consecutive RUN instructions: consider merging this one into the previous RUN.', {
          related: [{ message: 'previous RUN', range: previous!.keywordRange }],
          fixes: mergeFix(ctx, previous!, ins),
        });
      }
      previous = ins;
    }
  },
});

/** Joins `cur` onto `prev` with ` && \` when both are plain shell-form scripts and that keeps failures fatal. */
function mergeFix(ctx: RuleContext, prev: Instruction, cur: Instruction): Fix[] {
  const a = single(ctx.model, prev);
  const b = single(ctx.model, cur);
  if (!a || !b || !prev.shell || !cur.shell) return [];
  const topA = a.script.pipelines.filter((p) => p.depth === 0);
  const topB = b.script.pipelines.filter((p) => p.depth === 0);
  const lastA = topA[topA.length - 1];
  if (!lastA || topB.length === 0 || lastA.next === '&') return [];
  // Nothing after the last command of the first script (a trailing comment would swallow the join).
  if (a.script.text.slice(lastA.end).trim() !== '') return [];
  // Every command of the second script must still stop the build when it fails.
  if (topB.slice(0, -1).some((p) => p.next !== '&&')) return [];
  const between = ctx.text.slice(prev.range.end, cur.range.start);
  if (between.trim() !== '') return [];
  const end = a.toSource(lastA.end, lastA.end).start;
  const nl = hasCrlf(ctx.ast) ? '\r\n' : '\n';
  return [{ title: 'Merge into the previous RUN', edits: [{ range: { start: end, end: cur.shell.range.start }, newText: ` && ${ctx.ast.escape}${nl}    ` }], preferred: true }];
}

/** The one parsed shell-form script of a RUN without heredocs, or undefined. */
function single(model: SemanticModel, ins: Instruction): InstructionScript | undefined {
  if (ins.heredocs.length > 0 || !ins.shell) return undefined;
  const scripts = scriptsOf(model, ins);
  if (scripts.length !== 1) return undefined;
  const s = scripts[0];
  if (s.form !== 'shell' || s.dialect === 'skip' || !s.exact || s.script.errors.length > 0) return undefined;
  return s;
}
