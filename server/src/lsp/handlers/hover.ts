/** textDocument/hover: the core's markdown for what is under the cursor. */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { hover as coreHover } from '../../core/features/hover';
import type { ServerContext } from '../context';
import { lineIndexFor, toOffset, toRange } from '../convert';

export async function hover(ctx: ServerContext, params: HoverParams): Promise<Hover | null> {
  const pending = ctx.store.analysis(params.textDocument.uri);
  if (!pending) return null;
  const a = (await pending).analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  const h = coreHover(a, toOffset(idx, params.position));
  if (!h) return null;
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(idx, h.range) };
}
