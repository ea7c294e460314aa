/**
 * A recursive-descent parser of the POSIX shell grammar plus the bash extensions seen in Dockerfiles.
 * It reads the text in one pass, without a separate lexer (shell tokenization depends on the parse
 * state: reserved words only count in command position, `)` closes a case pattern or a subshell...),
 * and produces the flat model of ./types.ts: every simple command with exact word offsets, the
 * pipelines and how they are joined, the bashisms used and the syntax errors found.
 *
 * It never throws: a syntax error is recorded and parsing goes on (the unexpected token is skipped, an
 * unclosed construct is closed at the end of the text), so the commands before and after are returned.
 */
import type { Connector, ShParseError, ShSubstitution, ShellScript } from './types';

export type ShellDialect = 'posix' | 'bash';

interface Var {
  name: string;
  start: number;
  end: number;
}

interface MWord {
  raw: string;
  value: string;
  start: number;
  end: number;
  quoted: boolean;
  hasExpansion: boolean;
  unquotedVars: Var[];
}

interface MRedirect {
  op: string;
  target: MWord | undefined;
  start: number;
  end: number;
  heredoc?: { delimiter: string; expand: boolean; body: { start: number; end: number } | undefined };
}

interface MCommand {
  assignments: MWord[];
  name: MWord | undefined;
  args: MWord[];
  redirects: MRedirect[];
  start: number;
  end: number;
  pipeline: MPipeline;
  pipelineIndex: number;
  depth: number;
  inSubstitution: boolean;
  inCondition: boolean;
}

interface MPipeline {
  commands: MCommand[];
  negated: boolean;
  start: number;
  end: number;
  next: Connector;
  prev: Connector;
  pipes: { start: number; end: number }[];
  depth: number;
  preceding: MPipeline | undefined;
  following: MPipeline | undefined;
}

interface Ctx {
  readonly depth: number;
  readonly inSub: boolean;
  readonly inCond: boolean;
}

/** Every context is made here, so that they all have the same shape (spreading makes another). */
function mkCtx(depth: number, inSub: boolean, inCond: boolean): Ctx {
  return { depth, inSub, inCond };
}

interface Pending {
  redirect: MRedirect;
  delimiter: string;
  strip: boolean;
  ctx: Ctx;
}

/** Characters that end an unquoted word. */
const META = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '<', '>', '(', ')']);

// Character codes and classes: the scanners read `charCodeAt` and look the class up in a table.
const C_TAB = 9;
const C_NL = 10;
const C_CR = 13;
const C_SPACE = 32;
const C_BANG = 33;
const C_DQUOTE = 34;
const C_HASH = 35;
const C_DOLLAR = 36;
const C_AMP = 38;
const C_SQUOTE = 39;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_STAR = 42;
const C_PLUS = 43;
const C_SEMI = 59;
const C_LT = 60;
const C_EQ = 61;
const C_GT = 62;
const C_AT = 64;
const C_LBRACKET = 91;
const C_BACKSLASH = 92;
const C_BACKTICK = 96;
const C_LBRACE = 123;
const C_PIPE = 124;
const C_RBRACE = 125;

/** Bit flags of ASCII characters. */
const F_META = 1; // ends an unquoted word (META)
const F_LOOSE_END = 2; // ends a word inside `[[ ]]`: blanks, newlines and `;`
const F_WORD_SPECIAL = 4; // starts a quote, escape, expansion or process substitution in a word
const F_NAME_START = 8; // [A-Za-z_]
const F_NAME = 16; // [A-Za-z0-9_]
const F_DIGIT = 32; // [0-9]
const F_FN_NAME = 64; // [A-Za-z0-9_.:-]
const CHAR_FLAGS = new Uint8Array(128);
for (const c of META) CHAR_FLAGS[c.charCodeAt(0)] |= F_META;
for (const c of [' ', '\t', '\r', '\n', ';']) CHAR_FLAGS[c.charCodeAt(0)] |= F_LOOSE_END;
for (const c of ['\\', "'", '"', '`', '$', '<', '>']) CHAR_FLAGS[c.charCodeAt(0)] |= F_WORD_SPECIAL;
for (let k = 0; k < 128; k++) {
  const ch = String.fromCharCode(k);
  if (/[A-Za-z_]/.test(ch)) CHAR_FLAGS[k] |= F_NAME_START;
  if (/[A-Za-z0-9_]/.test(ch)) CHAR_FLAGS[k] |= F_NAME;
  if (/[0-9]/.test(ch)) CHAR_FLAGS[k] |= F_DIGIT;
  if (/[A-Za-z0-9_.:-]/.test(ch)) CHAR_FLAGS[k] |= F_FN_NAME;
}
/**
 * Whether the character code (-1 past the end) has one of the flags. Codes are small integers, never
 * NaN (`charCodeAt` past the end of the string): V8's optimized code then stays on integers.
 */
function has(code: number, flags: number): boolean {
  return code >= 0 && code < 128 && (CHAR_FLAGS[code] & flags) !== 0;
}

/** The character code at `i`, -1 past the end of the text. */
function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}
/** Tokens that close a construct: unexpected anywhere else in command position. */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', ')', ';;', ';&', ';;&']);
const OPERATORS = new Set([';', '&', '&&', '||', '|', '|&', ';;', ';&', ';;&', ')']);
const EMPTY: ReadonlySet<string> = new Set();
const STOP_PAREN: ReadonlySet<string> = new Set([')']);
const STOP_BRACE: ReadonlySet<string> = new Set(['}']);
const STOP_THEN: ReadonlySet<string> = new Set(['then']);
const STOP_IF_BODY: ReadonlySet<string> = new Set(['elif', 'else', 'fi']);
const STOP_FI: ReadonlySet<string> = new Set(['fi']);
const STOP_DO: ReadonlySet<string> = new Set(['do']);
const STOP_DONE: ReadonlySet<string> = new Set(['done']);
const STOP_CASE_ITEM: ReadonlySet<string> = new Set([';;', ';&', ';;&', 'esac']);
/** Builtins that only bash (and zsh/ksh) has. */
const BASH_BUILTINS = new Set(['source', 'declare', 'typeset', 'shopt', 'let', 'pushd', 'popd', 'mapfile', 'readarray', 'disown', 'complete', 'compgen', 'caller', 'enable']);
/** Builtins whose arguments may be array assignments (`local a=(1 2)`). */
const DECLARATIONS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
const MAX_NESTING = 200;
/**
 * tokenAt() gives the words the parser looks for (reserved words, `{`, `}`, `!`, `-p` after `time`) as
 * themselves and any other word as WORD; the end of the text is END (no real token has a space, so a
 * command or argument spelled `EOF` is an ordinary word).
 */
