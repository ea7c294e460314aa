/** textDocument/rename: renames an ARG, ENV or stage name everywhere it is used, or refuses with a reason. */
import { ErrorCodes, type RenameParams, ResponseError, type WorkspaceEdit } from 'vscode-languageserver/node';
import { renameSymbol } from '../../core/features/symbols-index';
import type { ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function rename(ctx: ServerContext, params: RenameParams): Promise<WorkspaceEdit | null> {
  const uri = params.textDocument.uri;
  const open = await openAnalysis(ctx, uri);
  if (!open) return null;
  const r = renameSymbol(open.analysis, toOffset(open.idx, params.position), params.newName);
  if (!r) throw new ResponseError(ErrorCodes.InvalidRequest, 'Place the cursor on an ARG, ENV or stage name to rename it.');
  if (!r.ok) throw new ResponseError(ErrorCodes.InvalidRequest, r.message);
  const edits = r.edits.map((e) => ({ range: toRange(open.idx, e.span), newText: e.newText }));
  const version = open.da.version;
  if (ctx.clientCapabilities.workspace?.workspaceEdit?.documentChanges) {
    return { documentChanges: [{ textDocument: { uri, version }, edits }] };
  }
  return { changes: { [uri]: edits } };
}
