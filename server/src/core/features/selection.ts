/**
 * Selection ranges ("expand selection"): from the word under the cursor to its flag or argument, the
 * instruction, the stage and the whole file. Pure: offsets in, nested offset spans out.
 */
import type { Analysis } from '../analyze';
import type { DockerfileAst, Instruction, Span } from '../syntax/ast';
import { parseMount } from '../semantic/mount';

/** The top-level instruction whose full range (heredocs included) contains `offset`. */
export function instructionAt(ast: DockerfileAst, offset: number): Instruction | undefined {
  const list = ast.instructions;
  let lo = 0;
  let hi = list.length - 1;
  let found: Instruction | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].fullRange.start <= offset) {
      found = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.fullRange.end ? found : undefined;
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

/** The run of non-blank characters around `offset` inside `within`. */
function wordAround(text: string, offset: number, within: Span): Span | undefined {
  if (offset < within.start || offset > within.end) return undefined;
  let s = offset;
  let e = offset;
  while (s > within.start && !isBlank(text[s - 1])) s--;
  while (e < within.end && !isBlank(text[e])) e++;
  return e > s ? { start: s, end: e } : undefined;
}

function instructionSpans(a: Analysis, ins: Instruction, offset: number, out: Span[]): void {
  const text = a.ast.text;
  out.push(ins.range, ins.fullRange, ins.keywordRange);
  if (ins.argsRange) out.push(ins.argsRange);
  const target = ins.trigger;
  const targets = target ? [ins, target] : [ins];
  if (target) out.push(target.range, target.keywordRange);
  for (const t of targets) {
    for (const f of t.flags) {
      out.push(f.range, f.nameRange);
      if (f.valueRange) out.push(f.valueRange);
      if (f.name === 'mount' && f.value !== undefined && f.rawValue === f.value) {
        for (const o of parseMount(t, f).options) {
          out.push(o.range, o.keyRange);
          if (o.valueRange) out.push(o.valueRange);
        }
      }
    }
    for (const w of t.args) out.push(w.range);
    if (t.json) {
      out.push(t.json.range);
      for (const w of t.json.items) out.push(w.range, { start: w.range.start + 1, end: w.range.end - 1 });
    }
    for (const p of t.pairs ?? []) {
      out.push(p.range, p.keyRange);
      if (p.valueRange) out.push(p.valueRange);
    }
    if (t.shell) {
      out.push(t.shell.range);
      const w = wordAround(text, offset, t.shell.range);
      if (w) out.push(w);
    }
    for (const h of t.heredocs) {
      out.push(h.markerRange, { start: h.markerRange.start, end: h.terminatorRange?.end ?? h.bodyRange.end });
      if (h.bodyRange.end > h.bodyRange.start) {
        out.push(h.bodyRange);
        if (offset >= h.bodyRange.start && offset <= h.bodyRange.end) {
          const ls = text.lastIndexOf('\n', offset - 1) + 1;
          let le = text.indexOf('\n', offset);
          if (le === -1) le = text.length;
          if (le > ls && text[le - 1] === '\r') le--;
          out.push({ start: ls, end: le });
          const w = wordAround(text, offset, { start: ls, end: le });
          if (w) out.push(w);
        }
      }
      if (h.terminatorRange) out.push(h.terminatorRange);
    }
  }
}

/**
 * The selection ranges at `offset`, innermost first; each contains the one before, and the last is the
 * whole file.
 */
export function selectionChain(a: Analysis, offset: number): Span[] {
  const { ast, model } = a;
  const text = ast.text;
  const candidates: Span[] = [];
  const ins = instructionAt(ast, offset);
  if (ins) {
    instructionSpans(a, ins, offset, candidates);
    for (const r of model.refs) {
      if (r.instruction === ins) candidates.push(r.nameRange, r.range);
    }
  }
  for (const c of ast.comments) {
    if (c.range.start <= offset && offset <= c.range.end) candidates.push(c.range);
  }
  for (const d of ast.directives) candidates.push(d.range, d.nameRange, d.valueRange);
  for (const st of model.stages) candidates.push(st.range);
  candidates.push({ start: 0, end: text.length });
  const containing = candidates.filter((s) => s.start <= offset && offset <= s.end && (s.end > s.start || s.end === text.length));
  containing.sort((x, y) => x.end - x.start - (y.end - y.start) || y.start - x.start);
  const chain: Span[] = [];
  for (const s of containing) {
    const prev = chain[chain.length - 1];
    if (prev && prev.start === s.start && prev.end === s.end) continue;
    if (prev && !(s.start <= prev.start && prev.end <= s.end)) continue;
    chain.push(s);
  }
  return chain;
}
