/** textDocument/foldingRange: stages, multi-line instructions, heredocs and comment blocks. */
import { type FoldingRange, FoldingRangeKind, type FoldingRangeParams } from 'vscode-languageserver/node';
import { foldingRegions } from '../../core/features/folding';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function foldingRange(ctx: ServerContext, params: FoldingRangeParams): Promise<FoldingRange[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return [];
  const limit = ctx.clientCapabilities.textDocument?.foldingRange?.rangeLimit ?? Number.MAX_SAFE_INTEGER;
  const out: FoldingRange[] = [];
  for (const r of foldingRegions(open.analysis.model)) {
    if (out.length >= limit) break;
    const range = toRange(open.idx, r.span);
    const f: FoldingRange = { startLine: range.start.line, endLine: range.end.line };
    if (r.kind === 'comment') f.kind = FoldingRangeKind.Comment;
    out.push(f);
  }
  return out;
}