const WORD = ' word';
const END = ' end';
const WORD_TOKENS = ['if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'case', 'esac', 'in', 'while', 'until', 'for', 'select', 'function', 'time', '{', '}', '!', '-p'];
const WORD_TOKENS_BY_LENGTH: string[][] = [];
for (const w of WORD_TOKENS) (WORD_TOKENS_BY_LENGTH[w.length] ??= []).push(w);
for (let i = 0; i < WORD_TOKENS_BY_LENGTH.length; i++) WORD_TOKENS_BY_LENGTH[i] ??= [];
/** Redirection operators by their first character, longest first. */
const REDIRECT_OPS_LT = ['<<<', '<<-', '<<', '<>', '<&', '<'];
const REDIRECT_OPS_GT = ['>>', '>|', '>&', '>'];
const REDIRECT_OPS_AMP = ['&>>', '&>'];
/** `$x` with one of these (codes of [0-9@*#?$!-]) is a special or positional parameter. */
const SPECIAL_PARAM: ReadonlySet<number> = new Set([...'0123456789@*#?$!-'].map((c) => c.charCodeAt(0)));
/** In a word's literal text: `{a,b}` or `{1..3}`. */
const BRACE_EXPANSION = /\{[^{}\s]*,[^{}\s]*\}|\{[^{}\s]+\.\.[^{}\s]+\}/;
/**
 * The array of every empty list of the result (no assignments, no redirects, no pipes, no unquoted
 * variables...): one shared object, frozen so that nothing can add to it. Lists only grow through add().
 */
const NONE = Object.freeze([]) as unknown as never[];
const ASSIGNMENT = /[A-Za-z_][A-Za-z0-9_]*(\[[^\]\s]*\])?\+?=/y;
const FUNCTION_DEF = /[A-Za-z_][A-Za-z0-9_.:-]*[ \t]*\([ \t]*\)/y;

/** Parses shell text. Offsets in the result are offsets in `text`. Never throws. */
export function parseShell(text: string, dialect: ShellDialect = 'posix'): ShellScript {
  const src = typeof text === 'string' ? text : '';
  const p = new Parser(src, dialect);
  try {
    p.parseTop();
  } catch (e) {
    // A stack overflow on absurd nesting, or a bug: keep what was found.
    const at = Math.min(Math.max(p.pos, 0), src.length);
    p.errors.push({ message: e instanceof RangeError ? 'The script is nested too deeply to analyze.' : 'The shell parser stopped here.', start: at, end: at });
  }
  return p.result(dialect);
}

class Parser {
  pos = 0;
  lim: number;
  readonly commands: MCommand[] = [];
  readonly pipelines: MPipeline[] = [];
  readonly bashisms: { feature: string; start: number; end: number }[] = [];
  readonly errors: ShParseError[] = [];
  readonly subs: ShSubstitution[] = [];
  private pending: Pending[] = [];
  private stopStack: ReadonlySet<string>[] = [];
  private nesting = 0;
  private readonly chainPipes: MPipeline[] = [];
  private readonly chainRanges: number[] = [];
  private chainTop = 0;
  /** The arguments of the simple commands being read, innermost last. */
  private readonly argBuf: MWord[] = [];
  private argTop = 0;

  constructor(
    readonly text: string,
    readonly dialect: ShellDialect,
  ) {
    this.lim = text.length;
  }

  parseTop(): void {
    this.parseList(mkCtx(0, false, false), EMPTY);
  }

  /** The result; the parser's arrays are handed over (sorted in place), so call it once. */
  result(dialect: ShellDialect): ShellScript {
    const n = this.text.length;
    const clamp = (e: ShParseError): ShParseError => ({ message: e.message, start: Math.min(Math.max(e.start, 0), n), end: Math.min(Math.max(e.end, e.start, 0), n) });
    return {
      text: this.text,
      commands: sortByPos(this.commands),
      pipelines: sortByPos(this.pipelines),
      bashisms: sortByPos(this.bashisms),
      errors: sortByPos(this.errors.length > 0 ? this.errors.map(clamp) : this.errors),
      substitutions: sortByPos(this.subs),
      dialect,
    };
  }

  // ---------------------------------------------------------------- characters and tokens

  private at(i: number): string {
    return i < this.lim ? this.text[i] : '';
  }

  private errorKeys: Set<string> | undefined;

  private error(message: string, start: number, end: number): void {
    // One error per position is enough: recovery may revisit it.
    const key = `${start}:${message}`;
    this.errorKeys ??= new Set();
    if (this.errorKeys.has(key)) return;
    this.errorKeys.add(key);
    this.errors.push({ message, start, end: Math.max(start, end) });
  }

  private bashism(feature: string, start: number, end: number): void {
    this.bashisms.push({ feature, start, end });
  }

  /** The character code at `i`, -1 at or past the limit. */
  private code(i: number): number {
    return i < this.lim ? this.text.charCodeAt(i) : -1;
  }

  // The last token read: the same position is asked for several times (list, pipeline, command).
  private tokPos = -1;
  private tokLim = -1;
  private tok = '';
  /** Where the last word token read ends. */
  private tokEnd = 0;

  /** The operator or the literal run of characters at the position (END at the end). */
  private tokenAt(): string {
    const p = this.pos;
    if (p === this.tokPos && this.lim === this.tokLim) return this.tok;
    const t = this.scanToken(p);
    this.tokPos = p;
    this.tokLim = this.lim;
    this.tok = t;
    return t;
  }

  private scanToken(p: number): string {
    const lim = this.lim;
    if (p >= lim) return END;
    const text = this.text;
    const c = text.charCodeAt(p);
    const c1 = this.code(p + 1);
    switch (c) {
      case C_SEMI:
        if (c1 === C_SEMI) return this.code(p + 2) === C_AMP ? ';;&' : ';;';
        return c1 === C_AMP ? ';&' : ';';
      case C_AMP:
        if (c1 === C_AMP) return '&&';
        if (c1 === C_GT) return this.code(p + 2) === C_GT ? '&>>' : '&>';
        return '&';
      case C_PIPE:
        if (c1 === C_PIPE) return '||';
        return c1 === C_AMP ? '|&' : '|';
      case C_LPAREN:
        return c1 === C_LPAREN ? '((' : '(';
      case C_RPAREN:
        return ')';
      case C_NL:
        return '\n';
      case C_LT:
        return '<';
      case C_GT:
        return '>';
      default: {
        let e = p;
        while (e < lim && !has(text.charCodeAt(e), F_META)) e++;
        this.tokEnd = e;
        const len = e - p;
        if (len === 0) return '';
        if (len < WORD_TOKENS_BY_LENGTH.length) {
          const candidates = WORD_TOKENS_BY_LENGTH[len];
          for (let k = 0; k < candidates.length; k++) {
            const w = candidates[k];
            if (w.charCodeAt(0) !== c) continue;
            let j = 1;
            while (j < len && w.charCodeAt(j) === text.charCodeAt(p + j)) j++;
            if (j === len) return w;
          }
        }
        return WORD;
      }
    }
  }

  /** The text of the WORD token at the position. */
  private wordAt(): string {
    let e = this.pos;
    while (e < this.lim && !has(this.text.charCodeAt(e), F_META)) e++;
    return this.text.slice(this.pos, e);
  }

  private skipBlanks(): void {
    const text = this.text;
    const lim = this.lim;
    let p = this.pos;
    while (p < lim) {
      const c = text.charCodeAt(p);
      if (c === C_SPACE || c === C_TAB || c === C_CR) p++;
      else if (c === C_BACKSLASH && p + 1 < lim && text.charCodeAt(p + 1) === C_NL) p += 2;
      else break;
    }
    this.pos = p;
  }

  private skipComment(): void {
    if (this.code(this.pos) !== C_HASH) return;
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 || nl > this.lim ? this.lim : nl;
  }

