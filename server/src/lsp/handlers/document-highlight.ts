/** textDocument/documentHighlight: the occurrences of the name under the cursor, declarations as writes. */
import { type DocumentHighlight, DocumentHighlightKind, type DocumentHighlightParams } from 'vscode-languageserver/node';
import { documentHighlights } from '../../core/features/symbols-index';
import type { ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function documentHighlight(ctx: ServerContext, params: DocumentHighlightParams): Promise<DocumentHighlight[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return [];
  return documentHighlights(open.analysis, toOffset(open.idx, params.position)).map((h) => ({
    range: toRange(open.idx, h.span),
    kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}
