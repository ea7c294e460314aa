/**
 * textDocument/documentSymbol: the outline. Hierarchical (stages with their instructions) when the client
 * supports it, otherwise a flat list with container names.
 */
import { type DocumentSymbol, type DocumentSymbolParams, type SymbolInformation, SymbolKind } from 'vscode-languageserver/node';
import type { OutlineKind, OutlineSymbol } from '../../core/features/document-symbols';
import { documentSymbols as outline } from '../../core/features/document-symbols';
import type { LineIndex } from '../../core/text';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { openAnalysis } from './document-analysis';

export const SYMBOL_KIND: Readonly<Record<OutlineKind, SymbolKind>> = {
  stage: SymbolKind.Module,
  variable: SymbolKind.Variable,
  command: SymbolKind.Function,
  file: SymbolKind.File,
  folder: SymbolKind.Package,
  constant: SymbolKind.Constant,
  label: SymbolKind.Key,
  event: SymbolKind.Event,
  instruction: SymbolKind.Field,
};

function toDocumentSymbol(idx: LineIndex, s: OutlineSymbol): DocumentSymbol {
  const d: DocumentSymbol = {
    name: s.name,
    kind: SYMBOL_KIND[s.kind],
    range: toRange(idx, s.span),
    selectionRange: toRange(idx, s.selection),
  };
  if (s.detail) d.detail = s.detail;
  if (s.children.length > 0) d.children = s.children.map((c) => toDocumentSymbol(idx, c));
  return d;
}

export async function documentSymbol(ctx: ServerContext, params: DocumentSymbolParams): Promise<DocumentSymbol[] | SymbolInformation[]> {
  const uri = params.textDocument.uri;
  const open = await openAnalysis(ctx, uri);
  if (!open) return [];
  const symbols = outline(open.analysis.model);
  if (ctx.clientCapabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport) {
    return symbols.map((s) => toDocumentSymbol(open.idx, s));
  }
  const flat: SymbolInformation[] = [];
  const walk = (s: OutlineSymbol, container: string | undefined) => {
    flat.push({ name: s.name, kind: SYMBOL_KIND[s.kind], location: { uri, range: toRange(open.idx, s.span) }, ...(container ? { containerName: container } : {}) });
    for (const c of s.children) walk(c, s.name);
  };
  for (const s of symbols) walk(s, undefined);
  return flat;
}
