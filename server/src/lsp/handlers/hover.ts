/** textDocument/hover: the core's markdown for what is under the cursor. */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { hover as coreHover } from '../../core/features/hover';
import type { ServerContext } from '../context';
import { lineIndexFor, toOffset, toRange } from '../convert';
import { imageHooks } from '../image-hooks';
import { cacheHoverSection } from './cache';

export async function hover(ctx: ServerContext, params: HoverParams): Promise<Hover | null> {
  const pending = ctx.store.syntaxAnalysis(params.textDocument.uri);
  if (!pending) return null;
  const da = await pending;
  const a = da.analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  const offset = toOffset(idx, params.position);
  const h = coreHover(a, offset);
  // Image size, platforms, digest and source, from the image module (handlers/images.ts) when registered.
  const image = imageHooks(ctx.store)?.hoverSection(da, offset);
  // Layer and cache-key section from the cache module (handlers/cache.ts, issue 6), when registered.
  const layer = cacheHoverSection(ctx, da, offset);
  const sections = [h, image, layer].filter((x): x is NonNullable<typeof x> => x !== undefined);
  if (sections.length === 0) return null;
  const value = sections.map((x) => x.contents).join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(idx, sections[0].range) };
}
