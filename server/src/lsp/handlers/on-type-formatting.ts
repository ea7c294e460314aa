/** textDocument/onTypeFormatting: after Enter on a line ending in the escape character, indent the continuation. */
import type { DocumentOnTypeFormattingParams, TextEdit } from 'vscode-languageserver/node';
import { onTypeEdits } from '../../core/features/format';
import type { ServerContext } from '../context';
import { toOffset } from '../convert';
import { openAnalysis } from './document-analysis';
import { formatOptionsFor, toLspEdits } from './formatting';

export const ON_TYPE_TRIGGER = '\n';

export async function onTypeFormatting(ctx: ServerContext, params: DocumentOnTypeFormattingParams): Promise<TextEdit[]> {
  if (params.ch !== ON_TYPE_TRIGGER) return [];
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open || open.analysis.ast.text !== open.analysis.text) return [];
  const options = await formatOptionsFor(ctx, params.textDocument.uri);
  return toLspEdits(open.idx, onTypeEdits(open.analysis, toOffset(open.idx, params.position), options));
}
