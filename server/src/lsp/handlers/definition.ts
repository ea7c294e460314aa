/** textDocument/definition: from an ARG/ENV reference or a stage reference to where it is declared. */
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { findDefinition } from '../../core/features/symbols-index';
import type { ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function definition(ctx: ServerContext, params: DefinitionParams): Promise<Location[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return [];
  const spans = findDefinition(open.analysis, toOffset(open.idx, params.position));
  return spans.map((s) => ({ uri: params.textDocument.uri, range: toRange(open.idx, s) }));
}
