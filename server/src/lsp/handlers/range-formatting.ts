/** textDocument/rangeFormatting: the lines the range touches. */
import type { DocumentRangeFormattingParams, TextEdit } from 'vscode-languageserver/node';
import { formatEdits } from '../../core/features/format';
import type { ServerContext } from '../context';
import { toSpan } from '../convert';
import { openAnalysis } from './document-analysis';
import { formatOptionsFor, toLspEdits } from './formatting';

export async function rangeFormatting(ctx: ServerContext, params: DocumentRangeFormattingParams): Promise<TextEdit[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open || open.analysis.ast.text !== open.analysis.text) return [];
  const options = await formatOptionsFor(ctx, params.textDocument.uri);
  return toLspEdits(open.idx, formatEdits(open.analysis, options, toSpan(open.idx, params.range)));
}
