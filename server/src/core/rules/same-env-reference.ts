/**
 * SameEnvReference (hadolint DL3044): an ENV value reads a variable that the same ENV instruction
 * sets. The builder expands every value of an ENV with the variables as they were before it.
 */
import type { Instruction, KeyValue } from '../syntax/ast';
import type { VarRef } from '../semantic/model';
import { defineRule, type Fix, type RuleContext } from './types';
import { fix, hasCrlf } from './util';

export default defineRule({
  meta: {
    id: 'SameEnvReference',
    title: 'ENV value refers to a variable set by the same ENV',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3044'],
    fixable: true,
    docs: {
      rationale:
        'The builder expands all the values of one ENV instruction with the environment from before it, so `ENV A=1 B=$A` sets B to the old value of A (empty here), not 1. Set the variable in an earlier ENV instruction.',
      bad: 'FROM alpine:3.20\nENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH\n',
      good: 'FROM alpine:3.20\nENV APP_HOME=/opt/app\nENV PATH=$APP_HOME/bin:$PATH\n',
    },
  },
  check(ctx) {
    const byIns = new Map<Instruction, VarRef[]>();
    for (const r of ctx.model.refs) {
      if (r.instruction.keyword !== 'ENV' || !r.byBuilder) continue;
      let list = byIns.get(r.instruction);
      if (!list) byIns.set(r.instruction, (list = []));
      list.push(r);
    }
    for (const [ins, refs] of byIns) checkEnv(ctx, ins, refs);
  },
});

function checkEnv(ctx: RuleContext, ins: Instruction, refs: readonly VarRef[]): void {
  const pairs = ins.pairs ?? [];
  if (pairs.length < 2) return;
  const pairIndex = new Map<VarRef, number>();
  const pairOf = (r: VarRef): number => {
    let k = pairIndex.get(r);
    if (k === undefined) {
      k = pairs.findIndex((p) => p.valueRange !== undefined && r.range.start >= p.valueRange.start && r.range.end <= p.valueRange.end);
      pairIndex.set(r, k);
    }
    return k;
  };
  for (const r of refs) {
    if (r.decl) continue;
    const k = pairOf(r);
    if (k === -1) continue;
    let j = -1;
    for (let i = k - 1; i >= 0 && j === -1; i--) if (pairs[i].key === r.name) j = i;
    if (j === -1) j = pairs.findIndex((p, i) => i > k && p.key === r.name);
    if (j === -1) continue;
    const fixes = j < k ? splitFix(ctx, ins, pairs, k, refs, pairOf) : [];
    ctx.report(
      r.range,
      `${ctx.text.slice(r.range.start, r.range.end)} reads ${r.name}, which this same ENV sets: the builder expands it with the value from before this instruction. Set ${r.name} in an earlier ENV instruction.`,
      { fixes },
    );
  }
}

/** Splits the ENV before pair `k`, when that changes nothing but the references this rule reports. */
function splitFix(ctx: RuleContext, ins: Instruction, pairs: readonly KeyValue[], k: number, refs: readonly VarRef[], pairOf: (r: VarRef) => number): Fix[] {
  if (pairs.some((p) => !p.hasEquals)) return [];
  const before = new Set(pairs.slice(0, k).map((p) => p.key));
  // Moving pairs into a new ENV makes them see the values set before them: only safe when every such
  // reference is one that currently reads an unset variable.
  for (const r of refs) if (pairOf(r) >= k && before.has(r.name) && r.decl) return [];
  const gap = { start: pairs[k - 1].range.end, end: pairs[k].range.start };
  const between = ctx.text.slice(gap.start, gap.end);
  if (between.includes('#') || !/^[\s\\`]*$/.test(between)) return [];
  const lineStart = ctx.text.lastIndexOf('\n', ins.range.start - 1) + 1;
  const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart, ins.range.start))?.[0] ?? '';
  const nl = hasCrlf(ctx.ast) ? '\r\n' : '\n';
  return [fix(`Start a new ENV at ${pairs[k].key}, so that it sees the values set before it`, [{ range: gap, newText: `${nl}${indent}${ins.keywordRaw} ` }])];
}
