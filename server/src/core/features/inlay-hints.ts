/**
 * Inlay hints: the resolved value of each variable used in a FROM line (`${BASE}` shows `: alpine:3.20`),
 * and the default a stage `ARG NAME` takes from the global ARG it re-declares. Pure; one pass over the
 * model's references and declarations.
 */
import type { Analysis } from '../analyze';
import type { Span } from '../syntax/ast';
import { lineIndexOf } from './completion';

export interface InlayHintData {
  /** Where the hint is shown (it follows the text before this offset). */
  readonly offset: number;
  readonly label: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly paddingLeft?: boolean;
}

const MAX_LABEL = 60;

function shorten(s: string): string {
  return s.length > MAX_LABEL ? s.slice(0, MAX_LABEL - 1) + '…' : s;
}

/** Hints inside `span` (the visible part of the document), in document order. */
export function inlayHints(analysis: Analysis, span: Span): InlayHintData[] {
  const model = analysis.model;
  const idx = lineIndexOf(analysis.ast);
  const out: InlayHintData[] = [];
  for (const ref of model.refs) {
    if (ref.instruction.keyword !== 'FROM' || ref.range.end < span.start || ref.range.end > span.end) continue;
    const d = ref.decl;
    if (!d || d.value === undefined) continue;
    // With `:+`, `#`, `%` or `/` the word is not the variable's value: a hint would mislead.
    if (ref.modifier && ref.modifier !== '-' && ref.modifier !== ':-') continue;
    const where = d.instruction ? ` (\`${d.kind}\` on line ${idx.lineAt(d.instruction.range.start) + 1})` : '';
    out.push({ offset: ref.range.end, label: `: ${shorten(d.value === '' ? '""' : d.value)}`, tooltip: `\`${ref.name}\` = \`${d.value}\`${where}` });
  }
  for (const d of model.decls) {
    if (d.kind !== 'ARG' || !d.stage || !d.pair || d.pair.value !== undefined || !d.nameRange) continue;
    const g = d.global;
    if (!g || g.kind !== 'ARG' || g.value === undefined || !g.instruction) continue;
    if (d.nameRange.end < span.start || d.nameRange.end > span.end) continue;
    out.push({
      offset: d.nameRange.end,
      label: `= ${shorten(g.value === '' ? '""' : g.value)}`,
      tooltip: `Default from the global \`ARG\` on line ${idx.lineAt(g.instruction.range.start) + 1}`,
      paddingLeft: true,
    });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
