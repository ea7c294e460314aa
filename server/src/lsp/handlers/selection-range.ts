/** textDocument/selectionRange: word -> flag or argument -> instruction -> stage -> file. */
import type { SelectionRange, SelectionRangeParams } from 'vscode-languageserver/node';
import { selectionChain } from '../../core/features/selection';
import type { ServerContext } from '../context';
import { toOffset, toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function selectionRange(ctx: ServerContext, params: SelectionRangeParams): Promise<SelectionRange[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return [];
  return params.positions.map((p) => {
    const offset = toOffset(open.idx, p);
    const chain = selectionChain(open.analysis, offset);
    let result: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) result = { range: toRange(open.idx, chain[i]), ...(result ? { parent: result } : {}) };
    return result ?? { range: { start: p, end: p } };
  });
}
