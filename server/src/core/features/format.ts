/**
 * The Dockerfile formatter: keyword casing (and `AS` to match), one space between a keyword and its
 * arguments, continuation lines indented by a fixed number of spaces, trailing whitespace removed and
 * runs of blank lines collapsed. Pure: it returns offset edits; it must not know LSP.
 *
 * It never changes what BuildKit reads. It does not touch heredoc bodies and terminators, directive
 * lines, comment text, quoted strings, JSON arrays or any argument text. The one place where it changes
 * whitespace that BuildKit keeps is the start of a continuation line (the line is joined to the previous
 * one with its indentation), and it does so only where that whitespace separates words and is not
 * quoted, as the argument parser of that instruction reads it (see `separatesWords` and `unsafeAt`). Formatting twice gives
 * the same text.
 */
import type { Analysis } from '../analyze';
import type { DockerfileAst, Instruction, Span } from '../syntax/ast';
import { INSTRUCTION_BY_NAME } from '../data/instructions';
import { LineIndex } from '../text';

export interface FormatOptions {
  readonly instructionCasing: 'upper' | 'lower' | 'preserve';
  /** Spaces before the text of a continuation line. */
  readonly continuationIndent: number;
}

export interface FormatEdit {
  readonly span: Span;
  readonly newText: string;
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { instructionCasing: 'upper', continuationIndent: 4 };

type FormatInput = Pick<Analysis, 'ast' | 'model'>;

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

const enum LineKind {
  /** Not understood (e.g. the lines of an empty logical line): left alone. */
  Orphan,
  Blank,
  Comment,
  /** Directives, heredoc bodies and terminators. */
  Protected,
  /** The line with an instruction's keyword or the first of its lines. */
  First,
  Continuation,
  ContinuationComment,
  EmptyContinuation,
}

interface LinePlan {
  kind: LineKind;
  /** Replace the leading whitespace with this many spaces (continuations) or remove it (first lines). */
  indent: number | undefined;
  /** In-line replacements on the original text (absolute offsets), non-overlapping. */
  replacements: FormatEdit[];
  /** Trailing blanks are significant here. */
  keepTrailing?: boolean;
}

/** The edits that format the whole document, or only the lines that `range` touches. */
export function formatEdits(a: FormatInput, options: FormatOptions = DEFAULT_FORMAT_OPTIONS, range?: Span): FormatEdit[] {
  const ast = a.ast;
  const text = ast.text;
  const lines = new LineIndex(text, ast.lineStarts);
  const n = lines.lineCount;
  // The pseudo-line after a final newline is not a line of the file.
  const realLines = n > 1 && lines.lineStarts[n - 1] === text.length ? n - 1 : n;
  const plans: LinePlan[] = [];
  for (let i = 0; i < realLines; i++) {
    const blank = isBlankLine(text, lines.lineStarts[i], lines.lineEnd(i));
    plans.push({ kind: blank ? LineKind.Blank : LineKind.Orphan, indent: undefined, replacements: [] });
  }
  for (const d of ast.directives) plans[lines.lineAt(d.range.start)].kind = LineKind.Protected;
  for (const c of ast.comments) {
    if (c.insideInstruction) continue;
    const p = plans[lines.lineAt(c.range.start)];
    if (p.kind !== LineKind.Protected) p.kind = LineKind.Comment;
  }
  for (const ins of ast.instructions) planInstruction(a, ins, lines, plans, options);

  const edits: FormatEdit[] = [];
  const indentText = ' '.repeat(Math.max(0, options.continuationIndent));
  // The last line that must stay: blank lines after it are removed.
  let lastKept = realLines - 1;
  while (lastKept >= 0 && plans[lastKept].kind === LineKind.Blank) lastKept--;
  let i = 0;
  while (i < realLines) {
    const plan = plans[i];
    const ls = lines.lineStarts[i];
    const le = lines.lineEnd(i);
    if (plan.kind === LineKind.Blank) {
      let j = i;
      while (j + 1 < realLines && plans[j + 1].kind === LineKind.Blank) j++;
      if (i > lastKept) {
        // Blank lines at the end of the file go, up to the end of the text.
        edits.push({ span: { start: ls, end: text.length }, newText: '' });
      } else {
        // A run of blank lines becomes one empty line.
        if (le > ls) edits.push({ span: { start: ls, end: le }, newText: '' });
        if (j > i) edits.push({ span: { start: lines.lineStarts[i + 1], end: lines.lineStarts[j + 1] }, newText: '' });
      }
      i = j + 1;
      continue;
    }
    if (plan.kind !== LineKind.Protected && plan.kind !== LineKind.Orphan) {
      const original = text.slice(ls, le);
      let line = original;
      // In-line replacements, right to left so the offsets hold.
      const reps = [...plan.replacements].sort((x, y) => y.span.start - x.span.start);
      for (const r of reps) line = line.slice(0, r.span.start - ls) + r.newText + line.slice(r.span.end - ls);
      if (plan.indent !== undefined) {
        const bom = i === 0 && line.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
        const rest = line.slice(bom.length).replace(/^[ \t]+/, '');
        line = bom + (plan.indent > 0 ? indentText : '') + rest;
      }
      // Trailing blanks go, unless that would leave a stray "\r" to merge with the line break.
      const trimmed = line.replace(/[ \t]+$/, '');
      if (!trimmed.endsWith('\r') && !plan.keepTrailing) line = trimmed;
      if (line !== original) edits.push(minimalEdit(ls, original, line));
    }
    i++;
  }
  edits.sort((x, y) => x.span.start - y.span.start);
  if (!range) return edits;
  const from = lines.lineStarts[lines.lineAt(range.start)];
  const toLine = lines.lineAt(range.end);
  const to = toLine + 1 < n ? lines.lineStarts[toLine + 1] : text.length;
  return edits.filter((e) => e.span.start >= from && e.span.end <= to);
}

/** The edit that turns `before` (at `start`) into `after`, without their common prefix and suffix. */
function minimalEdit(start: number, before: string, after: string): FormatEdit {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before[p] === after[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  return { span: { start: start + p, end: start + before.length - s }, newText: after.slice(p, after.length - s) };
}

function isBlankLine(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text[i];
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

function casing(raw: string, options: FormatOptions): string {
  if (options.instructionCasing === 'upper') return raw.toUpperCase();
  if (options.instructionCasing === 'lower') return raw.toLowerCase();
  return raw;
}

function asCasing(fromRaw: string, options: FormatOptions): string | undefined {
  if (options.instructionCasing === 'upper') return 'AS';
  if (options.instructionCasing === 'lower') return 'as';
  if (fromRaw === fromRaw.toUpperCase()) return 'AS';
  if (fromRaw === fromRaw.toLowerCase()) return 'as';
  return undefined;
}

/** How an argument region reads quotes and escapes, for deciding whether a continuation indent is safe. */
type Mode = 'flags' | 'shell' | 'words' | 'fields' | 'strict' | 'never';

interface Segment {
  line: number;
  source: number;
  logical: number;
  length: number;
}

function planInstruction(a: FormatInput, ins: Instruction, lines: LineIndex, plans: LinePlan[], options: FormatOptions): void {
  const ast = a.ast;
  const text = ast.text;
  const target = ins.trigger ?? ins;
  const heredocs = target.heredocs;
  const lastLine = plans.length - 1;
  let logicalLast = Math.min(ins.endLine, lastLine);
  if (heredocs.length > 0) {
    const bodyStart = heredocs[0].bodyRange.start;
    const bodyLine = bodyStart >= text.length ? ins.endLine + 1 : lines.lineAt(bodyStart);
    logicalLast = Math.min(bodyLine - 1, lastLine);
    for (let l = bodyLine; l <= Math.min(ins.endLine, lastLine); l++) plans[l].kind = LineKind.Protected;
  }
  // Rebuild the logical line's segments exactly as the parser did, to map joins to logical offsets.
  const segments: Segment[] = [];
  let logicalLen = 0;
  for (let l = ins.startLine; l <= logicalLast; l++) {
    const ls = lines.lineStarts[l];
    const le = lines.lineEnd(l);
    const plan = plans[l];
    if (plan.kind === LineKind.Protected) continue;
    if (l === ins.startLine) {
      plan.kind = LineKind.First;
      let first = ls;
      if (l === 0 && text.charCodeAt(0) === 0xfeff) first++;
      while (first < le && isGoSpace(text[first])) first++;
      const end = continuationAt(text, first, le, ast.escape) ?? le;
      segments.push({ line: l, source: first, logical: logicalLen, length: end - first });
      logicalLen += end - first;
      // Only strip the indentation of a first line that starts with the keyword.
      // (A byte-order mark that is not the first character is part of the keyword: never move it to the start.)
      if (first === ins.keywordRange.start && text[first] !== '\ufeff') plan.indent = 0;
      continue;
    }
    let nonSpace = ls;
    while (nonSpace < le && isGoSpace(text[nonSpace])) nonSpace++;
    if (nonSpace >= le) {
      plan.kind = LineKind.EmptyContinuation;
      continue;
    }
    if (text[nonSpace] === '#') {
      plan.kind = LineKind.ContinuationComment;
      // BuildKit drops the line: its indentation means nothing, so align it.
      plan.indent = options.continuationIndent;
      continue;
    }
    plan.kind = LineKind.Continuation;
    const end = continuationAt(text, ls, le, ast.escape) ?? le;
    segments.push({ line: l, source: ls, logical: logicalLen, length: end - ls });
    logicalLen += end - ls;
  }
  const logical = ins.logical.text;
  const consistent = logicalLen === logical.length && segments.every((s) => text.slice(s.source, s.source + s.length) === logical.slice(s.logical, s.logical + s.length));

  // In-line replacements: keyword casing, one space after keywords, AS casing.
  const replace = (span: Span, newText: string) => {
    const l = lines.lineAt(span.start);
    if (l > logicalLast || lines.lineAt(span.end) !== l || text.slice(span.start, span.end) === newText) return;
    plans[l].replacements.push({ span, newText });
  };
  const keyword = (k: Instruction) => {
    if (options.instructionCasing !== 'preserve' && INSTRUCTION_BY_NAME.has(k.keyword) && text.slice(k.keywordRange.start, k.keywordRange.end) === k.keywordRaw) {
      replace(k.keywordRange, casing(k.keywordRaw, options));
    }
    // One space between the keyword and what follows on the same line.
    let e = k.keywordRange.end;
    const le = lines.lineEnd(lines.lineAt(k.keywordRange.start));
    while (e < le && (text[e] === ' ' || text[e] === '\t')) e++;
    if (e > k.keywordRange.end && e < le && text.slice(k.keywordRange.end, e) !== ' ') replace({ start: k.keywordRange.end, end: e }, ' ');
  };
  keyword(ins);
  if (ins.trigger) keyword(ins.trigger);
  // The parser looks for heredoc markers in the untrimmed text: with an unterminated quote after `<<`,
  // trailing blanks become part of the marker word, so they stay.
  if (HEREDOC_KEYWORDS.has(target.keyword) && !target.json) {
    const marker = logical.lastIndexOf('<<');
    const lastSegment = segments[segments.length - 1];
    if (marker !== -1 && lastSegment && /["']/.test(logical.slice(marker))) plans[lastSegment.line].keepTrailing = true;
  }
  if (target.keyword === 'FROM' && target.args.length === 3 && target.args[1].value.toLowerCase() === 'as') {
    const as = asCasing(target.keywordRaw, options);
    if (as && text.slice(target.args[1].range.start, target.args[1].range.end).toLowerCase() === 'as') replace(target.args[1].range, as);
  }

  // Continuation lines: indent where the join is safe.
  if (!consistent || segments.length < 2) return;
  const r = regions(a, ins, target, segments);
  const escape = ast.escape;
  const joins = segments.slice(1);
  // One scan per region for every join (sorted), so long instructions stay linear.
  const flagJoins = joins.filter((sg) => sg.logical <= r.argsStart).map((sg) => sg.logical);
  const argJoins = joins.filter((sg) => sg.logical > r.argsStart).map((sg) => sg.logical);
  const unsafe = new Map<number, boolean>();
  const flagStates = unsafeAt(logical, 0, [...flagJoins, ...(argJoins.length > 0 ? [r.argsStart] : [])], 'flags', escape);
  flagJoins.forEach((j, k) => unsafe.set(j, flagStates[k]));
  if (argJoins.length > 0) {
    const flagsOpen = flagStates[flagStates.length - 1];
    const argStates = unsafeAt(logical, r.argsStart, argJoins, r.argsMode, escape);
    argJoins.forEach((j, k) => unsafe.set(j, flagsOpen || argStates[k]));
  }
  for (const seg of joins) {
    if (!unsafe.get(seg.logical) && separatesWords(logical, seg, escape, options.continuationIndent, text)) plans[seg.line].indent = options.continuationIndent;
  }
}

interface Regions {
  /** Logical offset where the arguments start (after keyword and flags). */
  argsStart: number;
  argsMode: Mode;
}

function regions(a: FormatInput, ins: Instruction, t: Instruction, segments: Segment[]): Regions {
  const toLogical = (src: number): number | undefined => {
    for (const s of segments) if (src >= s.source && src <= s.source + s.length) return s.logical + (src - s.source);
    return undefined;
  };
  const argsStart = t.argsRange ? toLogical(t.argsRange.start) : undefined;
  if (argsStart === undefined) return { argsStart: Number.MAX_SAFE_INTEGER, argsMode: 'never' };
  let argsMode: Mode;
  if (t.json) argsMode = 'never';
  else
    switch (t.keyword) {
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
      case 'SHELL':
      case 'HEALTHCHECK':
        argsMode = ins.trigger || !isPosixShell(a.model.shellOf(ins)) || a.ast.escape !== '\\' ? 'strict' : 'shell';
        break;
      case 'ENV':
      case 'LABEL':
      case 'ARG':
        argsMode = (t.pairs ?? []).length > 0 && (t.pairs ?? []).every((p) => p.hasEquals || t.keyword === 'ARG') ? 'words' : 'never';
        break;
      case 'FROM':
      case 'EXPOSE':
      case 'COPY':
      case 'ADD':
      case 'VOLUME':
        argsMode = 'fields';
        break;
      default:
        argsMode = 'never';
    }
  return { argsStart, argsMode };
}

function isPosixShell(shell: readonly string[]): boolean {
  return shell.length > 0 && /(^|[/\\])(ba|da|z|k|a|mk)?sh(\.exe)?$/i.test(shell[0]);
}

const isBlankChar = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * Whether the indentation at the start of a continuation segment separates words both before and after
 * it is changed (so no word is joined or split). Quoting is checked separately (`unsafeAt`).
 */
function separatesWords(logical: string, seg: Segment, escape: string, indent: number, text: string): boolean {
  const j = seg.logical;
  const isEsc = (c: string | undefined) => c === '\\' || c === escape;
  const prev = logical[j - 1];
  if (isEsc(prev)) return false;
  const prevIsBoundary = isBlankChar(prev) && !isEsc(logical[j - 2]);
  const leading = isBlankChar(text[seg.source]);
  return (prevIsBoundary || leading) && (prevIsBoundary || indent > 0);
}

/**
 * For each offset in `queries` (ascending, at or after `from`): whether it is inside a quoted string (or
 * `${...}`, backticks...) under `mode`'s rules, scanning `s` once from `from`. Where the rules get subtle
 * the answer is true from there on: unsure means "do not touch".
 */
function unsafeAt(s: string, from: number, queries: readonly number[], mode: Mode, escape: string): boolean[] {
  const out: boolean[] = [];
  if (queries.length === 0) return out;
  if (mode === 'never' || mode === 'fields') return queries.map(() => mode === 'never');
  const esc = mode === 'words' ? escape : '\\';
  const stack: string[] = [];
  let giveUp = false;
  let q = 0;
  const state = () => giveUp || stack.some((x) => x !== '(');
  const last = queries[queries.length - 1];
  for (let i = from; i < last && !giveUp; i++) {
    while (q < queries.length && queries[q] <= i) out[q++] = state();
    const c = s[i];
    const top = stack.length > 0 ? stack[stack.length - 1] : '';
    if (mode === 'strict') {
      // An unknown shell: any quote or `${` (PowerShell allows spaces in `${...}` names) ends the certainty.
      if (c === '"' || c === "'" || (c === '$' && s[i + 1] === '{')) giveUp = true;
      continue;
    }
    if (mode !== 'shell') {
      // BuildKit's word and flag splitters: one level of quotes.
      if (!top) {
        if (c === esc) i++;
        else if (c === '"' || c === "'") stack.push(c);
      } else if (c === top) stack.pop();
      else if (c === esc && (top === '"' || mode === 'flags')) i++;
      continue;
    }
    // POSIX shell: command substitution and parentheses nest with their own quoting.
    if (top === "'") {
      if (c === "'") stack.pop();
      continue;
    }
    if (top === '`') {
      giveUp = true;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (top === '${') {
      if (c === '}') stack.pop();
      else if (c === '"' || c === "'" || c === '`' || (c === '$' && s[i + 1] === '(')) giveUp = true;
      else if (c === '$' && s[i + 1] === '{') {
        stack.push('${');
        i++;
      }
      continue;
    }
    if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
      stack.push(s[i + 1] === '(' ? '(' : '${');
      i++;
      continue;
    }
    if (c === '`') {
      stack.push('`');
      continue;
    }
    if (top === '"') {
      if (c === '"') stack.pop();
      continue;
    }
    if (c === '"' || c === "'") stack.push(c);
    else if (c === '(') stack.push('(');
    else if (c === ')' && top === '(') stack.pop();
  }
  while (q < queries.length) out[q++] = state();
  return out;
}

/** Go's unicode.IsSpace, as the parser skips leading space. */
function isGoSpace(c: string): boolean {
  return /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(c);
}

/** Offset of the line-continuation escape in [start, end), or undefined when the line does not continue. */
function continuationAt(text: string, start: number, end: number, escape: string): number | undefined {
  let e = end;
  while (e > start && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
  return e > start && text[e - 1] === escape ? e - 1 : undefined;
}

/**
 * On-type formatting after a line break: when the previous line continues an instruction (it ends with
 * the escape character), indent the new line by the continuation indent.
 */
export function onTypeEdits(a: FormatInput, offset: number, options: FormatOptions = DEFAULT_FORMAT_OPTIONS): FormatEdit[] {
  const ast: DockerfileAst = a.ast;
  const text = ast.text;
  const lines = new LineIndex(text, ast.lineStarts);
  const line = lines.lineAt(offset);
  if (line === 0) return [];
  const prevStart = lines.lineStarts[line - 1];
  const prevEnd = lines.lineEnd(line - 1);
  if (continuationAt(text, prevStart, prevEnd, ast.escape) === undefined) return [];
  let p = prevStart;
  while (p < prevEnd && (text[p] === ' ' || text[p] === '\t')) p++;
  if (text[p] === '#') return [];
  if (ast.directives.some((d) => d.range.start <= prevEnd && prevStart <= d.range.end)) return [];
  for (const ins of ast.instructions) {
    if (ins.fullRange.start > prevEnd) break;
    for (const h of (ins.trigger ?? ins).heredocs) {
      if (prevStart >= h.bodyRange.start && prevStart < (h.terminatorRange?.end ?? h.bodyRange.end) + 1) return [];
    }
  }
  const ls = lines.lineStarts[line];
  const le = lines.lineEnd(line);
  let e = ls;
  while (e < le && (text[e] === ' ' || text[e] === '\t')) e++;
  const want = ' '.repeat(Math.max(0, options.continuationIndent));
  if (text.slice(ls, e) === want) return [];
  return [{ span: { start: ls, end: e }, newText: want }];
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly FormatEdit[]): string {
  const sorted = [...edits].sort((x, y) => x.span.start - y.span.start);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.span.start) + e.newText;
    pos = e.span.end;
  }
  return out + text.slice(pos);
}
