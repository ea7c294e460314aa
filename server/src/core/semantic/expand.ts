/**
 * Variable expansion as BuildKit's shell lexer does it (frontend/dockerfile/shell): quotes, the escape
 * character, `$NAME`, `${NAME}` and the modifiers `:- - :+ + :? ? # ## % %% / //`. It reports every
 * variable it reads, with its position, and syntax errors instead of throwing.
 */

export interface VarUse {
  readonly name: string;
  /** Offsets in the processed text: the whole `$NAME`/`${...}` and the name inside it. */
  readonly start: number;
  readonly end: number;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** Modifier such as ":-" or "##", when present. */
  readonly modifier: string | undefined;
  /** Whether a value was found for the name. */
  readonly found: boolean;
}

export interface ExpandError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface Expansion {
  /** The words (one for processWord). */
  readonly words: string[];
  readonly uses: VarUse[];
  readonly error: ExpandError | undefined;
}

export type Lookup = (name: string) => string | undefined;

export interface ExpandOptions {
  /** Split into words on unquoted whitespace (ProcessWords) instead of one word (ProcessWord). */
  readonly split?: boolean;
  /** Leave unset variables as written (BuildKit's SkipUnsetEnv). */
  readonly skipUnset?: boolean;
  /** Keep quotes in the result (RawQuotes). */
  readonly rawQuotes?: boolean;
}

class ExpandFailure extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

function isLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  // ASCII without a regular expression; anything else as Unicode says (BuildKit accepts any letter).
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return /\p{L}/u.test(ch);
}
function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** Expands `text` with BuildKit's rules. `escape` is the Dockerfile's escape character. */
export function expand(text: string, lookup: Lookup, escape = '\\', options: ExpandOptions = {}): Expansion {
  const lx = new Lexer(text, lookup, escape, options);
  try {
    const words = lx.run();
    return { words, uses: lx.uses, error: undefined };
  } catch (e) {
    if (e instanceof ExpandFailure) {
      return { words: [], uses: lx.uses, error: { message: e.message, start: e.start, end: e.end } };
    }
    throw e;
  }
}

class Lexer {
  pos = 0;
  readonly uses: VarUse[] = [];
  constructor(
    readonly s: string,
    readonly lookup: Lookup,
    readonly escape: string,
    readonly opts: ExpandOptions,
  ) {}

  peek(): string {
    return this.pos < this.s.length ? this.s[this.pos] : '';
  }
  next(): string {
    return this.pos < this.s.length ? this.s[this.pos++] : '';
  }

  run(): string[] {
    const words: string[] = [];
    let word = '';
    let inWord = false;
    while (this.pos < this.s.length) {
      const ch = this.peek();
      if (this.opts.split && /\s/.test(ch)) {
        this.pos++;
        if (inWord) {
          words.push(word);
          word = '';
          inWord = false;
        }
        continue;
      }
      inWord = true;
      if (ch === "'") word += this.single();
      else if (ch === '"') word += this.double();
      else if (ch === '$') word += this.dollar();
      else {
        this.pos++;
        if (ch === this.escape) {
          if (this.pos >= this.s.length) break;
          if (this.opts.rawQuotes) word += ch;
          word += this.next();
        } else word += ch;
      }
    }
    if (inWord || !this.opts.split) words.push(word);
    return words;
  }

  private single(): string {
    const start = this.pos;
    this.pos++;
    let out = this.opts.rawQuotes ? "'" : '';
    for (;;) {
      if (this.pos >= this.s.length) throw new ExpandFailure('unexpected end of statement while looking for matching single-quote', start, this.s.length);
      const ch = this.next();
      if (ch === "'") break;
      out += ch;
    }
    return this.opts.rawQuotes ? out + "'" : out;
  }