  /** Blanks, comments and newlines (where a command may continue on the next line). */
  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.code(this.pos);
      if (c === C_HASH) this.skipComment();
      else if (c === C_NL) this.consumeNewline();
      else return;
    }
  }

  private consumeNewline(): void {
    this.pos++;
    if (this.pending.length > 0) this.readHeredocBodies();
  }

  private readHeredocBodies(): void {
    const pending = this.pending;
    this.pending = [];
    for (const h of pending) {
      const bodyStart = this.pos;
      let body: { start: number; end: number } | undefined;
      const text = this.text;
      const delimiter = h.delimiter;
      while (this.pos < this.lim) {
        const nl = text.indexOf('\n', this.pos);
        const lineEnd = nl < 0 || nl >= this.lim ? this.lim : nl;
        // The line without one trailing \r and, for `<<-`, without its leading tabs.
        let a = this.pos;
        let b = lineEnd;
        if (b > a && text.charCodeAt(b - 1) === C_CR) b--;
        if (h.strip) while (a < b && text.charCodeAt(a) === C_TAB) a++;
        const lineStart = this.pos;
        this.pos = lineEnd < this.lim ? lineEnd + 1 : this.lim;
        if (b - a === delimiter.length && text.startsWith(delimiter, a)) {
          body = { start: bodyStart, end: lineStart };
          break;
        }
      }
      // Unterminated: bash warns and uses the rest of the text.
      if (!body && bodyStart < this.lim) body = { start: bodyStart, end: this.lim };
      if (h.redirect.heredoc) h.redirect.heredoc.body = body;
      if (body && h.redirect.heredoc?.expand) this.scanExpansions(h.ctx, body.start, body.end);
    }
  }

  /** The substitutions of an unquoted heredoc body: `$(cmd)` and backticks there run too. */
  private scanExpansions(ctx: Ctx, start: number, end: number): void {
    const save = this.pos;
    const savedLim = this.lim;
    this.lim = end;
    this.pos = start;
    try {
      while (this.pos < this.lim) {
        const c = this.text[this.pos];
        if (c === '\\') this.pos += 2;
        else if (c === '$') this.readDollar(ctx, true);
        else if (c === '`') this.readBacktick(ctx, true);
        else this.pos++;
      }
    } finally {
      this.lim = savedLim;
      this.pos = save;
    }
  }

  private isStop(tok: string, stops: ReadonlySet<string>): boolean {
    if (stops.has(tok)) return true;
    const stack = this.stopStack;
    for (let i = 0; i < stack.length; i++) if (stack[i].has(tok)) return true;
    return false;
  }

  // ---------------------------------------------------------------- lists

  /** A compound list: and-or lists separated by `;`, `&` or newlines, up to a token of `stops`. */
  private parseList(ctx: Ctx, stops: ReadonlySet<string>): void {
    this.stopStack.push(stops);
    try {
      let prevConn: Connector = undefined;
      let prevPipe: MPipeline | undefined;
      for (;;) {
        const before = this.pos;
        this.skipLinebreaks();
        const tok = this.tokenAt();
        if (tok !== WORD && (tok === END || this.isStop(tok, stops))) return;
        if (tok !== WORD && (CLOSERS.has(tok) || OPERATORS.has(tok))) {
          this.error(`Unexpected '${tok}'.`, this.pos, this.pos + tok.length);
          this.pos += tok.length;
          prevConn = undefined;
          prevPipe = undefined;
          continue;
        }
        // An and-or list: its pipelines and the range of this.commands each added go on the chain
        // buffers (shared by the nested lists, which take them back off before this one goes on).
        const chainBase = this.chainTop;
        let anyHandled = false;
        for (;;) {
          const from = this.commands.length;
          const p = this.parsePipeline(ctx);
          if (!p) break;
          p.prev = prevConn;
          if (prevPipe) {
            prevPipe.following = p;
            p.preceding = prevPipe;
          }
          const top = this.chainTop++;
          this.chainPipes[top] = p;
          this.chainRanges[2 * top] = from;
          this.chainRanges[2 * top + 1] = this.commands.length;
          if (p.negated) anyHandled = true;
          prevPipe = p;
          this.skipBlanks();
          this.skipComment();
          const t2 = this.tokenAt();
          if (t2 === '&&' || t2 === '||') {
            p.next = t2;
            if (t2 === '||') anyHandled = true;
            const opStart = this.pos;
            this.pos += 2;
            this.skipLinebreaks();
            prevConn = t2;
            const t3 = this.tokenAt();
            if (t3 === END || this.isStop(t3, stops) || CLOSERS.has(t3) || OPERATORS.has(t3)) {
              this.error(`Expected a command after '${t2}'.`, opStart, opStart + 2);
              break;
            }
            continue;
          }
          if (t2 === ';' || t2 === '&' || t2 === '\n') {
            p.next = t2;
            if (t2 === '\n') this.consumeNewline();
            else this.pos++;
            prevConn = t2;
          } else {
            prevConn = undefined;
            if (t2 !== END && !this.isStop(t2, stops) && !CLOSERS.has(t2) && !OPERATORS.has(t2)) {
              // e.g. `(a) b` or `fi x`: a word where an operator must come.
              const w = t2 === WORD ? this.wordAt() : t2;
              this.error(`Unexpected '${w.length > 20 ? w.slice(0, 20) + '…' : w}' after a command.`, this.pos, this.pos + Math.max(1, w.length));
              prevPipe = undefined;
            }
          }
          break;
        }
        // Failure is handled for every pipeline left of a `||` in the chain.
        if (anyHandled) {
          let handled = false;
          for (let i = this.chainTop - 1; i >= chainBase; i--) {
            const cp = this.chainPipes[i];
            if (cp.next === '||') handled = true;
            if (handled || cp.negated) {
              const to = this.chainRanges[2 * i + 1];
              for (let k = this.chainRanges[2 * i]; k < to; k++) this.commands[k].inCondition = true;
            }
          }
        }
        this.chainTop = chainBase;
        if (this.pos === before) {
          // No progress: skip a character so the loop ends.
          this.error(`Unexpected '${this.text[this.pos]}'.`, this.pos, this.pos + 1);
          this.pos++;
        }
      }
    } finally {
      this.stopStack.pop();
    }
  }

  private parsePipeline(ctx: Ctx): MPipeline | undefined {
    const start = this.pos;
    let negated = false;
    if (this.dialect === 'bash' && this.tokenAt() === 'time') {
      // bash's `time [-p] pipeline` keyword (in sh, time is a command).
      this.pos += 4;
      this.skipBlanks();
      if (this.tokenAt() === '-p') {
        this.pos += 2;
        this.skipBlanks();
      }
    }
    if (this.tokenAt() === '!') {
      negated = true;
      this.pos++;
      this.skipBlanks();
    }
    const p: MPipeline = { commands: NONE, negated, start, end: this.pos, next: undefined, prev: undefined, pipes: NONE, depth: ctx.depth, preceding: undefined, following: undefined };
    let any = false;
    for (;;) {
      const end = this.parseCommand(ctx, p);
      if (end < 0) {
        if (p.pipes.length > 0) {
          const last = p.pipes[p.pipes.length - 1];
          this.error(`Expected a command after '${this.text.slice(last.start, last.end)}'.`, last.start, last.end);
        } else if (negated) this.error("Expected a command after '!'.", start, start + 1);
        break;
      }
      any = true;
      p.end = end;
      this.skipBlanks();
      const tok = this.tokenAt();
      if (tok === '|' || tok === '|&') {
        if (tok === '|&') this.bashism('|&', this.pos, this.pos + 2);
        p.pipes = add(p.pipes, { start: this.pos, end: this.pos + tok.length });
        this.pos += tok.length;
        p.end = this.pos;
        this.skipLinebreaks();
        continue;
      }
      break;
    }
    if (!any && !negated) {
      this.pos = Math.max(this.pos, start);
      return undefined;
    }
    if (p.end < this.pos && !any) p.end = this.pos;
    this.pipelines.push(p);
    return p;
  }

  // ---------------------------------------------------------------- commands

  /** One element of a pipeline. Returns its end offset, or -1 when no command starts here. */
  private parseCommand(ctx: Ctx, p: MPipeline): number {
    this.skipBlanks();
    if (this.pos >= this.lim) return -1;
    if (this.nesting >= MAX_NESTING) {
      this.error('The script is nested too deeply to analyze.', this.pos, this.pos + 1);
      this.pos = this.lim;
      return -1;
    }
    this.nesting++;
    try {
      const tok = this.tokenAt();
            switch (tok) {
        case 'if':
          return this.withRedirects(ctx, this.parseIf(this.deeper(ctx)));
        case 'while':
        case 'until':
          return this.withRedirects(ctx, this.parseWhile(this.deeper(ctx), tok));
        case 'for':
        case 'select':
          return this.withRedirects(ctx, this.parseFor(this.deeper(ctx), tok));
        case 'case':
          return this.withRedirects(ctx, this.parseCase(this.deeper(ctx)));
        case '{':
          return this.withRedirects(ctx, this.parseGroup(this.deeper(ctx)));
        case '((':
          return this.withRedirects(ctx, this.parseArithCommand(this.deeper(ctx)));
        case '(':
          return this.withRedirects(ctx, this.parseSubshell(this.deeper(ctx)));
        case 'function':
          return this.parseFunction(ctx, p, true);
        default:
          break;
      }
      if (tok !== WORD && (tok === END || tok === '\n' || CLOSERS.has(tok) || OPERATORS.has(tok))) return -1;
      if (this.functionDefAt(this.pos, this.tokEnd)) return this.parseFunction(ctx, p, false);
      return this.parseSimple(ctx, p);
    } finally {
      this.nesting--;
    }
  }

  /**
   * Whether FUNCTION_DEF (`name ( )`) matches at `i` and ends within the limit, the word token at `i`
   * ending at `wordEnd`. By hand: the regex ran at the start of every command. Like the regex, it reads
   * past the limit.
   */
  private functionDefAt(i: number, wordEnd: number): boolean {
    const text = this.text;
    // The name ends where the word does (a character that is neither a name character nor a
    // metacharacter stops the match), and a `(` follows, after blanks: most commands fail here.
    let k = wordEnd;
    while (k < this.lim && (text.charCodeAt(k) === C_SPACE || text.charCodeAt(k) === C_TAB)) k++;
    if (this.code(k) !== C_LPAREN) return false;
    if (!has(codeAt(text, i), F_NAME_START)) return false;
    k = i + 1;
    while (has(codeAt(text, k), F_FN_NAME)) k++;
    while (codeAt(text, k) === C_SPACE || codeAt(text, k) === C_TAB) k++;
    if (codeAt(text, k) !== C_LPAREN) return false;
    k++;
    while (codeAt(text, k) === C_SPACE || codeAt(text, k) === C_TAB) k++;
    if (codeAt(text, k) !== C_RPAREN) return false;
    return k + 1 <= this.lim;
  }

  /**
   * The length of the ASSIGNMENT prefix (`NAME=`, `NAME+=`, `NAME[i]=`) at `i`, 0 when there is none;
   * `indexed` tells whether it has the `[i]` part. Reads past the limit, like the regex.
   */
  private assignmentAt(i: number): number {
    const text = this.text;
    if (!has(codeAt(text, i), F_NAME_START)) return 0;
    let k = i + 1;
    while (has(codeAt(text, k), F_NAME)) k++;
    let c = codeAt(text, k);
    this.indexed = false;
    if (c === C_LBRACKET) {
      // Rare: let the regex decide (`[^\]\s]` is Unicode whitespace).
      ASSIGNMENT.lastIndex = i;
      const m = ASSIGNMENT.exec(text);
      if (!m) return 0;
      this.indexed = m[1] !== undefined;
      return m[0].length;
    }
    if (c === C_PLUS) c = codeAt(text, ++k);
    return c === C_EQ ? k + 1 - i : 0;
  }

  /** Set by assignmentAt. */
  private indexed = false;

  /** The context of a compound command's body. */
  private deeper(ctx: Ctx): Ctx {
    return mkCtx(ctx.depth + 1, ctx.inSub, ctx.inCond);
  }

  /** Redirections after a compound command (`done < file`, `} > log`). */
  private withRedirects(ctx: Ctx, end: number): number {
    for (;;) {
      const save = this.pos;
      this.skipBlanks();
      if (!this.isRedirectStart()) {
        this.pos = save;
        return Math.max(end, save);
      }
      end = this.parseRedirect(ctx).end;
    }
  }

  private parseSimple(ctx: Ctx, p: MPipeline): number {
    const cmd: MCommand = {
      assignments: NONE,
      name: undefined,
      args: NONE,
      redirects: NONE,
      start: this.pos,
      end: this.pos,
      pipeline: p,
      pipelineIndex: 0,
      depth: ctx.depth,
      inSubstitution: ctx.inSub,
      inCondition: ctx.inCond,
    };
    let dbl = false; // inside [[ ... ]]
    let dblStart = 0;
    let declaring = false; // the name is a declaration builtin
    const text = this.text;
    const argBase = this.argTop;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.lim) break;
      const cc = text.charCodeAt(this.pos);
      if (cc === C_HASH) {
        this.skipComment();
        break;
      }
      if (dbl) {
        if (cc === C_NL || cc === C_SEMI) break;
        const two = text.slice(this.pos, this.pos + 2);
        if ((two === '&&' || two === '||') && (this.pos + 2 >= this.lim || /[\s]/.test(text[this.pos + 2]))) {
          this.argBuf[this.argTop++] = literalWord(two, this.pos);
          this.pos += 2;
          cmd.end = this.pos;
          continue;
        }
        const w = this.readWord(ctx, true);
        if (!w) {
          this.pos++;
          continue;
        }
        this.argBuf[this.argTop++] = w;
        cmd.end = w.end;
        if (w.raw === ']]') dbl = false;
        continue;
      }
      const procSubst = (cc === C_LT || cc === C_GT) && this.code(this.pos + 1) === C_LPAREN;
      if (!procSubst && (cc === C_LT || cc === C_GT || cc === C_AMP || has(cc, F_DIGIT)) && this.isRedirectStart()) {
        const r = this.parseRedirect(ctx);
        cmd.redirects = add(cmd.redirects, r);
        cmd.end = r.end;
        continue;
      }
      if (cc === C_LPAREN) {
        // `echo (x)`: bash rejects it; skip the balanced group.
        const s = this.pos;
        let d = 0;
        while (this.pos < this.lim) {
          const ch = this.text[this.pos++];
          if (ch === '(') d++;
          else if (ch === ')' && --d === 0) break;
          else if (ch === '\n') break;
        }
        this.error("Unexpected '(' in a command's arguments: quote it.", s, s + 1);
        cmd.end = this.pos;
        continue;
      }
      if (!procSubst && has(cc, F_META)) break;
      if (!cmd.name || declaring) {
        const len = this.assignmentAt(this.pos);
        if (len > 0 && this.pos + len <= this.lim && (!declaring || this.code(this.pos + len) === C_LPAREN)) {
          // `declare -a a=(1 2)`: an array assignment is an argument of the declaration builtins.
          const w = this.readAssignment(ctx, text.slice(this.pos, this.pos + len), this.indexed);
          if (declaring) this.argBuf[this.argTop++] = w;
          else cmd.assignments = add(cmd.assignments, w);
          cmd.end = w.end;
          continue;
        }
      }
      const w = this.readWord(ctx, false);
      if (!w) {
        this.error(`Unexpected '${text[this.pos]}'.`, this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      cmd.end = w.end;
      if (!cmd.name) {
        cmd.name = w;
        declaring = !w.quoted && DECLARATIONS.has(w.value);
        if (w.raw === '[[') {
          dbl = true;
          dblStart = w.start;
          this.bashism('[[', w.start, w.end);
        }
      } else this.argBuf[this.argTop++] = w;
    }
    // The arguments went on argBuf (nested commands' come and go above them): an array of the right size.
    if (this.argTop > argBase) cmd.args = this.argBuf.slice(argBase, this.argTop);
    this.argTop = argBase;
    if (dbl) this.error("'[[' without matching ']]'.", dblStart, dblStart + 2);
    if (!cmd.name && cmd.assignments.length === 0 && cmd.redirects.length === 0) return -1;
    this.commandBashisms(cmd);
    cmd.pipelineIndex = p.commands.length;
    p.commands = add(p.commands, cmd);
    this.commands.push(cmd);
    return cmd.end;
  }

  private commandBashisms(cmd: MCommand): void {
    const name = cmd.name;
    if (!name || name.quoted || name.hasExpansion) return;
    const n = name.value;
    if (BASH_BUILTINS.has(n)) this.bashism(n, name.start, name.end);
    else if (n === '[' || n === 'test') {
      for (const a of cmd.args) if (a.value === '==' && !a.hasExpansion) this.bashism('== in [', a.start, a.end);
    } else if (n === 'echo') {
      const a = cmd.args[0];
      if (a && !a.quoted && /^-[nE]*e[neE]*$/.test(a.value)) this.bashism('echo -e', a.start, a.end);
    }
  }

  /** `NAME=value`, `NAME+=value`, `NAME[i]=value` or `NAME=(array)`. */
  private readAssignment(ctx: Ctx, prefix: string, indexed: boolean): MWord {
    const start = this.pos;
    if (prefix.endsWith('+=')) this.bashism('+=', start, start + prefix.length);
    if (indexed) this.bashism('array', start, start + prefix.length);
    if (this.at(start + prefix.length) === '(') {
      this.pos = start + prefix.length + 1;
      let closed = false;
      let quoted = false;
      let exp = false;
      while (this.pos < this.lim) {
        this.skipLinebreaks();
        if (this.at(this.pos) === ')') {
          this.pos++;
          closed = true;
          break;
        }
        const w = this.readWord(ctx, false);
        if (!w) break;
        quoted ||= w.quoted;
        exp ||= w.hasExpansion;
      }
      if (!closed) this.error("Array assignment without its closing ')'.", start + prefix.length, start + prefix.length + 1);
      this.bashism('array', start, this.pos);
      const raw = this.text.slice(start, this.pos);
      return { raw, value: raw, start, end: this.pos, quoted, hasExpansion: exp, unquotedVars: NONE };
    }
    const w = this.readWord(ctx, false);
    if (w) return w;
    this.pos = start + prefix.length;
    return literalWord(prefix, start);
  }

  // ---------------------------------------------------------------- compound commands

  private expect(word: string, opener: string, openStart: number): boolean {
    if (this.tokenAt() === word) {
      this.pos += word.length;
      return true;
    }
    this.error(`'${opener}' without matching '${word}'.`, openStart, openStart + opener.length);
    return false;
  }

  private parseIf(ctx: Ctx): number {
    const s = this.pos;
    this.pos += 2;
    const cond = mkCtx(ctx.depth, ctx.inSub, true);
    this.parseList(cond, STOP_THEN);
    if (!this.expect('then', 'if', s)) return this.pos;
    this.parseList(ctx, STOP_IF_BODY);
    for (;;) {
      const tok = this.tokenAt();
      if (tok === 'elif') {
        const e = this.pos;
        this.pos += 4;
        this.parseList(cond, STOP_THEN);
        if (!this.expect('then', 'elif', e)) return this.pos;
        this.parseList(ctx, STOP_IF_BODY);
        continue;
      }
      if (tok === 'else') {
        this.pos += 4;
        this.parseList(ctx, STOP_FI);
      }
      this.expect('fi', 'if', s);
      return this.pos;
    }
  }

  private parseWhile(ctx: Ctx, kw: string): number {
    const s = this.pos;
    this.pos += kw.length;
    this.parseList(mkCtx(ctx.depth, ctx.inSub, true), STOP_DO);
    if (!this.expect('do', kw, s)) return this.pos;
    this.parseList(ctx, STOP_DONE);
    this.expect('done', kw, s);
    return this.pos;
  }

  private parseFor(ctx: Ctx, kw: string): number {
    const s = this.pos;
    this.pos += kw.length;
    if (kw === 'select') this.bashism('select', s, this.pos);
    this.skipBlanks();
    if (this.text.startsWith('((', this.pos)) {
      const e = this.arithEnd(this.pos + 2);
      this.bashism('for ((', s, e < 0 ? this.pos + 2 : e);
      if (e < 0) {
        this.error("'((' without matching '))'.", this.pos, this.pos + 2);
        this.pos = this.lim;
        return this.pos;
      }
      this.pos = e;
    } else {
      const name = this.readWord(ctx, false);
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.raw)) this.error(`'${kw}' needs a variable name.`, s, s + kw.length);
      this.skipLinebreaks();
      if (this.tokenAt() === 'in') {
        this.pos += 2;
        for (;;) {
          this.skipBlanks();
          const c = this.at(this.pos);
          if (c === '' || c === ';' || c === '\n' || c === '#') break;
          if (META.has(c) && !this.isProcessSubst()) {
            this.error(`Unexpected '${c}' in the word list of '${kw}'.`, this.pos, this.pos + 1);
            this.pos++;
            continue;
          }
          if (!this.readWord(mkCtx(ctx.depth - 1, ctx.inSub, ctx.inCond), false)) this.pos++;
        }
      }
    }
    this.skipBlanks();
    this.skipComment();
    if (this.at(this.pos) === ';') this.pos++;
    this.skipLinebreaks();
    if (!this.expect('do', kw, s)) return this.pos;
    this.parseList(ctx, STOP_DONE);
    this.expect('done', kw, s);
    return this.pos;
  }

  private parseCase(ctx: Ctx): number {
    const s = this.pos;
    this.pos += 4;
    this.skipBlanks();
    if (!this.readWord(mkCtx(ctx.depth - 1, ctx.inSub, ctx.inCond), false)) this.error("'case' needs a word to match.", s, s + 4);
    this.skipLinebreaks();
    if (!this.expect('in', 'case', s)) return this.pos;
    for (;;) {
      this.skipLinebreaks();
      const tok = this.tokenAt();
      if (tok === 'esac') {
        this.pos += 4;
        return this.pos;
      }
      if (tok === END || this.isStop(tok, EMPTY)) break;
      if (tok === '(') {
        this.pos++;
        this.skipBlanks();
      }
      const patStart = this.pos;
      let patterns = 0;
      for (;;) {
        this.skipBlanks();
        if (this.readWord(ctx, false)) patterns++;
        this.skipBlanks();
        if (this.at(this.pos) === '|' && this.at(this.pos + 1) !== '|') {
          this.pos++;
          continue;
        }
        break;
      }
      if (this.at(this.pos) !== ')' || patterns === 0) {
        this.error("Expected a pattern followed by ')' in 'case'.", patStart, Math.max(this.pos, patStart + 1));
        // Recover: skip the line.
        while (this.pos < this.lim && this.text[this.pos] !== '\n') this.pos++;
        continue;
      }
      this.pos++;
      this.parseList(ctx, STOP_CASE_ITEM);
      const t = this.tokenAt();
      if (t === ';;' || t === ';&' || t === ';;&') {
        if (t !== ';;') this.bashism(t, this.pos, this.pos + t.length);
        this.pos += t.length;
        continue;
      }
      if (t === 'esac') continue;
      break;
    }
    this.error("'case' without matching 'esac'.", s, s + 4);
    return this.pos;
  }

  private parseGroup(ctx: Ctx): number {
    const s = this.pos;
    this.pos++;
    this.parseList(ctx, STOP_BRACE);
    this.expect('}', '{', s);
    return this.pos;
  }

  private parseSubshell(ctx: Ctx): number {
    const s = this.pos;
    this.pos++;
    const saved = this.stopStack;
    this.stopStack = saved.filter((x) => !x.has(')'));
    try {
      this.parseList(ctx, STOP_PAREN);
    } finally {
      this.stopStack = saved;
    }
    this.expect(')', '(', s);
    return this.pos;
  }

  private parseArithCommand(ctx: Ctx): number {
    const e = this.arithEnd(this.pos + 2);
    if (e < 0) return this.parseSubshell(ctx);
    this.bashism('((', this.pos, e);
    this.pos = e;
    return e;
  }

  /** `name() body` or `function name [()] body`; the body (normally a group) counts one level deeper. */
  private parseFunction(ctx: Ctx, p: MPipeline, keyword: boolean): number {
    const s = this.pos;
    if (keyword) {
      this.pos += 'function'.length;
      this.bashism('function', s, this.pos);
      this.skipBlanks();
      if (!this.readWord(ctx, false)) this.error("'function' needs a name.", s, s + 8);
      this.skipBlanks();
      const m = /\([ \t]*\)/y;
      m.lastIndex = this.pos;
      const mm = m.exec(this.text);
      if (mm) this.pos += mm[0].length;
    } else {
      FUNCTION_DEF.lastIndex = this.pos;
      const m = FUNCTION_DEF.exec(this.text);
      this.pos += m ? m[0].length : 0;
    }
    this.skipLinebreaks();
    const end = this.parseCommand(ctx, p);
    if (end < 0) {
      this.error('A function definition needs a body.', s, Math.max(this.pos, s + 1));
      return this.pos;
    }
    return end;
  }

  /** After `((` or `$((`: the offset just past the matching `))`, or -1. */
  private arithEnd(from: number): number {
    let d = 0;
    for (let k = from; k < this.lim; k++) {
      const c = this.text[k];
      if (c === '(') d++;
      else if (c === ')') {
        if (d > 0) d--;
        else return this.at(k + 1) === ')' ? k + 2 : -1;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- redirections

  private isProcessSubst(): boolean {
    const c = this.code(this.pos);
    return (c === C_LT || c === C_GT) && this.code(this.pos + 1) === C_LPAREN;
  }

  private isRedirectStart(): boolean {
    let p = this.pos;
    while (p < this.lim && has(this.text.charCodeAt(p), F_DIGIT)) p++;
    const c = this.code(p);
    if (c === C_LT || c === C_GT) return this.code(p + 1) !== C_LPAREN;
    return p === this.pos && c === C_AMP && this.code(p + 1) === C_GT;
  }

  private parseRedirect(ctx: Ctx): MRedirect {
    const start = this.pos;
    while (this.pos < this.lim && has(this.text.charCodeAt(this.pos), F_DIGIT)) this.pos++;
    const c = this.code(this.pos);
    const ops = c === C_LT ? REDIRECT_OPS_LT : c === C_GT ? REDIRECT_OPS_GT : c === C_AMP ? REDIRECT_OPS_AMP : [];
    let op = '';
    for (const o of ops) {
      if (this.text.startsWith(o, this.pos) && this.pos + o.length <= this.lim) {
        op = o;
        break;
      }
    }
    this.pos += op.length;
    const fullOp = this.text.slice(start, this.pos);
    if (op === '<<<') this.bashism('<<<', start, this.pos);
    this.skipBlanks();
    const target = this.readWord(ctx, false);
    const r: MRedirect = { op: fullOp, target, start, end: target ? target.end : this.pos };
    if (op === '&>' || op === '&>>') this.bashism('&>', start, r.end);
    if (!target) this.error(`Missing the target of '${fullOp}'.`, start, this.pos);
    if (op === '>&' && target && !/^(\d+|-)$/.test(target.value) && !target.hasExpansion) this.bashism('>&', start, target.end);
    if (op === '<<' || op === '<<-') {
      const delimiter = target ? target.value : '';
      r.heredoc = { delimiter, expand: !target?.quoted, body: undefined };
      if (target) this.pending.push({ redirect: r, delimiter, strip: op === '<<-', ctx });
    }
    return r;
  }

  // ---------------------------------------------------------------- words

  /**
   * A word at the position, or undefined when a metacharacter is there. `loose` (inside `[[ ]]`)
   * ends words only at blanks, newlines and `;`.
   */
  private readWord(ctx: Ctx, loose: boolean): MWord | undefined {
    const text = this.text;
    const start = this.pos;
    const endFlags = loose ? F_LOOSE_END : F_META;
    const runStop = endFlags | F_WORD_SPECIAL;
    // The value is built from the parts whose value differs from their text (quotes, escapes, `$'..'`);
    // the text between them (literal characters, expansions) is copied in one slice: from `verbatim`
    // up to the position. A word without such parts has the raw text as its value.
    let value = '';
    let verbatim = start;
    // The literal text (quoted parts and expansions as \0, `$` kept) from its first `{` on: the part
    // where brace expansion can be found. Undefined while there is no `{`.
    let lit: string | undefined;
    let quoted = false;
    let exp = false;
    let vars: Var[] = NONE;
    while (this.pos < this.lim) {
      // A run of literal characters.
      const lim = this.lim;
      let e = this.pos;
      let brace = -1;
      for (; e < lim; e++) {
        const c = text.charCodeAt(e);
        if (c < 128) {
          if ((CHAR_FLAGS[c] & runStop) !== 0) break;
          if (c === C_LBRACE && brace < 0) brace = e;
        }
      }
      if (e > this.pos) {
        if (lit !== undefined) lit += text.slice(this.pos, e);
        else if (brace >= 0) lit = text.slice(brace, e);
        this.pos = e;
        if (e >= lim) break;
      }
      const s = this.pos;
      const c = text.charCodeAt(s);
      if (c === C_BACKSLASH) {
        if (s + 1 >= this.lim) {
          // A trailing backslash stays.
          if (lit !== undefined) lit += '\\';
          this.pos++;
          continue;
        }
        value += text.slice(verbatim, s);
        const n = text[s + 1];
        if (n !== '\n') {
          quoted = true;
          value += n;
          if (lit !== undefined) lit += '\0';
        }
        this.pos += 2;
        verbatim = this.pos;
        continue;
      }
      if ((c === C_LT || c === C_GT) && this.code(s + 1) === C_LPAREN) {
        this.pos += 2;
        this.parseSubstitutionBody(ctx);
        if (this.code(this.pos) === C_RPAREN) this.pos++;
        else this.error(`'${text[s]}(' without matching ')'.`, s, s + 2);
        this.bashism('process substitution', s, this.pos);
        this.subs.push({ kind: 'process', start: s, end: this.pos, quoted: false });
        if (lit !== undefined) lit += '\0';
        exp = true;
        continue;
      }
      if (has(c, endFlags)) break;
      if (c === C_SQUOTE) {
        let j = text.indexOf("'", s + 1);
        if (j < 0 || j >= this.lim) {
          this.error('Unterminated single quote.', s, s + 1);
          j = this.lim;
        }
        value += text.slice(verbatim, s) + text.slice(s + 1, j);
        if (lit !== undefined) lit += '\0';
        quoted = true;
        this.pos = Math.min(j + 1, this.lim);
        verbatim = this.pos;
        continue;
      }
      if (c === C_DQUOTE) {
        value += text.slice(verbatim, s);
        value += this.readDouble(ctx);
        verbatim = this.pos;
        if (lit !== undefined) lit += '\0';
        quoted = true;
        exp ||= this.rExp;
        continue;
      }
      if (c === C_BACKTICK) {
        this.readBacktick(ctx, false);
        if (lit !== undefined) lit += '\0';
        exp = true;
        continue;
      }
      if (c === C_DOLLAR) {
        const v = this.readDollar(ctx, false);
        if (this.rVar) vars = add(vars, this.rVar);
        if (v !== undefined) {
          value += text.slice(verbatim, s) + v;
          verbatim = this.pos;
        }
        const rExp = this.rExp;
        const rQuoted = this.rQuoted;
        if (lit !== undefined) lit += rExp || rQuoted ? '\0' : '$';
        exp ||= rExp;
        quoted ||= rQuoted;
        continue;
      }
      // `<` or `>` inside `[[ ]]`: a literal character.
      if (lit !== undefined) lit += text[s];
      this.pos++;
    }
    if (this.pos === start) return undefined;
    if (lit !== undefined && BRACE_EXPANSION.test(lit)) {
      this.bashism('brace expansion', start, this.pos);
    }
    let raw: string;
    if (verbatim === start) {
      raw = text.slice(start, this.pos);
      value = raw;
    } else {
      raw = text.slice(start, this.pos);
      value += text.slice(verbatim, this.pos);
    }
    return { raw, value, start, end: this.pos, quoted, hasExpansion: exp, unquotedVars: vars };
  }

  /** Set by readDouble, readDollar and readBraced: whether what they read was an expansion / quoted. */
  private rExp = false;
  private rQuoted = false;

  /** A double-quoted string at the position: its value (rExp tells whether it has expansions). */
  private readDouble(ctx: Ctx): string {
    const text = this.text;
    const s = this.pos;
    this.pos++;
    let value = '';
    let verbatim = this.pos; // as in readWord
    let exp = false;
    while (this.pos < this.lim) {
      const lim = this.lim;
      let e = this.pos;
      for (; e < lim; e++) {
        const c = text.charCodeAt(e);
        if (c === C_DQUOTE || c === C_BACKSLASH || c === C_DOLLAR || c === C_BACKTICK) break;
      }
      this.pos = e;
      if (e >= lim) break;
      const c = text.charCodeAt(e);
      if (c === C_DQUOTE) {
        value += text.slice(verbatim, e);
        this.pos++;
        this.rExp = exp;
        return value;
      }
      if (c === C_BACKSLASH) {
        const n = this.code(e + 1);
        if (n === C_DOLLAR || n === C_BACKTICK || n === C_DQUOTE || n === C_BACKSLASH) {
          value += text.slice(verbatim, e) + text[e + 1];
          this.pos += 2;
          verbatim = this.pos;
        } else if (n === C_NL) {
          value += text.slice(verbatim, e);
          this.pos += 2;
          verbatim = this.pos;
        } else this.pos++; // the backslash stays
        continue;
      }
      if (c === C_DOLLAR) {
        // In double quotes every `$` form reads as written.
        this.readDollar(ctx, true);
        exp ||= this.rExp;
        continue;
      }
      this.readBacktick(ctx, true);
      exp = true;
    }
    this.error('Unterminated double quote.', s, s + 1);
    this.rExp = exp;
    return value + text.slice(verbatim, this.pos);
  }

  private readBacktick(ctx: Ctx, inDouble: boolean): void {
    const s = this.pos;
    let j = s + 1;
    while (j < this.lim && this.text[j] !== '`') j += this.text[j] === '\\' ? 2 : 1;
    const closed = j < this.lim;
    const end = Math.min(j, this.lim);
    const inner = mkCtx(ctx.depth + 1, true, ctx.inCond);
    const savedLim = this.lim;
    const escapable = inDouble ? '`$\\"' : '`$\\';
    if ((inDouble ? /\\[`$\\"]/ : /\\[`$\\]/).test(this.text.slice(s + 1, end))) {
      // Escaped backticks nest: parse the unescaped text and map its offsets back.
      this.parseUnescaped(inner, s + 1, end, escapable);
    } else {
      const savedStops = this.stopStack;
      const savedPending = this.pending;
      this.lim = end;
      this.stopStack = [];
      this.pending = [];
      this.pos = s + 1;
      try {
        this.parseList(inner, EMPTY);
      } finally {
        this.lim = savedLim;
        this.stopStack = savedStops;
        this.pending = savedPending;
      }
    }
    this.pos = closed ? end + 1 : savedLim;
    if (!closed) this.error('Unterminated backtick command substitution.', s, s + 1);
    this.subs.push({ kind: 'backtick', start: s, end: this.pos, quoted: inDouble });
  }

  /**
   * Inside backticks `\``, `\$` and `\\` lose their backslash before the text is parsed: parse that text
   * with a parser of its own, then move what it found to the offsets of this text.
   */
  private parseUnescaped(ctx: Ctx, start: number, end: number, escapable: string): void {
    let u = '';
    // Where each character of the unescaped text starts (its backslash) and ends in this text.
    const starts: number[] = [];
    const map: number[] = [];
    for (let k = start; k < end; k++) {
      starts.push(k);
      if (this.text[k] === '\\' && k + 1 < end && escapable.includes(this.text[k + 1])) k++;
      u += this.text[k];
      map.push(k);
    }
    starts.push(end);
    map.push(end);
    const sub = new Parser(u, this.dialect);
    sub.nesting = this.nesting;
    sub.parseList(ctx, EMPTY);
    const at = (i: number) => map[Math.min(Math.max(i, 0), map.length - 1)];
    const span = <T extends { start: number; end: number }>(x: T): T => {
      const a = starts[Math.min(Math.max(x.start, 0), starts.length - 1)];
      const b = x.end > x.start ? at(x.end - 1) + 1 : at(x.end);
      x.start = a;
      x.end = Math.max(a, b);
      return x;
    };
    const word = (w: MWord) => {
      span(w);
      w.raw = this.text.slice(w.start, w.end);
      for (const v of w.unquotedVars) span(v);
    };
    for (const c of sub.commands) {
      span(c);
      for (const w of c.assignments) word(w);
      if (c.name) word(c.name);
      for (const w of c.args) word(w);
      for (const r of c.redirects) {
        span(r);
        if (r.target) word(r.target);
        if (r.heredoc?.body) span(r.heredoc.body);
      }
      this.commands.push(c);
    }
    for (const p of sub.pipelines) {
      span(p);
      for (const x of p.pipes) span(x);
      this.pipelines.push(p);
    }
    for (const b of sub.bashisms) this.bashisms.push(span(b));
    for (const e of sub.errors) this.errors.push(span({ ...e }));
    for (const x of sub.subs) this.subs.push(span({ ...x }));
  }

  /** The commands of `$(...)` or `<(...)`, up to (not including) the closing `)`. */
  private parseSubstitutionBody(ctx: Ctx): void {
    const savedStops = this.stopStack;
    this.stopStack = [];
    try {
      this.parseList(mkCtx(ctx.depth + 1, true, ctx.inCond), STOP_PAREN);
    } finally {
      this.stopStack = savedStops;
    }
  }

  /** Set by readDollar: the unquoted variable it read (undefined in double quotes). */
  private rVar: Var | undefined;

  /** Sets rExp / rQuoted / rVar and returns `value`. */
  private ret<T extends string | undefined>(value: T, exp: boolean, quoted: boolean, v?: Var): T {
    this.rExp = exp;
    this.rQuoted = quoted;
    this.rVar = v;
    return value;
  }

  /**
   * `$...` at the position: parameter, substitution, arithmetic, `$'...'`, or a lone `$`. Returns its
   * value, or undefined when the value is the text read as written (all but `$'...'` and `$"..."`);
   * rExp / rQuoted tell whether it is an expansion and whether it is quoted (`$'...'`, `$"..."`).
   */
  private readDollar(ctx: Ctx, inDouble: boolean): string | undefined {
    const text = this.text;
    const s = this.pos;
    const n = this.code(s + 1);
    if (n === C_LPAREN) {
      if (this.code(s + 2) === C_LPAREN) {
        const e = this.arithEnd(s + 3);
        if (e >= 0) {
          this.pos = e;
          this.subs.push({ kind: 'arithmetic', start: s, end: e, quoted: inDouble });
          return this.ret(undefined, true, false);
        }
      }
      this.pos = s + 2;
      this.parseSubstitutionBody(ctx);
      if (this.code(this.pos) === C_RPAREN) this.pos++;
      else this.error("'$(' without matching ')'.", s, s + 2);
      this.subs.push({ kind: 'command', start: s, end: this.pos, quoted: inDouble });
      return this.ret(undefined, true, false);
    }
    if (n === C_LBRACE) return this.readBraced(ctx, inDouble);
    if (n === C_SQUOTE && !inDouble) {
      let j = s + 2;
      let v = '';
      while (j < this.lim && text[j] !== "'") {
        if (text[j] === '\\' && j + 1 < this.lim) {
          const e = text[j + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '\\' || e === "'" || e === '"' ? e : '\\' + e;
          j += 2;
        } else v += text[j++];
      }
      if (j >= this.lim) this.error("Unterminated $'...' string.", s, s + 2);
      this.pos = Math.min(j + 1, this.lim);
      this.bashism("$'...'", s, this.pos);
      return this.ret(v, false, true);
    }
    if (n === C_DQUOTE && !inDouble) {
      this.pos = s + 1;
      this.bashism('$"..."', s, s + 2);
      const value = this.readDouble(ctx);
      return this.ret(value, this.rExp, true);
    }
    if (has(n, F_NAME_START)) {
      let e = s + 2;
      while (e < this.lim && has(text.charCodeAt(e), F_NAME)) e++;
      this.pos = e;
      return this.ret(undefined, true, false, inDouble ? undefined : { name: text.slice(s + 1, e), start: s, end: e });
    }
    if (SPECIAL_PARAM.has(n)) {
      this.pos = s + 2;
      const listed = !inDouble && (has(n, F_DIGIT) || n === C_AT || n === C_STAR);
      return this.ret(undefined, true, false, listed ? { name: text[s + 1], start: s, end: s + 2 } : undefined);
    }
    this.pos = s + 1;
    return this.ret(undefined, false, false);
  }

  /** `${...}`: reads as written (returns undefined, as readDollar). */
  private readBraced(ctx: Ctx, inDouble: boolean): undefined {
    const text = this.text;
    const s = this.pos;
    let k = s + 2;
    let length = false;
    if (this.code(k) === C_HASH && this.code(k + 1) !== C_RBRACE) {
      length = true;
      k++;
    } else if (this.code(k) === C_BANG && this.code(k + 1) !== C_RBRACE) {
      this.bashism('${!...}', s, k + 1);
      k++;
    }
    let nameEnd = k;
    // Whether the name is one unquotedVars lists: an identifier, digits, `@` or `*`.
    let listed = false;
    const first = this.code(k);
    if (has(first, F_NAME_START)) {
      while (nameEnd < this.lim && has(text.charCodeAt(nameEnd), F_NAME)) nameEnd++;
      listed = true;
    } else if (has(first, F_DIGIT)) {
      while (nameEnd < this.lim && has(text.charCodeAt(nameEnd), F_DIGIT)) nameEnd++;
      listed = true;
    } else if (SPECIAL_PARAM.has(first) && !has(first, F_DIGIT)) {
      nameEnd++;
      listed = first === C_AT || first === C_STAR;
    }
    const op = this.at(nameEnd);
    if (op === '[') this.bashism('array', s, nameEnd + 1);
    else if (op === ':' && !/[-=?+]/.test(this.at(nameEnd + 1))) this.bashism('${var:offset}', s, nameEnd + 1);
    else if (op === '/') this.bashism('${var/pattern/replacement}', s, nameEnd + 1);
    else if (op === '^' || op === ',') this.bashism('${var^} case modification', s, nameEnd + 1);
    else if (op === '@') this.bashism('${var@op}', s, nameEnd + 1);
    // Scan to the matching `}`: nested expansions are parsed (their commands count).
    this.pos = nameEnd;
    let depth = 0;
    while (this.pos < this.lim) {
      const c = text.charCodeAt(this.pos);
      if (c === C_RBRACE) {
        if (depth === 0) break;
        depth--;
        this.pos++;
      } else if (c === C_LBRACE) {
        depth++;
        this.pos++;
      } else if (c === C_BACKSLASH) this.pos += 2;
      else if (c === C_DOLLAR) this.readDollar(ctx, true);
      else if (c === C_BACKTICK) this.readBacktick(ctx, true);
      else if (c === C_DQUOTE) this.readDouble(ctx);
      else if (c === C_SQUOTE && !inDouble) {
        const j = text.indexOf("'", this.pos + 1);
        this.pos = j < 0 || j >= this.lim ? this.lim : j + 1;
      } else this.pos++;
    }
    if (this.pos >= this.lim) {
      this.pos = this.lim;
      this.error("'${' without matching '}'.", s, s + 2);
    } else this.pos++;
    return this.ret(undefined, true, false, !inDouble && listed && !length ? { name: text.slice(k, nameEnd), start: s, end: this.pos } : undefined);
  }
}

function byPos(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || b.end - a.end;
}

/**
 * Sorts by position in place, stably (so as Array.prototype.sort does). The arrays come nearly sorted
 * (nested commands are added before the command around them): an insertion sort, without allocating.
 * Past a number of moves (deep nesting), the built-in sort takes over.
 */
function sortByPos<T extends { start: number; end: number }>(xs: T[]): T[] {
  let budget = 8 * xs.length + 64;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    let j = i - 1;
    if (byPos(xs[j], x) <= 0) continue;
    while (j >= 0 && byPos(xs[j], x) > 0) {
      xs[j + 1] = xs[j];
      j--;
      if (--budget < 0) {
        // Put x back where the scan left a gap (the prefix stays a permutation), then sort.
        xs[j + 1] = x;
        return xs.sort(byPos);
      }
    }
    xs[j + 1] = x;
  }
  return xs;
}

/** `xs` with `x` added: a first element makes an array of one (push would reserve room for 16). */
function add<T>(xs: T[], x: T): T[] {
  if (xs.length === 0) return [x];
  xs.push(x);
  return xs;
}

function literalWord(raw: string, start: number): MWord {
  return { raw, value: raw, start, end: start + raw.length, quoted: false, hasExpansion: false, unquotedVars: NONE };
}
