/**
 * Folding regions of a Dockerfile: stages, instructions that span several lines, heredocs and blocks of
 * comment lines. Pure: regions are offset spans; at most one region starts on any line (editors keep
 * one per start line anyway, and the outermost is the useful one).
 */
import type { DockerfileAst, Span } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';
import { LineIndex } from '../text';

export type FoldKind = 'region' | 'comment';

export interface FoldingRegion {
  readonly span: Span;
  readonly kind: FoldKind;
}

/** The folding regions, sorted by start. */
export function foldingRegions(model: SemanticModel): FoldingRegion[] {
  const ast: DockerfileAst = model.ast;
  const lines = new LineIndex(ast.text, ast.lineStarts);
  const candidates: FoldingRegion[] = [];
  for (const st of model.stages) candidates.push({ span: trimTrailingBlank(ast.text, st.range), kind: 'region' });
  for (const ins of ast.instructions) {
    const logicalEnd = ins.range.end;
    candidates.push({ span: { start: ins.range.start, end: logicalEnd }, kind: 'region' });
    for (const h of ins.heredocs) {
      candidates.push({ span: { start: h.markerRange.start, end: h.terminatorRange?.end ?? h.bodyRange.end }, kind: 'region' });
    }
  }
  // Runs of comment lines outside instructions (directives included: they are comment lines too).
  let runStart = -1;
  let runEnd = -1;
  let lastLine = -2;
  const flush = () => {
    if (runStart !== -1 && lines.lineAt(runEnd) > lines.lineAt(runStart)) candidates.push({ span: { start: runStart, end: runEnd }, kind: 'comment' });
  };
  for (const c of ast.comments) {
    if (c.insideInstruction) continue;
    const line = lines.lineAt(c.range.start);
    if (line === lastLine + 1 && runStart !== -1) runEnd = c.range.end;
    else {
      flush();
      runStart = c.range.start;
      runEnd = c.range.end;
    }
    lastLine = line;
  }
  flush();
  // Keep multi-line regions; on a shared start line keep the outermost (stages come first for FROM lines).
  const byLine = new Map<number, FoldingRegion>();
  for (const r of candidates) {
    const startLine = lines.lineAt(r.span.start);
    const endLine = lines.lineAt(Math.max(r.span.start, r.span.end - 1));
    if (endLine <= startLine) continue;
    const prev = byLine.get(startLine);
    if (!prev || lines.lineAt(Math.max(prev.span.start, prev.span.end - 1)) < endLine) byLine.set(startLine, r);
  }
  return [...byLine.values()].sort((x, y) => x.span.start - y.span.start);
}

/** A stage's span without trailing newlines, so the fold ends on its last instruction line. */
function trimTrailingBlank(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return { start: span.start, end };
}
