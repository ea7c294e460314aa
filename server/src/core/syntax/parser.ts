/**
 * The Dockerfile parser. It follows BuildKit's frontend (parser.Parse and the per-instruction
 * argument parsers) line for line, but it never throws: where BuildKit stops with an error, this
 * parser records a problem and carries on, so that every other check still runs.
 */
import type {
  Comment,
  Directive,
  DockerfileAst,
  Flag,
  Heredoc,
  Instruction,
  JsonArray,
  KeyValue,
  LogicalText,
  ParseProblem,
  ShellText,
  Span,
  Word,
} from './ast';
import { LogicalLineBuilder } from './logical';
import {
  extractFlags,
  isFieldSpace,
  isSpace,
  parseWords,
  type RawWord,
  scanJsonStrings,
  shellWords,
  skipSpace,
  splitFields,
  trimEnd,
  unquoteWord,
} from './words';

const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const DIRECTIVE_RE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const HEREDOC_RE = /^(\d*)<<(-?)([^<]*)$/;
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);

interface PhysicalLine {
  start: number;
  /** End of content: before "\n" and before a "\r" that precedes it. */
  end: number;
}

function splitLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ start, end: text.length });
      break;
    }
    lines.push({ start, end: nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl });
    start = nl + 1;
  }
  return lines;
}

/** Parses a Dockerfile. Never throws. */
export function parse(text: string): DockerfileAst {
  return new Parser(text).run();
}

class Parser {
  private readonly lines: PhysicalLine[];
  private readonly lineStarts: number[];
  private escape: '\\' | '`' = '\\';
  private continuationRe = /\\[ \t]*$/;
  private readonly directives: Directive[] = [];
  private readonly comments: Comment[] = [];
  private readonly instructions: Instruction[] = [];
  private readonly problems: ParseProblem[] = [];
  private directivesDone = false;
  private readonly seenDirectives = new Set<string>();

  constructor(private readonly text: string) {
    this.lines = splitLines(text);
    this.lineStarts = this.lines.map((l) => l.start);
  }

