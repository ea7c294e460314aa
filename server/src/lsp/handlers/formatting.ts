/** textDocument/formatting: the whole document, with the format settings of its resource. */
import type { DocumentFormattingParams, TextEdit } from 'vscode-languageserver/node';
import { type FormatEdit, type FormatOptions, formatEdits } from '../../core/features/format';
import type { LineIndex } from '../../core/text';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export async function formatOptionsFor(ctx: ServerContext, uri: string): Promise<FormatOptions> {
  const s = await ctx.settings.get(uri);
  return { instructionCasing: s.format.instructionCasing, continuationIndent: s.format.continuationIndent };
}

export function toLspEdits(idx: LineIndex, edits: readonly FormatEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: toRange(idx, e.span), newText: e.newText }));
}

export async function formatting(ctx: ServerContext, params: DocumentFormattingParams): Promise<TextEdit[]> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open || open.analysis.ast.text !== open.analysis.text) return [];
  return toLspEdits(open.idx, formatEdits(open.analysis, await formatOptionsFor(ctx, params.textDocument.uri)));
}
