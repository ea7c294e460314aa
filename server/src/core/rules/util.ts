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