  run(): DockerfileAst {
    const { text, lines } = this;
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      const contentStart = i === 0 ? Math.min(line.start + bom, line.end) : line.start;
      if (!this.directivesDone) this.directive(contentStart, line.end);
      const first = Math.min(skipSpace(text, contentStart), line.end);
      if (first < line.end && text[first] === '#') {
        this.comments.push({ text: text.slice(first + 1, line.end), range: { start: first, end: line.end }, insideInstruction: false });
        i++;
        continue;
      }
      const builder = new LogicalLineBuilder();
      const emptyLines: Span[] = [];
      let contEnd = this.continuation(first, line.end);
      if (contEnd === undefined && first >= line.end) {
        i++;
        continue;
      }
      builder.append(text, first, contEnd ?? line.end);
      const startLine = i;
      while (contEnd !== undefined && i + 1 < lines.length) {
        i++;
        const l = lines[i];
        const nonSpace = Math.min(skipSpace(text, l.start), l.end);
        if (nonSpace < l.end && text[nonSpace] === '#') {
          this.comments.push({ text: text.slice(nonSpace + 1, l.end), range: { start: nonSpace, end: l.end }, insideInstruction: true });
          continue;
        }
        if (nonSpace >= l.end) {
          emptyLines.push({ start: l.start, end: l.end });
          continue;
        }
        contEnd = this.continuation(l.start, l.end);
        builder.append(text, l.start, contEnd ?? l.end);
      }
      const logical = builder.build();
      const lastLine = i;
      const instruction = this.instruction(logical, 0, startLine, lastLine, emptyLines);
      if (!instruction) {
        i++;
        continue;
      }
      // Heredoc bodies follow the instruction's last line.
      const heredocs = this.heredocMarkers(instruction);
      const bodies: Heredoc[] = [];
      for (const marker of heredocs) {
        const bodyStart = i + 1 < lines.length ? lines[i + 1].start : text.length;
        let terminated: Span | undefined;
        let bodyEnd = bodyStart;
        while (i + 1 < lines.length) {
          i++;
          const l = lines[i];
          let s = l.start;
          if (marker.chomp) while (s < l.end && text[s] === '\t') s++;
          if (text.slice(s, l.end) === marker.name) {
            terminated = { start: l.start, end: l.end };
            break;
          }
          bodyEnd = i + 1 < lines.length ? lines[i + 1].start : text.length;
        }
        if (!terminated) {
          this.problems.push({
            code: 'UnterminatedHeredoc',
            message: `Unterminated heredoc: no line "${marker.name}" ends the here-document started here.`,
            range: marker.markerRange,
          });
          bodyEnd = text.length;
        }
        const rawBody = text.slice(bodyStart, bodyEnd);
        const body = rawBody.length === 0 ? '' : normalizeBody(rawBody);
        bodies.push({ ...marker, body, bodyRange: { start: bodyStart, end: bodyEnd }, terminatorRange: terminated });
      }
      const target = instruction.trigger ?? instruction;
      Object.assign(target, { heredocs: bodies });
      if (bodies.length > 0) {
        const endLine = i;
        const last = lines[endLine];
        const full = { start: instruction.range.start, end: last.end };
        Object.assign(instruction, { fullRange: full, endLine });
        if (instruction.trigger) Object.assign(instruction.trigger, { fullRange: full, endLine });
      }
      this.instructions.push(instruction);
      i++;
    }
    return {
      text,
      escape: this.escape,
      directives: this.directives,
      comments: this.comments,
      instructions: this.instructions,
      problems: this.problems,
      lineStarts: this.lineStarts,
    };
  }

  /** Handles a possible parser directive; marks the directive section done at the first other line. */
  private directive(start: number, end: number): void {
    const s = skipSpace(this.text, start);
    const m = DIRECTIVE_RE.exec(this.text.slice(s, end));
    if (!m) {
      this.directivesDone = true;
      return;
    }
    const name = m[1].toLowerCase();
    const nameStart = s + m[0].indexOf(m[1]);
    const eq = this.text.indexOf('=', nameStart + m[1].length);
    const valueStart = skipSpace(this.text, eq + 1);
    const valueEnd = valueStart + m[2].length;
    const known = KNOWN_DIRECTIVES.has(name);
    const directive: Directive = {
      name,
      known,
      value: m[2],
      range: { start: s, end },
      nameRange: { start: nameStart, end: nameStart + m[1].length },
      valueRange: { start: valueStart, end: valueEnd },
    };
    if (!known) {
      this.directives.push(directive);
      return;
    }
    if (this.seenDirectives.has(name)) {
      this.problems.push({ code: 'DuplicateDirective', message: `Only one ${name} parser directive can be used.`, range: directive.range });
      this.directives.push(directive);
      return;
    }
    this.seenDirectives.add(name);
    this.directives.push(directive);
    if (name === 'escape') {
      if (m[2] === '\\' || m[2] === '`') {
        this.escape = m[2];
        this.continuationRe = m[2] === '`' ? /`[ \t]*$/ : /\\[ \t]*$/;
      } else {
        this.problems.push({
          code: 'InvalidEscape',
          message: `Invalid escape token '${m[2]}': it must be \\ or \`.`,
          range: directive.valueRange,
        });
      }
    }
  }

  /** End of content before a line-continuation escape, or undefined when the line does not continue. */
  private continuation(start: number, end: number): number | undefined {
    const m = this.continuationRe.exec(this.text.slice(start, end));
    return m ? start + m.index : undefined;
  }

  /** Parses one logical line into an instruction (BuildKit's newNodeFromLine). */
  private instruction(
    logical: LogicalText,
    from: number,
    startLine: number,
    endLine: number,
    emptyLines: Span[],
  ): Instruction | undefined {
    const t = logical.text;
    const kwStart = skipSpace(t, from);
    const lineEnd = trimEnd(t, kwStart, t.length);
    if (kwStart >= lineEnd) return undefined;
    let kwEnd = kwStart;
    while (kwEnd < lineEnd && !isFieldSpace(t[kwEnd])) kwEnd++;
    const keywordRaw = t.slice(kwStart, kwEnd);
    const keyword = keywordRaw.toUpperCase();
    let restStart = kwEnd;
    while (restStart < lineEnd && isFieldSpace(t[restStart])) restStart++;
    let flagWords: RawWord[] = [];
    let argsStart = lineEnd;
    if (restStart < lineEnd) {
      const fw = extractFlags(t.slice(0, lineEnd), restStart);
      flagWords = fw.flags;
      argsStart = skipSpace(t, fw.rest);
    }
    const flags = flagWords.map((w) => this.flag(logical, w));
    const argsEnd = lineEnd;
    const argsText = argsStart < argsEnd ? t.slice(argsStart, argsEnd) : '';
    const argsRange = argsStart < argsEnd ? logical.spanOf(argsStart, argsEnd) : undefined;
    const span = logical.spanOf(kwStart, lineEnd);
    let args: RawWord[] = [];
    let json: JsonArray | undefined;
    let shell: ShellText | undefined;
    let pairs: KeyValue[] | undefined;
    let trigger: Instruction | undefined;
    const word = (w: RawWord): Word => ({ value: w.value, range: logical.spanOf(w.start, w.end), logicalStart: w.start });

    switch (keyword) {
      case 'FROM':
      case 'EXPOSE':
        args = splitFields(t, argsStart, argsEnd);
        break;
      case 'ADD':
      case 'COPY':
      case 'VOLUME': {
        json = this.json(logical, argsStart, argsEnd, span);
        if (!json) args = splitFields(t, argsStart, argsEnd);
        break;
      }
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
      case 'SHELL': {
        if (argsStart < argsEnd) {
          json = this.json(logical, argsStart, argsEnd, span);
          if (!json) shell = { text: argsText, range: argsRange!, logicalStart: argsStart };
        }
        break;
      }
      case 'HEALTHCHECK': {
        if (argsStart < argsEnd) {
          let sep = argsStart;
          while (sep < argsEnd && !isSpace(t[sep])) sep++;
          args = [{ value: t.slice(argsStart, sep), start: argsStart, end: sep }];
          const next = skipSpace(t, sep);
          if (next < argsEnd) {
            json = this.json(logical, next, argsEnd, span);
            if (!json) shell = { text: t.slice(next, argsEnd), range: logical.spanOf(next, argsEnd), logicalStart: next };
          }
        }
        break;
      }
      case 'ENV':
      case 'LABEL':
        pairs = this.nameValues(logical, keyword, argsStart, argsEnd, span);
        break;
      case 'ARG': {
        args = parseWords(t, argsStart, argsEnd, this.escape);
        pairs = args.map((w) => {
          const eq = w.value.indexOf('=');
          const rawEq = t.indexOf('=', w.start);
          if (eq === -1) {
            const r = logical.spanOf(w.start, w.end);
            return { key: w.value, keyRange: r, value: undefined, valueRange: undefined, valueLogicalStart: undefined, hasEquals: false, range: r };
          }
          return {
            key: w.value.slice(0, eq),
            keyRange: logical.spanOf(w.start, rawEq),
            value: w.value.slice(eq + 1),
            valueRange: logical.spanOf(rawEq + 1, w.end),
            valueLogicalStart: rawEq + 1,
            hasEquals: true,
            range: logical.spanOf(w.start, w.end),
          };
        });
        break;
      }
      case 'MAINTAINER':
      case 'WORKDIR':
      case 'USER':
      case 'STOPSIGNAL':
        if (argsStart < argsEnd) args = [{ value: argsText, start: argsStart, end: argsEnd }];
        break;
      case 'ONBUILD':
        if (argsStart < argsEnd) {
          trigger = this.instruction(logical, argsStart, startLine, endLine, []);
          if (trigger) args = [{ value: trigger.keywordRaw, start: argsStart, end: argsStart + trigger.keywordRaw.length }];
        }
        break;
      default:
        break;
    }

    return {
      keyword,
      keywordRaw,
      keywordRange: logical.spanOf(kwStart, kwEnd),
      range: span,
      fullRange: span,
      startLine,
      endLine,
      flags,
      argsText,
      argsRange,
      args: args.map(word),
      json,
      shell,
      pairs,
      heredocs: [],
      trigger,
      emptyContinuationLines: emptyLines,
      logical,
    };
  }

  private flag(logical: LogicalText, w: RawWord): Flag {
    const raw = logical.text.slice(w.start, w.end);
    const eqValue = w.value.indexOf('=');
    const rawEq = raw.indexOf('=');
    const range = logical.spanOf(w.start, w.end);
    if (eqValue === -1 || rawEq === -1) {
      return {
        name: w.value.replace(/^--/, ''),
        value: undefined,
        range,
        nameRange: logical.spanOf(w.start + 2, w.end),
        valueRange: undefined,
        rawValue: undefined,
        valueLogicalStart: undefined,
      };
    }
    return {
      name: w.value.slice(2, eqValue),
      value: w.value.slice(eqValue + 1),
      range,
      nameRange: logical.spanOf(w.start + 2, w.start + rawEq),
      valueRange: logical.spanOf(w.start + rawEq + 1, w.end),
      rawValue: raw.slice(rawEq + 1),
      valueLogicalStart: w.start + rawEq + 1,
    };
  }

  /** BuildKit's parseJSON: an array of strings, or undefined for shell form. Non-string items are an error. */
  private json(logical: LogicalText, start: number, end: number, span: Span): JsonArray | undefined {
    const t = logical.text;
    const s = skipSpace(t, start);
    if (t[s] !== '[') return undefined;
    const body = t.slice(s, end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed)) return undefined;
    if (parsed.some((v) => typeof v !== 'string')) {
      this.problems.push({
        code: 'JsonNotStringArray',
        message: 'When using JSON array syntax, arrays must be comprised of strings only.',
        range: logical.spanOf(s, end),
      });
      return { items: [], range: logical.spanOf(s, end) };
    }
    const items = scanJsonStrings(t.slice(0, end), s) ?? [];
    void span;
    return {
      items: items.map((w) => ({ value: w.value, range: logical.spanOf(w.start, w.end), logicalStart: w.start })),
      range: logical.spanOf(s, end),
    };
  }

  /** BuildKit's parseNameVal for ENV and LABEL, both the `k=v ...` and the legacy `k v` form. */
  private nameValues(logical: LogicalText, keyword: string, start: number, end: number, span: Span): KeyValue[] {
    const t = logical.text;
    const words = parseWords(t, start, end, this.escape);
    if (words.length === 0) return [];
    if (!words[0].value.includes('=')) {
      let sep = start;
      while (sep < end && !isFieldSpace(t[sep])) sep++;
      let vs = sep;
      while (vs < end && isFieldSpace(t[vs])) vs++;
      if (vs >= end) {
        this.problems.push({ code: 'KeyValueSyntax', message: `${keyword} must have two arguments.`, range: span });
        return [];
      }
      return [
        {
          key: t.slice(start, sep),
          keyRange: logical.spanOf(start, sep),
          value: t.slice(vs, end),
          valueRange: logical.spanOf(vs, end),
          valueLogicalStart: vs,
          hasEquals: false,
          range: logical.spanOf(start, end),
        },
      ];
    }
    const out: KeyValue[] = [];
    for (const w of words) {
      const eq = w.value.indexOf('=');
      if (eq === -1) {
        this.problems.push({
          code: 'KeyValueSyntax',
          message: `Syntax error - can't find = in "${w.value}". Must be of the form: name=value.`,
          range: logical.spanOf(w.start, w.end),
        });
        continue;
      }
      const rawEq = t.indexOf('=', w.start);
      out.push({
        key: w.value.slice(0, eq),
        keyRange: logical.spanOf(w.start, rawEq),
        value: w.value.slice(eq + 1),
        valueRange: logical.spanOf(rawEq + 1, w.end),
        valueLogicalStart: rawEq + 1,
        hasEquals: true,
        range: logical.spanOf(w.start, w.end),
      });
    }
    return out;
  }

  /** Heredoc markers (`<<EOF`, `<<-"EOF"`) in a RUN/COPY/ADD line, as BuildKit's heredocsFromLine finds them. */
  private heredocMarkers(ins: Instruction): Omit<Heredoc, 'body' | 'bodyRange' | 'terminatorRange'>[] {
    const target = ins.trigger ?? ins;
    if (!HEREDOC_INSTRUCTIONS.has(target.keyword) || target.json) return [];
    const t = ins.logical.text;
    if (!t.includes('<<')) return [];
    const out: Omit<Heredoc, 'body' | 'bodyRange' | 'terminatorRange'>[] = [];
    for (const w of shellWords(t, 0, t.length)) {
      const m = HEREDOC_RE.exec(w.value);
      if (!m || m[3].length === 0) continue;
      const { value: name, quoted } = unquoteWord(m[3]);
      if (name.length === 0 || /\s/.test(name)) {
        if (name.length === 0) continue;
        this.problems.push({ code: 'InvalidHeredoc', message: `Invalid heredoc delimiter "${m[3]}".`, range: ins.logical.spanOf(w.start, w.end) });
        continue;
      }
      out.push({
        name,
        expand: !quoted,
        chomp: m[2] === '-',
        fd: m[1] ? Number(m[1]) : undefined,
        markerRange: ins.logical.spanOf(w.start, w.end),
      });
    }
    return out;
  }
}

/** Heredoc content as BuildKit stores it: every line (CRLF folded to LF) followed by "\n". */
function normalizeBody(raw: string): string {
  const body = raw.replace(/\r\n/g, '\n');
  return body.endsWith('\n') ? body : body + '\n';
}
