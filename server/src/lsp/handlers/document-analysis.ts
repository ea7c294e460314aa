/**
 * What every navigation handler starts with: the cached analysis of an open document and the line index
 * to convert its offsets (through lsp/convert.ts). Returns undefined for documents that are not open.
 */
import type { Analysis } from '../../core/analyze';
import type { LineIndex } from '../../core/text';
import type { ServerContext } from '../context';
import { lineIndexFor } from '../convert';
import type { DocumentAnalysis } from '../documents';

export interface OpenAnalysis {
  readonly da: DocumentAnalysis;
  readonly analysis: Analysis;
  readonly idx: LineIndex;
}

export async function openAnalysis(ctx: ServerContext, uri: string): Promise<OpenAnalysis | undefined> {
  const pending = ctx.store.analysis(uri);
  if (!pending) return undefined;
  const da = await pending;
  const analysis = da.analysis;
  // The analysis of a binary file parses an empty text: convert against what was parsed.
  const idx = lineIndexFor(analysis, analysis.ast.text, analysis.ast.lineStarts);
  return { da, analysis, idx };
}
