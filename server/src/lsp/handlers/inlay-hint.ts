/** textDocument/inlayHint: resolved variable values in FROM lines and inherited global ARG defaults. */
import { InlayHintKind, MarkupKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver/node';
import { inlayHints } from '../../core/features/inlay-hints';
import type { ServerContext } from '../context';
import { lineIndexFor, toSpan } from '../convert';
import { imageHooks } from '../image-hooks';

export async function inlayHint(ctx: ServerContext, params: InlayHintParams): Promise<InlayHint[] | null> {
  const pending = ctx.store.syntaxAnalysis(params.textDocument.uri);
  if (!pending) return null;
  const da = await pending;
  const a = da.analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  const span = toSpan(idx, params.range);
  // Image size hints from the image module (handlers/images.ts), when registered; they carry data.image.
  const image = (imageHooks(ctx.store)?.inlayHints(da, span) ?? []).map((h) => ({ ...h, image: true }));
  const hints = image.length ? [...inlayHints(a, span), ...image].sort((x, y) => x.offset - y.offset) : inlayHints(a, span);
  return hints.map((h) => ({
    position: idx.positionAt(h.offset),
    label: h.label,
    kind: InlayHintKind.Type,
    tooltip: h.tooltip ? { kind: MarkupKind.Markdown, value: h.tooltip } : undefined,
    paddingLeft: h.paddingLeft,
    ...('image' in h ? { data: { image: true } } : {}),
  }));
}
