/**
 * Logical lines: an instruction's physical lines joined the way BuildKit joins them (escape + newline
 * removed, comment and empty lines dropped), with a map from every logical offset back to the source.
 */
import type { LogicalText, Span } from './ast';

export class LogicalLineBuilder {
  private readonly parts: string[] = [];
  private readonly segLogical: number[] = [];
  private readonly segSource: number[] = [];
  private readonly segLen: number[] = [];
  private length = 0;

  /** Appends `source.slice(start, end)`. */
  append(source: string, start: number, end: number): void {
    if (end < start) end = start;
    this.parts.push(source.slice(start, end));
    this.segLogical.push(this.length);
    this.segSource.push(start);
    this.segLen.push(end - start);
    this.length += end - start;
  }

  build(): LogicalText {
    return new MappedText(this.parts.join(''), this.segLogical, this.segSource, this.segLen);
  }
}

class MappedText implements LogicalText {
  constructor(
    readonly text: string,
    private readonly segLogical: readonly number[],
    private readonly segSource: readonly number[],
    private readonly segLen: readonly number[],
  ) {}

  toSource(offset: number, atEnd = false): number {
    const n = this.segLogical.length;
    if (n === 0) return 0;
    if (offset < 0) offset = 0;
    if (offset > this.text.length) offset = this.text.length;
    // Last segment starting at or before the offset (strictly before it when mapping an end).
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = this.segLogical[mid];
      if (atEnd ? s < offset : s <= offset) lo = mid;
      else hi = mid - 1;
    }
    const delta = Math.min(offset - this.segLogical[lo], this.segLen[lo]);
    return this.segSource[lo] + Math.max(0, delta);
  }

  spanOf(start: number, end: number): Span {
    const s = this.toSource(start);
    if (end <= start) return { start: s, end: s };
    return { start: s, end: Math.max(s, this.toSource(end, true)) };
  }
}
