/**
 * textDocument/prepareRename: the name under the cursor and its range, or an error that says why it
 * cannot be renamed (predefined or undeclared variables, stage indexes, forms we cannot rewrite).
 */
import { ErrorCodes, type PrepareRenameParams, type Range, ResponseError } from 'vscode-languageserver/node';
import { prepareRename as corePrepareRename } from '../../core/features/symbols-index';
import type { ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function prepareRename(ctx: ServerContext, params: PrepareRenameParams): Promise<{ range: Range; placeholder: string } | null> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return null;
  const r = corePrepareRename(open.analysis, toOffset(open.idx, params.position));
  if (!r) return null;
  if (!r.ok) throw new ResponseError(ErrorCodes.InvalidRequest, r.message);
  return { range: toRange(open.idx, r.span), placeholder: r.placeholder };
}
