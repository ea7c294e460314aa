/**
 * The word splitters BuildKit's parser uses, re-implemented with positions. Each returns words with
 * offsets into the string it was given; callers map them through the instruction's logical text.
 */

export interface RawWord {
  /** The word's value as BuildKit computes it for this splitter. */
  value: string;
  start: number;
  end: number;
}

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** Go's unicode.IsSpace. */
export function isSpace(ch: string): boolean {
  return ch.length > 0 && GO_SPACE.test(ch);
}

/** Characters of BuildKit's `[\t\v\f\r ]+` splitter. */
export function isFieldSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** Index of the first non-space character at or after `i` (Go TrimLeftFunc(unicode.IsSpace)). */
export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

/** Index after the last non-space character at or before `end`. */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start && isSpace(s[end - 1])) end--;
  return end;
}

export interface FlagWords {
  flags: RawWord[];
  /** Offset where the arguments begin (after the flags). */
  rest: number;
}

/**
 * BuildKit's extractBuilderFlags: leading `--words`, with quotes removed and `\` escaping the next
 * character (always backslash here, whatever the escape directive says). `--` alone ends the flags.
 */
export function extractFlags(line: string, from: number): FlagWords {
  const flags: RawWord[] = [];
  let pos = from;
  for (;;) {
    while (pos < line.length && isSpace(line[pos])) pos++;
    if (pos >= line.length) return { flags, rest: line.length };
    if (line[pos] !== '-' || pos + 1 >= line.length || line[pos + 1] !== '-') return { flags, rest: pos };
    const start = pos;
    let word = '';
    let blankOK = false;
    let quote = '';
    let ended = false;
    while (pos < line.length) {
      const ch = line[pos];
      if (quote) {
        if (ch === quote) {
          quote = '';
          pos++;
          continue;
        }
        if (ch === '\\') {
          if (pos + 1 === line.length) {
            quote = '';
            pos++;
            continue;
          }
          pos++;
        }
        word += line[pos];
        pos++;
        continue;
      }
      if (isSpace(ch)) {
        ended = true;
        break;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        pos++;
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === line.length) {
          pos++;
          continue;
        }
        pos++;
      }
      word += line[pos];
      pos++;
    }
    if (word === '--' && !quote) {
      // `--` ends the flags; the arguments start after it.
      return { flags, rest: ended ? pos : line.length };
    }
    if (blankOK || word.length > 0) flags.push({ value: word, start, end: pos });
    if (!ended) return { flags, rest: line.length };
  }
}

/** BuildKit's parseStringsWhitespaceDelimited: split on `[\t\v\f\r ]+`, no quoting. */
export function splitFields(s: string, start: number, end: number): RawWord[] {
  const out: RawWord[] = [];
  let i = start;
  while (i < end) {
    while (i < end && isFieldSpace(s[i])) i++;
    if (i >= end) break;
    const ws = i;
    while (i < end && !isFieldSpace(s[i])) i++;
    out.push({ value: s.slice(ws, i), start: ws, end: i });
  }
  return out;
}

/**
 * BuildKit's parseWords (ENV, LABEL, ARG): whitespace-separated words where quotes group and the
 * escape character protects the next character. Quotes and escapes stay in the value.
 */
export function parseWords(s: string, start: number, end: number, escape: string): RawWord[] {
  const words: RawWord[] = [];
  let i = start;
  while (i < end) {
    while (i < end && isSpace(s[i])) i++;
    if (i >= end) break;
    const ws = i;
    let word = '';
    let quote = '';
    let blankOK = false;
    while (i < end) {
      const ch = s[i];
      if (!quote) {
        if (isSpace(ch)) break;
        if (ch === "'" || ch === '"') {
          quote = ch;
          blankOK = true;
        }
        if (ch === escape) {
          if (i + 1 === end) {
            i++;
            continue;
          }
          word += ch;
          i++;
        }
        word += s[i];
        i++;
        continue;
      }
      if (ch === quote) {
        quote = '';
        word += ch;
        i++;
        continue;
      }
      if (ch === escape && quote !== "'") {
        if (i + 1 === end) {
          quote = '';
          i++;
          continue;
        }
        word += ch;
        i++;
      }
      word += s[i];
      i++;
    }
    if (blankOK || word.length > 0) words.push({ value: word, start: ws, end: i });
  }
  return words;
}

/**
 * Shell-like word splitting used for heredoc detection (BuildKit's shlex with raw quotes and raw
 * escapes): quotes group words and are kept, backslash keeps the next character.
 */
export function shellWords(s: string, start: number, end: number): RawWord[] {
  const words: RawWord[] = [];
  let i = start;
  while (i < end) {
    while (i < end && isSpace(s[i])) i++;
    if (i >= end) break;
    const ws = i;
    let quote = '';
    while (i < end) {
      const ch = s[i];
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === '\\' && quote === '"' && i + 1 < end) i++;
        i++;
        continue;
      }
      if (isSpace(ch)) break;
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '\\' && i + 1 < end) i++;
      i++;
    }
    words.push({ value: s.slice(ws, i), start: ws, end: i });
  }
  return words;
}

/** Removes shell quoting from a word; reports whether any quoting was present. */
export function unquoteWord(w: string): { value: string; quoted: boolean } {
  let out = '';
  let quoted = false;
  let quote = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i];
    if (quote) {
      if (ch === quote) {
        quote = '';
        continue;
      }
      if (ch === '\\' && quote === '"' && i + 1 < w.length && '"\\$`'.includes(w[i + 1])) {
        out += w[++i];
        continue;
      }
      out += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      quoted = true;
      continue;
    }
    if (ch === '\\' && i + 1 < w.length) {
      out += w[++i];
      continue;
    }
    out += ch;
  }
  return { value: out, quoted };
}

export interface JsonScan {
  items: RawWord[];
  end: number;
}

/**
 * Locates the string items of a JSON array that `JSON.parse` accepted, for their ranges.
 * Returns undefined when the text is not an array of strings.
 */
export function scanJsonStrings(s: string, start: number): RawWord[] | undefined {
  let i = skipSpace(s, start);
  if (s[i] !== '[') return undefined;
  i++;
  const items: RawWord[] = [];
  const ws = /[ \t\n\r]/;
  const skip = () => {
    while (i < s.length && ws.test(s[i])) i++;
  };
  skip();
  if (s[i] === ']') return items;
  for (;;) {
    skip();
    if (s[i] !== '"') return undefined;
    const ws0 = i;
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\') i++;
      i++;
    }
    if (i >= s.length) return undefined;
    i++;
    let value: string;
    try {
      value = JSON.parse(s.slice(ws0, i)) as string;
    } catch {
      return undefined;
    }
    items.push({ value, start: ws0, end: i });
    skip();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === ']') return items;
    return undefined;
  }
}
