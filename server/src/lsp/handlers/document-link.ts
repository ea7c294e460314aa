/** textDocument/documentLink: image references open their registry page. */
import type { DocumentLink, DocumentLinkParams } from 'vscode-languageserver/node';
import { documentLinks } from '../../core/features/links';
import type { ServerContext } from '../context';
import { lineIndexFor, toRange } from '../convert';

export async function documentLink(ctx: ServerContext, params: DocumentLinkParams): Promise<DocumentLink[] | null> {
  const pending = ctx.store.syntaxAnalysis(params.textDocument.uri);
  if (!pending) return null;
  const a = (await pending).analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  return documentLinks(a).map((l) => ({ range: toRange(idx, l.range), target: l.target, tooltip: l.tooltip }));
}
