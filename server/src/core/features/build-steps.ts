/**
 * Which instruction a builder's progress line talks about, so a failed step becomes a diagnostic on its
 * instruction:
 * - BuildKit names steps `[stage k/m] RUN ...` (`[k/m]` when the file has one stage; `stage-N` for unnamed
 *   stages; a platform may come first). Within a stage it counts FROM <image> (not FROM <stage>) and every
 *   RUN, COPY, ADD and WORKDIR; the other instructions only change the config and get no step;
 * - the classic builder names them `Step N/M : INSTRUCTION`, counting every instruction of the file in order;
 * - parse errors carry a line (`dockerfile parse error line 5`, newer BuildKit `Dockerfile:5`).
 *
 * Pure: the progress parser (host/docker/progress.ts) produces the references, this file resolves them.
 */
import type { Analysis } from '../analyze';
import type { Instruction } from '../syntax/ast';
import type { Stage } from '../semantic/model';

export type StepRef =
  | { readonly kind: 'buildkit'; readonly stage: string | undefined; readonly step: number; readonly total: number; readonly text: string }
  | { readonly kind: 'classic'; readonly step: number; readonly total: number; readonly text: string }
  /** A 1-based line of the Dockerfile. */
  | { readonly kind: 'line'; readonly line: number };

/** Keywords BuildKit turns into a numbered step. */
const STEP_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** The instructions BuildKit numbers in a stage, in order (index k-1 for `[stage k/m]`). */
export function buildkitSteps(stage: Stage): Instruction[] {
  const out: Instruction[] = [];
  if (!stage.base.stage && !stage.base.scratch) out.push(stage.from);
  for (const ins of stage.instructions) if (!ins.trigger && STEP_KEYWORDS.has(ins.keyword)) out.push(ins);
  return out;
}

function keywordOf(text: string): string {
  return (/^\s*([A-Za-z]+)/.exec(text)?.[1] ?? '').toUpperCase();
}

/** The first words of an instruction as a builder prints them, to confirm a guess. */
function agrees(ins: Instruction, text: string): boolean {
  return keywordOf(text) === ins.keyword;
}

function stageFor(analysis: Analysis, name: string | undefined): Stage | undefined {
  const stages = analysis.model.stages;
  if (name === undefined) return stages.length === 1 ? stages[0] : undefined;
  const lower = name.toLowerCase();
  const named = stages.find((s) => s.name === lower);
  if (named) return named;
  const m = /^stage-(\d+)$/.exec(lower);
  return m ? stages[Number(m[1])] : undefined;
}

/** Among `candidates`, the one whose text agrees best with the builder's (same keyword, longest common start). */
function bestByText(analysis: Analysis, candidates: readonly Instruction[], text: string): Instruction | undefined {
  const kw = keywordOf(text);
  const want = text.replace(/\s+/g, ' ').trim();
  let best: Instruction | undefined;
  let bestLen = -1;
  for (const ins of candidates) {
    if (ins.keyword !== kw) continue;
    const have = analysis.text.slice(ins.range.start, ins.range.end).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
    let k = 0;
    while (k < have.length && k < want.length && have[k].toUpperCase() === want[k].toUpperCase()) k++;
    if (k > bestLen) {
      best = ins;
      bestLen = k;
    }
  }
  return best;
}

/** The instruction a step reference points at, or undefined when it cannot be told. */
export function instructionForStep(analysis: Analysis, ref: StepRef): Instruction | undefined {
  const all = analysis.ast.instructions;
  switch (ref.kind) {
    case 'line': {
      const line = ref.line - 1;
      return all.find((i) => i.startLine <= line && line <= i.endLine);
    }
    case 'classic': {
      const ins = all[ref.step - 1];
      if (ins && agrees(ins, ref.text)) return ins;
      return bestByText(analysis, all, ref.text);
    }
    case 'buildkit': {
      const stage = stageFor(analysis, ref.stage);
      if (stage) {
        const ins = buildkitSteps(stage)[ref.step - 1];
        if (ins && agrees(ins, ref.text)) return ins;
        return bestByText(analysis, [stage.from, ...stage.instructions], ref.text);
      }
      return bestByText(analysis, all, ref.text);
    }
  }
}
