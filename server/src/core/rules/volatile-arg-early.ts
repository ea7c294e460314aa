/**
 * VolatileArgEarly: a build argument whose value changes on every build (a build date, a commit, the
 * application version, a cache buster) declared above RUN steps that do not use it. BuildKit passes every
 * declared ARG to later RUNs as environment, so each of them misses the cache on every build. Fix: move the
 * declaration down to just before the first instruction that uses it.
 */
import type { Instruction, KeyValue } from '../syntax/ast';
import type { Stage, VarDecl } from '../semantic/model';
import { defineRule, type Fix, type RuleContext } from './types';
import { isVolatileName } from './cache-helpers';
import { fix, inCase, indentationAt, lineBreakOf, lineNumberAt, refsOfDecl, wholeLines } from './util';

export default defineRule({
  meta: {
    id: 'VolatileArgEarly',
    title: 'Build argument with a changing value declared above expensive steps',
    category: 'cache',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'BuildKit gives every RUN after an `ARG` that ARG as an environment variable, so its value is part of those steps\' cache keys even when they never read it. An argument that changes on every build (`BUILD_DATE`, `GIT_COMMIT`, `VERSION`, `CACHEBUST`...) declared at the top of a stage makes every later RUN re-run every time. Declare it just before the instruction that needs it, usually a LABEL at the end.',
      bad: 'FROM node:20-slim\nARG GIT_COMMIT\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nLABEL org.opencontainers.image.revision=$GIT_COMMIT\n',
      good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nARG GIT_COMMIT\nLABEL org.opencontainers.image.revision=$GIT_COMMIT\n',
    },
  },
  check(ctx) {
    const model = ctx.model;
    const layouts = new Map<Stage, StageLayout>();
    for (const d of model.decls) {
      if (d.kind !== 'ARG' || !d.stage || !d.instruction || !d.pair || !d.nameRange || d.instruction.trigger) continue;
      if (!isVolatileName(d.name)) continue;
      const stage = d.stage;
      const ins = d.instruction;
      let layout = layouts.get(stage);
      if (!layout) layouts.set(stage, (layout = stageLayout(stage)));
      const at = layout.position.get(ins) ?? -1;
      // The first instruction after the ARG, in its stage, that reads this declaration.
      let firstAt = stage.instructions.length;
      for (const r of refsOfDecl(model, d)) {
        const p = layout.position.get(r.instruction);
        if (p !== undefined && p > at && p < firstAt) firstAt = p;
      }
      const firstUse = firstAt < stage.instructions.length ? stage.instructions[firstAt] : undefined;
      // The RUNs between the ARG and that use (or the end of the stage).
      const runs = layout.runs.slice(lowerBound(layout.runs, at + 1), lowerBound(layout.runs, firstAt)).map((p) => stage.instructions[p]);
      if (runs.length === 0) continue;
      const lineOf = (i: Instruction) => lineNumberAt(ctx.ast, i.range.start);
      const steps = runs.length === 1 ? `the RUN on line ${lineOf(runs[0])}` : `${runs.length} RUN steps (lines ${lineOf(runs[0])}-${lineOf(runs[runs.length - 1])})`;
      const message = firstUse
        ? `${d.name} changes from build to build, and every RUN after its ARG gets it in its environment: ${steps} re-run${runs.length === 1 ? 's' : ''} on every build without using it. Declare it just before line ${lineOf(firstUse)}, where it is first used.`
        : `${d.name} changes from build to build, and every RUN after its ARG gets it in its environment: ${steps} re-run${runs.length === 1 ? 's' : ''} on every build. Nothing here uses it: declare it where it is needed, or remove it.`;
      const f = firstUse ? moveFix(ctx, d, ins, d.pair, firstUse) : undefined;
      ctx.report(d.nameRange, message, { fixes: f ? [f] : [] });
    }
  },
});

/** Where each instruction of a stage is, and where its RUNs are (ONBUILD RUNs excluded). */
interface StageLayout {
  readonly position: ReadonlyMap<Instruction, number>;
  readonly runs: readonly number[];
}

function stageLayout(stage: Stage): StageLayout {
  const position = new Map<Instruction, number>();
  const runs: number[] = [];
  stage.instructions.forEach((i, p) => {
    position.set(i, p);
    if (i.keyword === 'RUN' && !i.trigger) runs.push(p);
  });
  return { position, runs };
}

/** The index of the first element >= `value` in an ascending list. */
function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Moves the declaration (the whole ARG, or just this pair of a multi-pair ARG) to just before `target`. */
function moveFix(ctx: RuleContext, d: VarDecl, ins: Instruction, pair: KeyValue, target: Instruction): Fix | undefined {
  const text = ctx.text;
  const pairs = ins.pairs ?? [];
  const nl = lineBreakOf(text);
  const at = target.range.start;
  const indent = indentationAt(text, at);
  if (pairs.length === 1) {
    const declText = text.slice(ins.range.start, ins.range.end);
    return fix(`Move ARG ${d.name} down to line ${lineNumberAt(ctx.ast, at)}`, [
      { range: wholeLines(text, ins.fullRange), newText: '' },
      { range: { start: at, end: at }, newText: `${declText}${nl}${indent}` },
    ]);
  }
  // Several pairs: cut this one (with the blank before it) and declare it on its own.
  const i = pairs.indexOf(pair);
  const start = i === 0 ? pair.range.start : pairs[i - 1].range.end;
  const end = i === 0 ? pairs[1].range.start : pair.range.end;
  if (text.slice(start, end).includes('\n')) return undefined;
  const pairText = text.slice(pair.range.start, pair.range.end);
  return fix(`Move ARG ${d.name} down to line ${lineNumberAt(ctx.ast, at)}`, [
    { range: { start, end }, newText: '' },
    { range: { start: at, end: at }, newText: `${inCase('ARG', ctx.ast.instructions)} ${pairText}${nl}${indent}` },
  ]);
}
