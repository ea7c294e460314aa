/**
 * textDocument/semanticTokens/full, /full/delta and /range. One file for the three methods because they
 * share the legend and the previous result per document that deltas are computed against.
 */
import type {
  SemanticTokens,
  SemanticTokensDelta,
  SemanticTokensDeltaParams,
  SemanticTokensLegend,
  SemanticTokensParams,
  SemanticTokensRangeParams,
} from 'vscode-languageserver/node';
import type { Analysis } from '../../core/analyze';
import { type SemanticToken, semanticTokens, semanticTokensIn, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../core/features/semantic-tokens';
import type { LineIndex } from '../../core/text';
import type { ServerContext } from '../context';
import { toSpan } from '../convert';
import { openAnalysis } from './document-analysis';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** LSP's relative encoding: line delta, start delta, length, type, modifiers. */
function encode(idx: LineIndex, tokens: readonly SemanticToken[]): number[] {
  const data = new Array<number>(tokens.length * 5);
  let prevLine = 0;
  let prevChar = 0;
  let k = 0;
  for (const t of tokens) {
    const p = idx.positionAt(t.start);
    const dl = p.line - prevLine;
    data[k++] = dl;
    data[k++] = dl === 0 ? p.character - prevChar : p.character;
    data[k++] = t.length;
    data[k++] = t.type;
    data[k++] = t.modifiers;
    prevLine = p.line;
    prevChar = p.character;
  }
  return data;
}

const encoded = new WeakMap<Analysis, number[]>();
function fullData(analysis: Analysis, idx: LineIndex): number[] {
  let d = encoded.get(analysis);
  if (!d) {
    d = encode(idx, semanticTokens(analysis));
    encoded.set(analysis, d);
  }
  return d;
}

/** The previous full result per document, to answer delta requests. */
export class SemanticTokensState {
  private readonly last = new Map<string, { resultId: string; data: number[] }>();
  private next = 1;

  remember(uri: string, data: number[]): string {
    const resultId = String(this.next++);
    this.last.set(uri, { resultId, data });
    return resultId;
  }

  previous(uri: string, resultId: string): number[] | undefined {
    const p = this.last.get(uri);
    return p && p.resultId === resultId ? p.data : undefined;
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}

export async function semanticTokensFull(ctx: ServerContext, state: SemanticTokensState, params: SemanticTokensParams): Promise<SemanticTokens> {
  const uri = params.textDocument.uri;
  const open = await openAnalysis(ctx, uri);
  if (!open) return { data: [] };
  const data = fullData(open.analysis, open.idx);
  return { resultId: state.remember(uri, data), data };
}

export async function semanticTokensDelta(ctx: ServerContext, state: SemanticTokensState, params: SemanticTokensDeltaParams): Promise<SemanticTokens | SemanticTokensDelta> {
  const uri = params.textDocument.uri;
  const open = await openAnalysis(ctx, uri);
  if (!open) return { data: [] };
  const data = fullData(open.analysis, open.idx);
  const before = state.previous(uri, params.previousResultId);
  const resultId = state.remember(uri, data);
  if (!before) return { resultId, data };
  // One edit: everything between the common prefix and the common suffix.
  let p = 0;
  const max = Math.min(before.length, data.length);
  while (p < max && before[p] === data[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === data[data.length - 1 - s]) s++;
  if (p === before.length && p === data.length) return { resultId, edits: [] };
  // Keep the edit on token boundaries (5 integers per token).
  p -= p % 5;
  s -= s % 5;
  return { resultId, edits: [{ start: p, deleteCount: before.length - p - s, data: data.slice(p, data.length - s) }] };
}

export async function semanticTokensRange(ctx: ServerContext, params: SemanticTokensRangeParams): Promise<SemanticTokens> {
  const open = await openAnalysis(ctx, params.textDocument.uri);
  if (!open) return { data: [] };
  return { data: encode(open.idx, semanticTokensIn(open.analysis, toSpan(open.idx, params.range))) };
}
