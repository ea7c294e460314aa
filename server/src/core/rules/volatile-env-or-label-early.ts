/**
 * VolatileEnvOrLabelEarly: ENV or LABEL set to a value that changes on every build (a build date, a commit,
 * the version) early in a stage, with build steps after it. An ENV is part of every later RUN's cache key;
 * a LABEL is under Podman/Buildah, kaniko and the legacy builder (BuildKit only rewrites the config).
 * Fix (LABEL): move it to the end of the stage, where it costs nothing.
 */
import type { Instruction, KeyValue } from '../syntax/ast';
import type { Stage } from '../semantic/model';
import { defineRule, type Fix, type RuleContext } from './types';
import { isVolatileName, VOLATILE_LABELS } from './cache-helpers';
import { fix, lineBreakOf, lineNumberAt, refsOfInstruction, wholeLines } from './util';

export default defineRule({
  meta: {
    id: 'VolatileEnvOrLabelEarly',
    title: 'ENV or LABEL with a changing value early in a stage',
    category: 'cache',
    severity: 'info',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'An ENV value is part of the cache key of every later RUN, so `ENV GIT_COMMIT=$GIT_COMMIT` near the top of a stage makes all of them re-run on every build. A LABEL does not change BuildKit\'s cache, but Podman/Buildah, kaniko and the legacy builder key every later step on it. Set such values at the end of the stage (a LABEL can always go last), or just before the one step that needs them.',
      bad: 'FROM python:3.12-slim\nARG GIT_COMMIT\nLABEL org.opencontainers.image.revision=$GIT_COMMIT\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      good: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nARG GIT_COMMIT\nLABEL org.opencontainers.image.revision=$GIT_COMMIT\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      // Positions of the stage's RUNs, and of its RUN/COPY/ADD (ONBUILD triggers excluded), ascending.
      const runAt: number[] = [];
      const stepAt: number[] = [];
      stage.instructions.forEach((x, p) => {
        if (x.trigger) return;
        if (x.keyword === 'RUN') runAt.push(p);
        if (x.keyword === 'RUN' || x.keyword === 'COPY' || x.keyword === 'ADD') stepAt.push(p);
      });
      stage.instructions.forEach((ins, i) => {
        if (ins.trigger || (ins.keyword !== 'ENV' && ins.keyword !== 'LABEL')) return;
        // The build steps after it: the RUNs for an ENV, RUN/COPY/ADD for a LABEL.
        const positions = ins.keyword === 'ENV' ? runAt : stepAt;
        const from = firstAfter(positions, i);
        const n = positions.length - from;
        if (n === 0) return;
        const firstStep = stage.instructions[positions[from]];
        const lastStep = stage.instructions[positions[positions.length - 1]];
        for (const pair of ins.pairs ?? []) {
          const why = volatileWhy(ctx, ins, pair);
          if (!why) continue;
          const lineOf = (x: Instruction) => lineNumberAt(ctx.ast, x.range.start);
          const kind = ins.keyword === 'ENV' ? 'RUN steps' : 'build steps';
          const span = n === 1 ? `the ${firstStep.keyword} on line ${lineOf(firstStep)}` : `the ${n} ${kind} after it (lines ${lineOf(firstStep)}-${lineOf(lastStep)})`;
          if (ins.keyword === 'ENV') {
            ctx.report(pair.range, `${pair.key} ${why}: as an ENV it is part of the cache key of every later RUN, so ${span} re-run${n === 1 ? 's' : ''} on every build. Set it after them, or just before the step that needs it.`);
          } else {
            const f = moveLabelFix(ctx, stage, ins);
            ctx.report(pair.range, `${pair.key} ${why}: BuildKit only rewrites the image config, but Podman/Buildah, kaniko and the legacy builder re-run ${span} on every build. Put the LABEL at the end of the stage.`, { fixes: f ? [f] : [] });
          }
        }
      });
    }
  },
});

/** The index of the first position after `i` in an ascending list of positions. */
function firstAfter(positions: readonly number[], i: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid] <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Why a pair's value changes on every build, or undefined when it does not. */
function volatileWhy(ctx: RuleContext, ins: Instruction, pair: KeyValue): string | undefined {
  const range = pair.valueRange;
  if (!range || pair.value === undefined) return undefined;
  const refs = refsOfInstruction(ctx.model, ins).filter((r) => r.range.start >= range.start && r.range.end <= range.end);
  const volatileRef = refs.find((r) => isVolatileName(r.name));
  if (volatileRef) return `takes ${volatileRef.name}, which changes from build to build`;
  if (refs.length === 0) return undefined;
  const key = pair.key.replace(/^["']|["']$/g, '');
  if (ins.keyword === 'LABEL' && VOLATILE_LABELS.has(key.toLowerCase())) return 'is set per build';
  if (ins.keyword === 'ENV' && isVolatileName(key)) return 'is set per build';
  return undefined;
}

/** Moves the whole LABEL after the stage's last instruction, unless a later LABEL sets one of its keys. */
function moveLabelFix(ctx: RuleContext, stage: Stage, ins: Instruction): Fix | undefined {
  const keys = new Set((ins.pairs ?? []).map((p) => p.key));
  const later = stage.instructions.slice(stage.instructions.indexOf(ins) + 1);
  if (later.some((x) => x.keyword === 'LABEL' && (x.pairs ?? []).some((p) => keys.has(p.key)))) return undefined;
  // An ARG it reads must still be in scope at the end: a redeclaration later would change its value.
  const reads = refsOfInstruction(ctx.model, ins).map((r) => r.name);
  if (later.some((x) => x.keyword === 'ARG' && (x.pairs ?? []).some((p) => reads.includes(p.key)))) return undefined;
  const last = stage.instructions[stage.instructions.length - 1];
  if (last === ins || last.heredocs.length > 0) return undefined;
  const text = ctx.text;
  const nl = lineBreakOf(text);
  return fix('Move the LABEL to the end of the stage', [
    { range: wholeLines(text, ins.fullRange), newText: '' },
    { range: { start: last.fullRange.end, end: last.fullRange.end }, newText: `${nl}${text.slice(ins.range.start, ins.range.end)}` },
  ]);
}
