/** textDocument/references: every place an ARG, ENV or stage name appears. */
import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import { findReferences } from '../../core/features/symbols-index';
import type { ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function references(ctx: ServerContext, params: ReferenceParams): Promise<Location[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return [];
  const spans = findReferences(open.analysis, toOffset(open.idx, params.position), params.context?.includeDeclaration !== false);
  return spans.map((s) => ({ uri: params.textDocument.uri, range: toRange(open.idx, s) }));
}
