/** Renders findings as reviewable text (each one underlined in its line) and applies fixes. */
import { LineIndex } from '../../server/src/core/text';
import type { Finding, TextEdit } from '../../server/src/core/rules/types';

export function renderFindings(text: string, findings: readonly Finding[]): string {
  const idx = new LineIndex(text);
  const out: string[] = [];
  for (const f of findings) {
    const s = idx.positionAt(f.range.start);
    const e = idx.positionAt(f.range.end);
    out.push(`${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${f.severity} ${f.rule}: ${f.message}`);
    const line = idx.lineText(s.line);
    const width = e.line === s.line ? Math.max(1, e.character - s.character) : Math.max(1, line.length - s.character);
    out.push(`  | ${line.replace(/\t/g, ' ')}`);
    out.push(`  | ${' '.repeat(s.character)}${'^'.repeat(width)}`);
    for (const fx of f.fixes) out.push(`  fix: ${fx.title}`);
  }
  return out.join('\n');
}

/** Applies non-overlapping edits (later ones first). Throws on overlap so tests notice. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.range.end > limit) throw new Error(`overlapping edits at ${e.range.start}`);
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
    limit = e.range.start;
  }
  return out;
}

/** Applies the first fix of every finding whose edits do not overlap an earlier chosen one. */
export function applyFirstFixes(text: string, findings: readonly Finding[]): string {
  const chosen: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit) => a.range.start < b.range.end && b.range.start < a.range.end || (a.range.start === b.range.start && a.range.end === a.range.start && b.range.end === b.range.start);
  for (const f of findings) {
    const fx = f.fixes[0];
    if (!fx) continue;
    if (fx.edits.some((e) => chosen.some((c) => overlaps(c, e)))) continue;
    chosen.push(...fx.edits);
  }
  return applyEdits(text, chosen);
}
