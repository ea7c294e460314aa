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

interface Pending {
  redirect: MRedirect;
  delimiter: string;
  strip: boolean;
  ctx: Ctx;
}

/** Characters that end an unquoted word. */
const META = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '<', '>', '(', ')']);
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

  constructor(
    readonly text: string,
    readonly dialect: ShellDialect,
  ) {
    this.lim = text.length;
  }

  parseTop(): void {
    this.parseList({ depth: 0, inSub: false, inCond: false }, EMPTY);
  }

  result(dialect: ShellDialect): ShellScript {
    const byPos = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start - b.start || b.end - a.end;
    const n = this.text.length;
    const clamp = (e: ShParseError): ShParseError => ({ message: e.message, start: Math.min(Math.max(e.start, 0), n), end: Math.min(Math.max(e.end, e.start, 0), n) });
    return {
      text: this.text,
      commands: [...this.commands].sort(byPos),
      pipelines: [...this.pipelines].sort(byPos),
      bashisms: [...this.bashisms].sort(byPos),
      errors: this.errors.map(clamp).sort(byPos),
      substitutions: [...this.subs].sort(byPos),
      dialect,
    };
  }

  // ---------------------------------------------------------------- characters and tokens

  private at(i: number): string {
    return i < this.lim ? this.text[i] : '';
  }

  private readonly errorKeys = new Set<string>();

  private error(message: string, start: number, end: number): void {
    // One error per position is enough: recovery may revisit it.
    const key = `${start}:${message}`;
    if (this.errorKeys.has(key)) return;
    this.errorKeys.add(key);
    this.errors.push({ message, start, end: Math.max(start, end) });
  }

  private bashism(feature: string, start: number, end: number): void {
    this.bashisms.push({ feature, start, end });
  }

  /** The operator or the literal run of characters at the position ('EOF' at the end). */
  private tokenAt(): string {
    const p = this.pos;
    if (p >= this.lim) return 'EOF';
    const c = this.text[p];
    const c1 = this.at(p + 1);
    switch (c) {
      case ';':
        if (c1 === ';') return this.at(p + 2) === '&' ? ';;&' : ';;';
        return c1 === '&' ? ';&' : ';';
      case '&':
        if (c1 === '&') return '&&';
        if (c1 === '>') return this.at(p + 2) === '>' ? '&>>' : '&>';
        return '&';
      case '|':
        if (c1 === '|') return '||';
        return c1 === '&' ? '|&' : '|';
      case '(':
        return c1 === '(' ? '((' : '(';
      case ')':
      case '\n':
      case '<':
      case '>':
        return c;
      default: {
        let e = p;
        while (e < this.lim && !META.has(this.text[e])) e++;
        return this.text.slice(p, e);
      }
    }
  }

  private skipBlanks(): void {
    while (this.pos < this.lim) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.at(this.pos + 1) === '\n') this.pos += 2;
      else break;
    }
  }

  private skipComment(): void {
    if (this.at(this.pos) !== '#') return;
    while (this.pos < this.lim && this.text[this.pos] !== '\n') this.pos++;
  }

  /** Blanks, comments and newlines (where a command may continue on the next line). */
  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.at(this.pos);
      if (c === '#') this.skipComment();
      else if (c === '\n') this.consumeNewline();
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
      while (this.pos < this.lim) {
        const nl = this.text.indexOf('\n', this.pos);
        const lineEnd = nl < 0 || nl >= this.lim ? this.lim : nl;
        let line = this.text.slice(this.pos, lineEnd).replace(/\r$/, '');
        if (h.strip) line = line.replace(/^\t+/, '');
        const lineStart = this.pos;
        this.pos = lineEnd < this.lim ? lineEnd + 1 : this.lim;
        if (line === h.delimiter) {
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
    const none: Var[] = [];
    try {
      while (this.pos < this.lim) {
        const c = this.text[this.pos];
        if (c === '\\') this.pos += 2;
        else if (c === '$') this.readDollar(ctx, true, none);
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
    for (const s of this.stopStack) if (s.has(tok)) return true;
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
        if (tok === 'EOF' || this.isStop(tok, stops)) return;
        if (CLOSERS.has(tok) || OPERATORS.has(tok)) {
          this.error(`Unexpected '${tok}'.`, this.pos, this.pos + tok.length);
          this.pos += tok.length;
          prevConn = undefined;
          prevPipe = undefined;
          continue;
        }
        // An and-or list.
        const chain: { p: MPipeline; from: number; to: number }[] = [];
        for (;;) {
          const from = this.commands.length;
          const p = this.parsePipeline(ctx);
          if (!p) break;
          p.prev = prevConn;
          if (prevPipe) {
            prevPipe.following = p;
            p.preceding = prevPipe;
          }
          chain.push({ p, from, to: this.commands.length });
          prevPipe = p;
          this.skipBlanks();
          this.skipComment();
          const t2 = this.tokenAt();
          if (t2 === '&&' || t2 === '||') {
            p.next = t2;
            const opStart = this.pos;
            this.pos += 2;
            this.skipLinebreaks();
            prevConn = t2;
            const t3 = this.tokenAt();
            if (t3 === 'EOF' || this.isStop(t3, stops) || CLOSERS.has(t3) || OPERATORS.has(t3)) {
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
            if (t2 !== 'EOF' && !this.isStop(t2, stops) && !CLOSERS.has(t2) && !OPERATORS.has(t2)) {
              // e.g. `(a) b` or `fi x`: a word where an operator must come.
              this.error(`Unexpected '${t2.length > 20 ? t2.slice(0, 20) + '…' : t2}' after a command.`, this.pos, this.pos + Math.max(1, t2.length));
              prevPipe = undefined;
            }
          }
          break;
        }
        // Failure is handled for every pipeline left of a `||` in the chain.
        let handled = false;
        for (let i = chain.length - 1; i >= 0; i--) {
          if (chain[i].p.next === '||') handled = true;
          if (handled || chain[i].p.negated) for (let k = chain[i].from; k < chain[i].to; k++) this.commands[k].inCondition = true;
        }
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
    const p: MPipeline = { commands: [], negated, start, end: this.pos, next: undefined, prev: undefined, pipes: [], depth: ctx.depth, preceding: undefined, following: undefined };
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
        p.pipes.push({ start: this.pos, end: this.pos + tok.length });
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
      const inner: Ctx = { depth: ctx.depth + 1, inSub: ctx.inSub, inCond: ctx.inCond };
      switch (tok) {
        case 'if':
          return this.withRedirects(ctx, this.parseIf(inner));
        case 'while':
        case 'until':
          return this.withRedirects(ctx, this.parseWhile(inner, tok));
        case 'for':
        case 'select':
          return this.withRedirects(ctx, this.parseFor(inner, tok));
        case 'case':
          return this.withRedirects(ctx, this.parseCase(inner));
        case '{':
          return this.withRedirects(ctx, this.parseGroup(inner));
        case '((':
          return this.withRedirects(ctx, this.parseArithCommand(inner));
        case '(':
          return this.withRedirects(ctx, this.parseSubshell(inner));
        case 'function':
          return this.parseFunction(ctx, p, true);
        default:
          break;
      }
      if (tok === 'EOF' || tok === '\n' || CLOSERS.has(tok) || OPERATORS.has(tok)) return -1;
      FUNCTION_DEF.lastIndex = this.pos;
      const m = FUNCTION_DEF.exec(this.text);
      if (m && m.index + m[0].length <= this.lim) return this.parseFunction(ctx, p, false);
      return this.parseSimple(ctx, p);
    } finally {
      this.nesting--;
    }
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
      assignments: [],
      name: undefined,
      args: [],
      redirects: [],
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
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.lim) break;
      const c = this.text[this.pos];
      if (c === '#') {
        this.skipComment();
        break;
      }
      if (dbl) {
        if (c === '\n' || c === ';') break;
        const two = this.text.slice(this.pos, this.pos + 2);
        if ((two === '&&' || two === '||') && (this.pos + 2 >= this.lim || /[\s]/.test(this.text[this.pos + 2]))) {
          cmd.args.push(literalWord(two, this.pos));
          this.pos += 2;
          cmd.end = this.pos;
          continue;
        }
        const w = this.readWord(ctx, true);
        if (!w) {
          this.pos++;
          continue;
        }
        cmd.args.push(w);
        cmd.end = w.end;
        if (w.raw === ']]') dbl = false;
        continue;
      }
      if (!this.isProcessSubst() && this.isRedirectStart()) {
        const r = this.parseRedirect(ctx);
        cmd.redirects.push(r);
        cmd.end = r.end;
        continue;
      }
      if (c === '(' && !this.isProcessSubst()) {
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
      if (META.has(c) && !this.isProcessSubst()) break;
      const declaring = cmd.name && !cmd.name.quoted && DECLARATIONS.has(cmd.name.value);
      if (!cmd.name || declaring) {
        ASSIGNMENT.lastIndex = this.pos;
        const m = ASSIGNMENT.exec(this.text);
        if (m && m.index + m[0].length <= this.lim && (!declaring || this.at(this.pos + m[0].length) === '(')) {
          // `declare -a a=(1 2)`: an array assignment is an argument of the declaration builtins.
          const w = this.readAssignment(ctx, m[0], m[1] !== undefined);
          if (declaring) cmd.args.push(w);
          else cmd.assignments.push(w);
          cmd.end = w.end;
          continue;
        }
      }
      const w = this.readWord(ctx, false);
      if (!w) {
        this.error(`Unexpected '${c}'.`, this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      cmd.end = w.end;
      if (!cmd.name) {
        cmd.name = w;
        if (w.raw === '[[') {
          dbl = true;
          dblStart = w.start;
          this.bashism('[[', w.start, w.end);
        }
      } else cmd.args.push(w);
    }
    if (dbl) this.error("'[[' without matching ']]'.", dblStart, dblStart + 2);
    if (!cmd.name && cmd.assignments.length === 0 && cmd.redirects.length === 0) return -1;
    this.commandBashisms(cmd);
    cmd.pipelineIndex = p.commands.length;
    p.commands.push(cmd);
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
      return { raw, value: raw, start, end: this.pos, quoted, hasExpansion: exp, unquotedVars: [] };
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
    const cond: Ctx = { ...ctx, inCond: true };
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
    this.parseList({ ...ctx, inCond: true }, STOP_DO);
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
          if (!this.readWord({ ...ctx, depth: ctx.depth - 1 }, false)) this.pos++;
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
    if (!this.readWord({ ...ctx, depth: ctx.depth - 1 }, false)) this.error("'case' needs a word to match.", s, s + 4);
    this.skipLinebreaks();
    if (!this.expect('in', 'case', s)) return this.pos;
    for (;;) {
      this.skipLinebreaks();
      const tok = this.tokenAt();
      if (tok === 'esac') {
        this.pos += 4;
        return this.pos;
      }
      if (tok === 'EOF' || this.isStop(tok, EMPTY)) break;
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
    const c = this.at(this.pos);
    return (c === '<' || c === '>') && this.at(this.pos + 1) === '(';
  }

  private isRedirectStart(): boolean {
    let p = this.pos;
    while (p < this.lim && this.text[p] >= '0' && this.text[p] <= '9') p++;
    const c = this.at(p);
    if (c === '<' || c === '>') return this.at(p + 1) !== '(';
    return p === this.pos && c === '&' && this.at(p + 1) === '>';
  }

  private parseRedirect(ctx: Ctx): MRedirect {
    const start = this.pos;
    while (this.pos < this.lim && this.text[this.pos] >= '0' && this.text[this.pos] <= '9') this.pos++;
    const ops = ['<<<', '<<-', '&>>', '<<', '<>', '<&', '>>', '>|', '>&', '&>', '<', '>'];
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
    const start = this.pos;
    let value = '';
    let lit = '';
    let quoted = false;
    let exp = false;
    const vars: Var[] = [];
    while (this.pos < this.lim) {
      const c = this.text[this.pos];
      if (c === '\\') {
        const n = this.at(this.pos + 1);
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (n === '') {
          value += '\\';
          lit += '\\';
          this.pos++;
          continue;
        }
        quoted = true;
        value += n;
        lit += '\0';
        this.pos += 2;
        continue;
      }
      if ((c === '<' || c === '>') && this.at(this.pos + 1) === '(') {
        const s = this.pos;
        this.pos += 2;
        this.parseSubstitutionBody(ctx);
        if (this.at(this.pos) === ')') this.pos++;
        else this.error(`'${c}(' without matching ')'.`, s, s + 2);
        this.bashism('process substitution', s, this.pos);
        this.subs.push({ kind: 'process', start: s, end: this.pos, quoted: false });
        value += this.text.slice(s, this.pos);
        lit += '\0';
        exp = true;
        continue;
      }
      if (loose ? c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';' : META.has(c)) break;
      if (c === "'") {
        const s = this.pos;
        let j = this.text.indexOf("'", s + 1);
        if (j < 0 || j >= this.lim) {
          this.error('Unterminated single quote.', s, s + 1);
          j = this.lim;
        }
        value += this.text.slice(s + 1, j);
        lit += '\0';
        quoted = true;
        this.pos = Math.min(j + 1, this.lim);
        continue;
      }
      if (c === '"') {
        const r = this.readDouble(ctx);
        value += r.value;
        lit += '\0';
        quoted = true;
        exp ||= r.exp;
        continue;
      }
      if (c === '`') {
        value += this.readBacktick(ctx, false);
        lit += '\0';
        exp = true;
        continue;
      }
      if (c === '$') {
        const r = this.readDollar(ctx, false, vars);
        value += r.value;
        lit += r.exp || r.quoted ? '\0' : '$';
        exp ||= r.exp;
        quoted ||= r.quoted;
        continue;
      }
      value += c;
      lit += c;
      this.pos++;
    }
    if (this.pos === start) return undefined;
    if (/\{[^{}\s]*,[^{}\s]*\}|\{[^{}\s]+\.\.[^{}\s]+\}/.test(lit)) {
      this.bashism('brace expansion', start, this.pos);
    }
    return { raw: this.text.slice(start, this.pos), value, start, end: this.pos, quoted, hasExpansion: exp, unquotedVars: vars };
  }

  private readDouble(ctx: Ctx): { value: string; exp: boolean } {
    const s = this.pos;
    this.pos++;
    let value = '';
    let exp = false;
    const none: Var[] = [];
    while (this.pos < this.lim) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return { value, exp };
      }
      if (c === '\\') {
        const n = this.at(this.pos + 1);
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          value += n;
          this.pos += 2;
        } else if (n === '\n') this.pos += 2;
        else {
          value += '\\';
          this.pos++;
        }
        continue;
      }
      if (c === '$') {
        const r = this.readDollar(ctx, true, none);
        value += r.value;
        exp ||= r.exp;
        continue;
      }
      if (c === '`') {
        value += this.readBacktick(ctx, true);
        exp = true;
        continue;
      }
      value += c;
      this.pos++;
    }
    this.error('Unterminated double quote.', s, s + 1);
    return { value, exp };
  }

  private readBacktick(ctx: Ctx, inDouble: boolean): string {
    const s = this.pos;
    let j = s + 1;
    while (j < this.lim && this.text[j] !== '`') j += this.text[j] === '\\' ? 2 : 1;
    const closed = j < this.lim;
    const end = Math.min(j, this.lim);
    const inner: Ctx = { depth: ctx.depth + 1, inSub: true, inCond: ctx.inCond };
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
    return this.text.slice(s, this.pos);
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
      this.parseList({ depth: ctx.depth + 1, inSub: true, inCond: ctx.inCond }, STOP_PAREN);
    } finally {
      this.stopStack = savedStops;
    }
  }

  /** `$...` at the position: parameter, substitution, arithmetic, `$'...'`, or a lone `$`. */
  private readDollar(ctx: Ctx, inDouble: boolean, vars: Var[]): { value: string; exp: boolean; quoted: boolean } {
    const s = this.pos;
    const n = this.at(s + 1);
    if (n === '(') {
      if (this.at(s + 2) === '(') {
        const e = this.arithEnd(s + 3);
        if (e >= 0) {
          this.pos = e;
          this.subs.push({ kind: 'arithmetic', start: s, end: e, quoted: inDouble });
          return { value: this.text.slice(s, e), exp: true, quoted: false };
        }
      }
      this.pos = s + 2;
      this.parseSubstitutionBody(ctx);
      if (this.at(this.pos) === ')') this.pos++;
      else this.error("'$(' without matching ')'.", s, s + 2);
      this.subs.push({ kind: 'command', start: s, end: this.pos, quoted: inDouble });
      return { value: this.text.slice(s, this.pos), exp: true, quoted: false };
    }
    if (n === '{') return this.readBraced(ctx, inDouble, vars);
    if (n === "'" && !inDouble) {
      let j = s + 2;
      let v = '';
      while (j < this.lim && this.text[j] !== "'") {
        if (this.text[j] === '\\' && j + 1 < this.lim) {
          const e = this.text[j + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '\\' || e === "'" || e === '"' ? e : '\\' + e;
          j += 2;
        } else v += this.text[j++];
      }
      if (j >= this.lim) this.error("Unterminated $'...' string.", s, s + 2);
      this.pos = Math.min(j + 1, this.lim);
      this.bashism("$'...'", s, this.pos);
      return { value: v, exp: false, quoted: true };
    }
    if (n === '"' && !inDouble) {
      this.pos = s + 1;
      this.bashism('$"..."', s, s + 2);
      const r = this.readDouble(ctx);
      return { value: r.value, exp: r.exp, quoted: true };
    }
    if (/[A-Za-z_]/.test(n)) {
      let e = s + 2;
      while (e < this.lim && /[A-Za-z0-9_]/.test(this.text[e])) e++;
      this.pos = e;
      if (!inDouble) vars.push({ name: this.text.slice(s + 1, e), start: s, end: e });
      return { value: this.text.slice(s, e), exp: true, quoted: false };
    }
    if (/[0-9@*#?$!-]/.test(n) && n !== '') {
      this.pos = s + 2;
      if (!inDouble && /[0-9@*]/.test(n)) vars.push({ name: n, start: s, end: s + 2 });
      return { value: this.text.slice(s, s + 2), exp: true, quoted: false };
    }
    this.pos = s + 1;
    return { value: '$', exp: false, quoted: false };
  }

  private readBraced(ctx: Ctx, inDouble: boolean, vars: Var[]): { value: string; exp: boolean; quoted: boolean } {
    const s = this.pos;
    let k = s + 2;
    let length = false;
    if (this.at(k) === '#' && this.at(k + 1) !== '}') {
      length = true;
      k++;
    } else if (this.at(k) === '!' && this.at(k + 1) !== '}') {
      this.bashism('${!...}', s, k + 1);
      k++;
    }
    let nameEnd = k;
    if (/[A-Za-z_]/.test(this.at(k))) {
      while (nameEnd < this.lim && /[A-Za-z0-9_]/.test(this.text[nameEnd])) nameEnd++;
    } else if (/[0-9]/.test(this.at(k))) {
      while (nameEnd < this.lim && /[0-9]/.test(this.text[nameEnd])) nameEnd++;
    } else if (/[@*#?$!-]/.test(this.at(k))) nameEnd++;
    const name = this.text.slice(k, nameEnd);
    const op = this.at(nameEnd);
    if (op === '[') this.bashism('array', s, nameEnd + 1);
    else if (op === ':' && !/[-=?+]/.test(this.at(nameEnd + 1))) this.bashism('${var:offset}', s, nameEnd + 1);
    else if (op === '/') this.bashism('${var/pattern/replacement}', s, nameEnd + 1);
    else if (op === '^' || op === ',') this.bashism('${var^} case modification', s, nameEnd + 1);
    else if (op === '@') this.bashism('${var@op}', s, nameEnd + 1);
    // Scan to the matching `}`: nested expansions are parsed (their commands count).
    this.pos = nameEnd;
    let depth = 0;
    const none: Var[] = [];
    while (this.pos < this.lim) {
      const c = this.text[this.pos];
      if (c === '}') {
        if (depth === 0) break;
        depth--;
        this.pos++;
      } else if (c === '{') {
        depth++;
        this.pos++;
      } else if (c === '\\') this.pos += 2;
      else if (c === '$') this.readDollar(ctx, true, none);
      else if (c === '`') this.readBacktick(ctx, true);
      else if (c === '"') this.readDouble(ctx);
      else if (c === "'" && !inDouble) {
        const j = this.text.indexOf("'", this.pos + 1);
        this.pos = j < 0 || j >= this.lim ? this.lim : j + 1;
      } else this.pos++;
    }
    if (this.pos >= this.lim) {
      this.pos = this.lim;
      this.error("'${' without matching '}'.", s, s + 2);
    } else this.pos++;
    if (!inDouble && name && !length && /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*])$/.test(name)) vars.push({ name, start: s, end: this.pos });
    return { value: this.text.slice(s, this.pos), exp: true, quoted: false };
  }
}

function literalWord(raw: string, start: number): MWord {
  return { raw, value: raw, start, end: start + raw.length, quoted: false, hasExpansion: false, unquotedVars: [] };
}