  private double(): string {
    const start = this.pos;
    this.pos++;
    let out = this.opts.rawQuotes ? '"' : '';
    for (;;) {
      if (this.pos >= this.s.length) throw new ExpandFailure('unexpected end of statement while looking for matching double-quote', start, this.s.length);
      const ch = this.peek();
      if (ch === '"') {
        this.pos++;
        break;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      this.pos++;
      if (ch === this.escape) {
        const n = this.peek();
        if (n === '') continue;
        if (n === '"' || n === '$' || n === this.escape) {
          out += this.next();
          continue;
        }
      }
      out += ch;
    }
    return this.opts.rawQuotes ? out + '"' : out;
  }

  private name(): string {
    let name = '';
    while (this.pos < this.s.length) {
      const ch = this.peek();
      if (name.length === 0 && isDigit(ch)) {
        while (isDigit(this.peek())) name += this.next();
        return name;
      }
      if (name.length === 0 && SPECIAL_PARAMS.has(ch)) return this.next();
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private use(name: string, start: number, nameStart: number, nameEnd: number, modifier: string | undefined, found: boolean): void {
    this.uses.push({ name, start, end: this.pos, nameStart, nameEnd, modifier, found });
  }

  private dollar(): string {
    const start = this.pos;
    this.pos++;
    if (this.peek() !== '{') {
      const nameStart = this.pos;
      const name = this.name();
      if (name === '') return '$';
      const value = this.lookup(name);
      this.use(name, start, nameStart, this.pos, undefined, value !== undefined);
      if (value === undefined && this.opts.skipUnset) return '$' + name;
      return value ?? '';
    }
    this.pos++;
    const p = this.peek();
    if (p === '') throw new ExpandFailure("syntax error: missing '}'", start, this.pos);
    if (p === '{' || p === '}' || p === ':') throw new ExpandFailure('syntax error: bad substitution', start, Math.min(this.s.length, this.pos + 1));
    const nameStart = this.pos;
    const name = this.name();
    const nameEnd = this.pos;
    let ch = this.next();
    let chs = ch;
    let nullIsUnset = false;
    if (ch === '}') {
      const value = this.lookup(name);
      this.use(name, start, nameStart, nameEnd, undefined, value !== undefined);
      if (value === undefined && this.opts.skipUnset) return '${' + name + '}';
      return value ?? '';
    }
    if (ch === '') throw new ExpandFailure("syntax error: missing '}'", start, this.pos);
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next();
      chs += ch;
    }
    if (ch === '+' || ch === '-' || ch === '?' || ch === '#' || ch === '%') {
      const raw = ch === '#' || ch === '%';
      if (nullIsUnset && raw) throw new ExpandFailure(`unsupported modifier (${chs}) in substitution`, start, this.pos);
      const word = this.stopOn('}', raw, start);
      const value = this.lookup(name);
      const set = value !== undefined;
      this.use(name, start, nameStart, nameEnd, chs, set);
      if (this.opts.skipUnset && !set) return '${' + name + chs + word + '}';
      switch (ch) {
        case '-':
          return !set || (nullIsUnset && value === '') ? word : value!;
        case '+':
          return !set || (nullIsUnset && value === '') ? '' : word;
        case '?':
          if (!set) throw new ExpandFailure(`${name}: ${word || 'is not allowed to be unset'}`, start, this.pos);
          if (nullIsUnset && value === '') throw new ExpandFailure(`${name}: ${word || 'is not allowed to be empty'}`, start, this.pos);
          return value!;
        default: {
          let pattern = word;
          let greedy = false;
          if (pattern[0] === ch) {
            greedy = true;
            pattern = pattern.slice(1);
          }
          this.uses[this.uses.length - 1] = { ...this.uses[this.uses.length - 1], modifier: greedy ? chs + ch : chs };
          return ch === '%' ? trimSuffix(pattern, value ?? '', greedy) : trimPrefix(pattern, value ?? '', greedy);
        }
      }
    }
    if (ch === '/') {
      const all = this.peek() === '/';
      if (all) this.pos++;
      if (this.s.indexOf('/', this.pos) === -1 && this.s.indexOf('}', this.pos) === -1) throw new ExpandFailure("syntax error: missing '/' in ${}", start, this.s.length);
      const pattern = this.stopOn('/', true, start);
      const replacement = this.stopOn('}', true, start);
      const value = this.lookup(name);
      const set = value !== undefined;
      this.use(name, start, nameStart, nameEnd, all ? '//' : '/', set);
      if (this.opts.skipUnset && !set) return '${' + name + '/' + pattern + '/' + replacement + '}';
      const re = shellPatternToRegExp(pattern, all);
      return (value ?? '').replace(re, () => replacement);
    }
    throw new ExpandFailure(`unsupported modifier (${chs}) in substitution`, start, Math.min(this.s.length, this.pos));
  }

  /** Reads a word up to `stop`, expanding variables inside it. */
  private stopOn(stop: string, rawEscapes: boolean, start: number): string {
    let out = '';
    for (;;) {
      if (this.pos >= this.s.length) throw new ExpandFailure(`syntax error: missing '${stop}'`, start, this.s.length);
      const ch = this.peek();
      if (ch === stop) {
        this.pos++;
        return out;
      }
      if (ch === "'") out += this.single();
      else if (ch === '"') out += this.double();
      else if (ch === '$') out += this.dollar();
      else {
        this.pos++;
        if (ch === this.escape) {
          if (this.pos >= this.s.length) continue;
          if (rawEscapes) out += ch;
          out += this.next();
        } else out += ch;
      }
    }
  }
}

/** Converts a shell glob (`*`, `?`, `[...]`, `\x`) to a regular expression. */
export function shellPatternToRegExp(pattern: string, global = false, anchored = ''): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '.*?';
    else if (ch === '?') re += '.';
    else if (ch === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body[0] === '!') body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += escapeRe(ch);
  }
  return new RegExp(anchored === 'start' ? '^(?:' + re + ')' : anchored === 'end' ? '(?:' + re + ')$' : re, global ? 'gs' : 's');
}

function escapeRe(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const src = shellPatternToRegExp(pattern, false, 'start').source.replace(/\.\*\?/g, greedy ? '.*' : '.*?');
  const m = new RegExp(src, 's').exec(value);
  return m ? value.slice(m[0].length) : value;
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  // Shortest suffix: try each start from the end; longest: from the beginning.
  const re = new RegExp('^(?:' + shellPatternToRegExp(pattern).source.replace(/\.\*\?/g, '.*') + ')$', 's');
  if (greedy) {
    for (let i = 0; i <= value.length; i++) if (re.test(value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = value.length; i >= 0; i--) if (re.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}
