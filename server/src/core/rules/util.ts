/** Small helpers shared by rule files. */
import type { Instruction, Span } from '../syntax/ast';
import type { Fix, TextEdit } from './types';

/** A fix made of one replacement. */
export function replaceFix(title: string, range: Span, newText: string, preferred = true): Fix {
  return { title, edits: [{ range, newText }], preferred };
}

export function fix(title: string, edits: readonly TextEdit[], preferred = true): Fix {
  return { title, edits, preferred };
}

/** Optimal string alignment distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.max(m, n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 1; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/** The closest candidate within a small distance, case-insensitively. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(lower, c.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(lower.length, c.length) / 3));
    if (dist <= limit && dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

/** The instruction an ONBUILD wraps, or the instruction itself. */
export function effective(ins: Instruction): Instruction {
  return ins.trigger ?? ins;
}

/** Keyword casing of the file: 'upper' unless most keywords are lower case. */
export function keywordCase(instructions: readonly Instruction[]): 'upper' | 'lower' {
  let lower = 0;
  let upper = 0;
  for (const i of instructions) {
    if (i.keywordRaw === i.keywordRaw.toLowerCase()) lower++;
    else if (i.keywordRaw === i.keywordRaw.toUpperCase()) upper++;
  }
  return lower > upper ? 'lower' : 'upper';
}

/** Text for a new keyword in the file's casing. */
export function inCase(keyword: string, instructions: readonly Instruction[]): string {
  return keywordCase(instructions) === 'lower' ? keyword.toLowerCase() : keyword.toUpperCase();
}

/** Start offset of the line containing `offset`. */
export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

/** End offset of the line containing `offset` (before "\r\n" or "\n"). */
export function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** The whitespace at the start of the line containing `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/** The line break the text uses ("\r\n" when its first line ends so, "\n" otherwise). */
export function lineBreakOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/** The range of the whole lines covering `span`, line break included: deleting it removes the lines. */
export function wholeLines(text: string, span: Span): Span {
  const start = lineStartAt(text, span.start);
  const nl = text.indexOf('\n', span.end > span.start ? span.end - 1 : span.start);
  if (nl !== -1) return { start, end: nl + 1 };
  // Last line without a final newline: take the line break before it instead.
  const prev = start > 0 ? (start > 1 && text.charCodeAt(start - 2) === 13 ? start - 2 : start - 1) : start;
  return { start: prev, end: text.length };
}

/** `span` plus the spaces and tabs after it, for removing a word or flag. */
export function withTrailingSpace(text: string, span: Span): Span {
  let end = span.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { start: span.start, end };
}

/** Lexical clean of a `/`-separated path (Go's path.Clean): `.`, `..` and repeated slashes resolved. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Quotes `value` for a Dockerfile word (ENV/LABEL value) so that the builder reads it back literally. */
export function quoteDockerfileValue(value: string, escape: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === '"' || ch === '$' || ch === escape) out += escape;
    out += ch;
  }
  return out + '"';
}

/** The whole line holding `offset`, with its line break: what to delete to remove the line. */
export function fullLineSpan(text: string, offset: number): Span {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const nl = text.indexOf('\n', offset);
  return { start: offset === 0 ? 0 : start, end: nl === -1 ? text.length : nl + 1 };
}

/** `words` as a JSON array on one line (`["a", "b"]`), the exec form people write. */
export function jsonArray(words: readonly string[]): string {
  return '[' + words.map((w) => JSON.stringify(w)).join(', ') + ']';
}
