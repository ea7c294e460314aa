/** textDocument/inlayHint: resolved variable values in FROM lines and inherited global ARG defaults. */
import { InlayHintKind, MarkupKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver/node';
import { inlayHints } from '../../core/features/inlay-hints';
import type { ServerContext } from '../context';
import { lineIndexFor, toSpan } from '../convert';

export async function inlayHint(ctx: ServerContext, params: InlayHintParams): Promise<InlayHint[] | null> {
  const pending = ctx.store.analysis(params.textDocument.uri);
  if (!pending) return null;
  const a = (await pending).analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  return inlayHints(a, toSpan(idx, params.range)).map((h) => ({
    position: idx.positionAt(h.offset),
    label: h.label,
    kind: InlayHintKind.Type,
    tooltip: h.tooltip ? { kind: MarkupKind.Markdown, value: h.tooltip } : undefined,
    paddingLeft: h.paddingLeft,
  }));
}
