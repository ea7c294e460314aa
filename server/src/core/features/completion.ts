/**
 * Completion: what can be typed at an offset of a Dockerfile, as plain data with offset spans.
 *
 * Pure: it reads the cached analysis of the document version (never parses again) and gets the build
 * context and image names through callbacks (`listDir`, `ImageCompletionSource`), so the server, the
 * tests and any other host supply them. Each request does work linear in the size of the instruction at
 * the cursor plus, at most, one pass over the file's instructions.
 *
 * This file also holds the cursor analysis (`cursorAt`) that signature help shares.
 */
import type { Analysis } from '../analyze';
import type { DockerfileAst, Heredoc, Instruction, Span } from '../syntax/ast';
import type { SemanticModel, Stage, VarDecl } from '../semantic/model';
import { BUILDKIT_ARGS, PLATFORM_ARGS } from '../semantic/builtins';
import { parseImageRef } from '../semantic/image-ref';
import {
  DIRECTIVES,
  INSTRUCTION_BY_NAME,
  MOUNT_TYPES,
  NETWORK_MODES,
  SECURITY_MODES,
  SIGNALS,
  type FlagSpec,
  type InstructionSpec,
  type MountOption,
} from '../data/instructions';
import { RULES } from '../rules/index';
import type { Rule } from '../rules/types';
import { LineIndex } from '../text';

// ---------------------------------------------------------------------------------------------
// Public types

export type CompletionKind =
  | 'keyword'
  | 'flag'
  | 'value'
  | 'enum'
  | 'variable'
  | 'stage'
  | 'image'
  | 'tag'
  | 'file'
  | 'folder'
  | 'directive'
  | 'rule'
  | 'snippet';

/** One completion proposal. `range` is the text it replaces (the word being typed, up to the cursor). */
export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Plain text inserted in place of `range`. */
  readonly insertText: string;
  /** A snippet (VS Code syntax) to insert instead of `insertText` when the editor supports snippets. */
  readonly snippet?: string;
  readonly range: Span;
  readonly sortText: string;
  readonly filterText?: string;
  /** Ask the editor to suggest again right after inserting (e.g. after `--mount=`). */
  readonly retrigger?: boolean;
  readonly deprecated?: boolean;
}

/** A request for image names or tags, answered by an `ImageCompletionSource` (possibly asynchronously). */
export type ImageQuery =
  | { readonly kind: 'images'; readonly prefix: string; readonly range: Span }
  | { readonly kind: 'tags'; readonly repository: string; readonly prefix: string; readonly range: Span };

export interface CompletionResult {
  readonly items: CompletionEntry[];
  /** Set where an image name or tag is being typed: the host asks its image source and adds the answers. */
  readonly imageQuery?: ImageQuery;
}

export interface ImageSuggestion {
  /** An image name (`python`, `ghcr.io/org/app`) or a tag (`3.12-slim`). */
  readonly label: string;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
}

/**
 * Where image names and tags come from. The built-in source knows a few popular official images; a source
 * that asks registries can replace it without touching completion.
 */
export interface ImageCompletionSource {
  images(prefix: string): readonly ImageSuggestion[] | Promise<readonly ImageSuggestion[]>;
  tags(repository: string, prefix: string): readonly ImageSuggestion[] | Promise<readonly ImageSuggestion[]>;
}

export interface DirEntry {
  readonly name: string;
  readonly dir: boolean;
}

export interface CompletionOptions {
  /**
   * Lists a folder of the build context (`/`-separated, relative to the context root, '' for the root) with
   * .dockerignore applied; undefined when the folder cannot or may not be listed.
   */
  readonly listDir?: (relDir: string) => readonly DirEntry[] | undefined;
  /** The character that triggered completion, when one did. */
  readonly triggerCharacter?: string;
}

// ---------------------------------------------------------------------------------------------
// Cursor analysis (shared with signature help)

/** A word of an instruction's logical text before the cursor. Offsets are into `InstructionCursor.prefix`. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface InstructionCursor {
  readonly kind: 'instruction';
  /** The top-level instruction (the ONBUILD itself when typing its trigger). */
  readonly ins: Instruction;
  /** Upper-case keyword of the instruction whose arguments are being typed (the trigger's for ONBUILD). */
  readonly keyword: string;
  readonly keywordRaw: string;
  readonly onbuild: boolean;
  /** The instruction's logical text (continuations joined) from its keyword up to the cursor. */
  readonly prefix: string;
  /** Offset in `prefix` where the arguments of `keyword` start. */
  readonly restStart: number;
  /** Words after the keyword, the last being the one at the cursor (possibly empty). */
  readonly tokens: readonly Token[];
  readonly current: Token;
  /** Number of leading `--flag` words before the current one. */
  readonly flagCount: number;
  /** True when the current word may still be a flag (every word before it is one). */
  readonly inFlags: boolean;
  /** Index of the current word among the arguments after the flags. */
  readonly argIndex: number;
  readonly offset: number;
  /** Source offset of an offset in `prefix` (exact on the cursor's line, clamped to its start otherwise). */
  src(prefixIndex: number): number;
}

export type CursorContext =
  | InstructionCursor
  | { readonly kind: 'keyword'; readonly prefix: string; readonly start: number; readonly onbuild: boolean; readonly beforeFrom: boolean; readonly textAfter: boolean; readonly ins: Instruction | undefined }
  | { readonly kind: 'comment'; readonly lineStart: number; readonly inDirectiveArea: boolean }
  | { readonly kind: 'heredoc'; readonly ins: Instruction; readonly heredoc: Heredoc }
  | { readonly kind: 'none' };

const lineIndexes = new WeakMap<DockerfileAst, LineIndex>();

/** A line index over the analysed text, built once per analysis from the parser's line starts. */
export function lineIndexOf(ast: DockerfileAst): LineIndex {
  let idx = lineIndexes.get(ast);
  if (!idx) {
    idx = new LineIndex(ast.text, ast.lineStarts);
    lineIndexes.set(ast, idx);
  }
  return idx;
}

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** The last instruction starting on or before `line`, by binary search. */
function lastStartingBy(ast: DockerfileAst, line: number): Instruction | undefined {
  const list = ast.instructions;
  let lo = 0;
  let hi = list.length - 1;
  let found: Instruction | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].startLine <= line) {
      found = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The logical text of an instruction from `start` to `offset`: continuations, comment and blank lines removed. */
function logicalPrefix(text: string, start: number, offset: number, escape: string): string {
  const raw = text.slice(start, offset);
  if (!raw.includes('\n')) return raw;
  const lines = raw.split('\n');
  const cont = escape === '`' ? /`[ \t]*$/ : /\\[ \t]*$/;
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (i === lines.length - 1) {
      out += l;
      break;
    }
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (i > 0 && /^\s*(#|$)/.test(l)) continue;
    const m = cont.exec(l);
    out += m ? l.slice(0, m.index) : l;
  }
  return out;
}

/** Splits `s` from `from` into words on unquoted blanks; `open` when the last word runs to the end. */
export function tokenize(s: string, from: number): { tokens: Token[]; open: boolean } {
  const tokens: Token[] = [];
  let i = from;
  let open = false;
  while (i < s.length) {
    while (i < s.length && isBlank(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let quote = '';
    while (i < s.length) {
      const ch = s[i];
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === '\\' && quote === '"') i++;
        i++;
        continue;
      }
      if (isBlank(ch)) break;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '\\') i++;
      i++;
    }
    const end = Math.min(i, s.length);
    tokens.push({ text: s.slice(start, end), start, end });
    open = end >= s.length;
  }
  return { tokens, open };
}

/** What the cursor is in: a keyword being typed, an instruction's flags or arguments, a comment, a heredoc. */
export function cursorAt(analysis: Analysis, offset: number): CursorContext {
  const ast = analysis.ast;
  const text = ast.text;
  offset = Math.max(0, Math.min(offset, text.length));
  const idx = lineIndexOf(ast);
  const line = idx.lineAt(offset);
  const lineStart = idx.lineStarts[line];
  const before = text.slice(lineStart, offset);
  const firstNonBlank = before.search(/\S/);
  const isCommentLine = firstNonBlank !== -1 && before[firstNonBlank] === '#';
  const candidate = lastStartingBy(ast, line);
  const covered = candidate !== undefined && candidate.endLine >= line;
  const lineEndOffset = idx.lineEnd(line);
  const textAfter = text.slice(offset, lineEndOffset).trim().length > 0;
  const firstFrom = analysis.model.stages[0]?.from;
  if (covered) {
    const target = candidate.trigger ?? candidate;
    if (target.heredocs.length > 0 && offset >= target.heredocs[0].bodyRange.start) {
      const h = target.heredocs.find((d) => offset <= (d.terminatorRange?.end ?? d.bodyRange.end)) ?? target.heredocs[target.heredocs.length - 1];
      return { kind: 'heredoc', ins: candidate, heredoc: h };
    }
    if (isCommentLine && line > candidate.startLine) return { kind: 'comment', lineStart, inDirectiveArea: false };
    if (offset < candidate.range.start) {
      return { kind: 'keyword', prefix: '', start: offset, onbuild: false, beforeFrom: !firstFrom || firstFrom.range.start >= candidate.range.start, textAfter: true, ins: candidate };
    }
    const prefix = logicalPrefix(text, candidate.range.start, offset, ast.escape);
    const src = (i: number) => Math.max(lineStart, offset - (prefix.length - i));
    let kwEnd = 0;
    while (kwEnd < prefix.length && !isBlank(prefix[kwEnd])) kwEnd++;
    const beforeFrom = !firstFrom || firstFrom.range.start >= candidate.range.start;
    if (kwEnd >= prefix.length) {
      return { kind: 'keyword', prefix, start: candidate.range.start, onbuild: false, beforeFrom, textAfter, ins: candidate };
    }
    let keywordRaw = prefix.slice(0, kwEnd);
    let keyword = keywordRaw.toUpperCase();
    let restStart = kwEnd;
    while (restStart < prefix.length && isBlank(prefix[restStart])) restStart++;
    let onbuild = false;
    if (keyword === 'ONBUILD') {
      onbuild = true;
      let tEnd = restStart;
      while (tEnd < prefix.length && !isBlank(prefix[tEnd])) tEnd++;
      if (tEnd >= prefix.length) {
        return { kind: 'keyword', prefix: prefix.slice(restStart), start: src(restStart), onbuild: true, beforeFrom, textAfter, ins: candidate };
      }
      keywordRaw = prefix.slice(restStart, tEnd);
      keyword = keywordRaw.toUpperCase();
      restStart = tEnd;
      while (restStart < prefix.length && isBlank(prefix[restStart])) restStart++;
    }
    const { tokens: words, open } = tokenize(prefix, restStart);
    const tokens = open ? words : [...words, { text: '', start: prefix.length, end: prefix.length }];
    const current = tokens[tokens.length - 1];
    // Flags lead (BuildKit's extractBuilderFlags); a lone `--` ends them without being an argument.
    let flagCount = 0;
    let argIndex = 0;
    let flagsEnded = false;
    for (let i = 0; i < tokens.length - 1; i++) {
      const t = tokens[i].text;
      if (!flagsEnded && t === '--') flagsEnded = true;
      else if (!flagsEnded && t.startsWith('--')) flagCount++;
      else {
        flagsEnded = true;
        argIndex++;
      }
    }
    const inFlags = !flagsEnded;
    return { kind: 'instruction', ins: candidate, keyword, keywordRaw, onbuild, prefix, restStart, tokens, current, flagCount, inFlags, argIndex, offset, src };
  }
  if (isCommentLine) {
    const directiveLines = new Set(ast.directives.map((d) => idx.lineAt(d.range.start)));
    let inDirectiveArea = true;
    for (let l = 0; l < line && inDirectiveArea; l++) inDirectiveArea = directiveLines.has(l);
    return { kind: 'comment', lineStart, inDirectiveArea };
  }
  if (firstNonBlank === -1) {
    return { kind: 'keyword', prefix: '', start: offset, onbuild: false, beforeFrom: !firstFrom || firstFrom.range.start >= offset, textAfter, ins: undefined };
  }
  return { kind: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** Completion proposals at `offset` of an analysed Dockerfile. */
export function complete(analysis: Analysis, offset: number, options: CompletionOptions = {}): CompletionResult {
  const ctx = cursorAt(analysis, offset);
  offset = Math.max(0, Math.min(offset, analysis.text.length));
  // A space only opens the list where a value is expected, never while writing prose or indenting.
  if (options.triggerCharacter === ' ' && !(ctx.kind === 'instruction' || (ctx.kind === 'comment' && ctx.inDirectiveArea))) return { items: [] };
  switch (ctx.kind) {
    case 'keyword':
      return { items: keywordItems(analysis, ctx, offset) };
    case 'comment':
      return { items: commentItems(analysis, ctx.lineStart, offset, ctx.inDirectiveArea) };
    case 'heredoc': {
      const lineStart = lineIndexOf(analysis.ast).lineStarts[lineIndexOf(analysis.ast).lineAt(offset)];
      const before = analysis.text.slice(lineStart, offset);
      const v = variableAt(before);
      // RUN scripts are expanded by the shell whatever the delimiter's quoting; COPY bodies only when unquoted.
      const keyword = (ctx.ins.trigger ?? ctx.ins).keyword;
      if (!v || (!ctx.heredoc.expand && keyword !== 'RUN')) return { items: [] };
      return { items: variableItems(analysis.model, ctx.ins, { start: offset - v.name.length, end: offset }, v.braced && analysis.text[offset] !== '}') };
    }
    case 'instruction':
      return instructionItems(analysis, ctx, options);
    default:
      return { items: [] };
  }
}

/** Asks an image source for what an `ImageQuery` wants and turns the answers into entries. */
export async function imageCompletions(query: ImageQuery, source: ImageCompletionSource): Promise<CompletionEntry[]> {
  if (query.kind === 'images') {
    const found = await source.images(query.prefix);
    return found.map((s, i) => ({
      label: s.label,
      kind: 'image' as const,
      detail: s.detail,
      documentation: s.documentation,
      insertText: s.label,
      range: query.range,
      sortText: `3${pad(i)}`,
    }));
  }
  const found = await source.tags(query.repository, query.prefix);
  return found.map((s, i) => ({
    label: s.label,
    kind: 'tag' as const,
    detail: s.detail,
    documentation: s.documentation,
    insertText: s.label,
    range: query.range,
    sortText: `0${pad(i)}`,
  }));
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

// ---------------------------------------------------------------------------------------------
// Keywords

const KEYWORD_ORDER = [
  'RUN', 'COPY', 'ENV', 'WORKDIR', 'ARG', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'LABEL', 'ADD', 'HEALTHCHECK',
  'VOLUME', 'SHELL', 'STOPSIGNAL', 'ONBUILD', 'FROM', 'MAINTAINER',
];

/** Markdown documentation of an instruction: summary, syntax and a link to the reference. */
export function instructionDoc(spec: InstructionSpec): string {
  return `${spec.summary}\n\n\`\`\`dockerfile\n${spec.syntax.join('\n')}\n\`\`\`\n\n[Reference](${spec.url})`;
}

/** Whether the file writes its keywords in lower case (most of its instructions do). */
export function prefersLowerCase(ast: DockerfileAst, except?: Instruction): boolean {
  let lower = 0;
  let upper = 0;
  for (const ins of ast.instructions) {
    if (ins === except) continue;
    const raw = ins.keywordRaw;
    if (raw === raw.toLowerCase()) lower++;
    else if (raw === raw.toUpperCase()) upper++;
  }
  return lower > upper;
}

function keywordItems(analysis: Analysis, ctx: Extract<CursorContext, { kind: 'keyword' }>, offset: number): CompletionEntry[] {
  const ast = analysis.ast;
  let lower = prefersLowerCase(ast, ctx.ins);
  const others = ast.instructions.length - (ctx.ins ? 1 : 0);
  if (others === 0 && ctx.prefix.length > 0 && /^[a-z]+$/.test(ctx.prefix)) lower = true;
  let names: string[];
  if (ctx.onbuild) names = KEYWORD_ORDER.filter((n) => n !== 'ONBUILD' && n !== 'FROM' && n !== 'MAINTAINER');
  else if (ctx.beforeFrom) names = ['FROM', 'ARG'];
  else names = KEYWORD_ORDER;
  const range = { start: ctx.start, end: offset };
  return names.map((name, i) => {
    const spec = INSTRUCTION_BY_NAME.get(name)!;
    const cased = lower ? name.toLowerCase() : name;
    let snippet = cased + spec.snippet.slice(spec.name.length);
    if (lower) snippet = snippet.replace(/\b(AS|RUN|CMD)\b/g, (m) => m.toLowerCase());
    const deprecated = name === 'MAINTAINER';
    return {
      label: cased,
      kind: 'keyword' as const,
      detail: spec.syntax[0],
      documentation: instructionDoc(spec),
      insertText: cased + ' ',
      snippet: ctx.textAfter ? undefined : snippet,
      range,
      sortText: `${deprecated ? 9 : 0}${pad(i)}`,
      filterText: cased,
      deprecated,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Comments: parser directives and suppression pragmas

function ruleIds(prefix: 'buildkit' | 'hadolint' | 'all'): { id: string; rule: Rule }[] {
  const out: { id: string; rule: Rule }[] = [];
  const seen = new Set<string>();
  const add = (id: string, rule: Rule) => {
    if (seen.has(id.toLowerCase())) return;
    seen.add(id.toLowerCase());
    out.push({ id, rule });
  };
  for (const rule of RULES) {
    if (prefix === 'all') add(rule.meta.id, rule);
    for (const e of rule.meta.equivalents) {
      const colon = e.indexOf(':');
      const tool = e.slice(0, colon);
      const bare = e.slice(colon + 1);
      if (prefix === 'buildkit' && tool === 'buildkit') add(bare, rule);
      if (prefix === 'hadolint' && (tool === 'hadolint' || tool === 'shellcheck')) add(bare, rule);
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function ruleDoc(rule: Rule): string {
  const eq = rule.meta.equivalents.length ? `\n\nAlso: ${rule.meta.equivalents.map((e) => `\`${e}\``).join(', ')}` : '';
  return `**${rule.meta.id}**: ${rule.meta.title}\n\n${rule.meta.docs.rationale}${eq}`;
}

function idList(ids: { id: string; rule: Rule }[], listed: string, range: Span, extra: readonly string[] = []): CompletionEntry[] {
  const already = new Set(listed.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  const items: CompletionEntry[] = [];
  for (const e of extra) {
    if (!already.has(e)) items.push({ label: e, kind: 'value', insertText: e, range, sortText: `0${e}` });
  }
  ids.forEach(({ id, rule }, i) => {
    if (already.has(id.toLowerCase())) return;
    items.push({ label: id, kind: 'rule', detail: rule.meta.title, documentation: ruleDoc(rule), insertText: id, range, sortText: `1${pad(i)}` });
  });
  return items;
}

/** The reference page of a parser directive. */
export function directiveUrl(name: string): string {
  const base = INSTRUCTION_BY_NAME.get('FROM')!.url.replace(/#.*$/, '');
  return `${base}#${name}`;
}

function directiveDoc(name: string): string {
  const d = DIRECTIVES[name];
  return `${d.doc}\n\n[Reference](${directiveUrl(name)})`;
}

function checkValueItems(value: string, valueStart: number, offset: number): CompletionEntry[] {
  const semi = value.lastIndexOf(';');
  const part = value.slice(semi + 1);
  const partStart = valueStart + semi + 1;
  const eq = part.indexOf('=');
  if (eq === -1) {
    const lead = part.length - part.trimStart().length;
    const range = { start: partStart + lead, end: offset };
    return [
      { label: 'skip=', kind: 'value', detail: 'rules to skip, or all', insertText: 'skip=', range, sortText: '0', retrigger: true },
      { label: 'error=', kind: 'value', detail: 'fail the build on a check violation', insertText: 'error=', range, sortText: '1', retrigger: true },
    ];
  }
  const key = part.slice(0, eq).trim().toLowerCase();
  const val = part.slice(eq + 1);
  if (key === 'error') {
    const range = { start: partStart + eq + 1, end: offset };
    return ['true', 'false'].map((v, i) => ({ label: v, kind: 'enum' as const, insertText: v, range, sortText: String(i) }));
  }
  if (key !== 'skip') return [];
  const comma = val.lastIndexOf(',');
  const range = { start: partStart + eq + 1 + comma + 1, end: offset };
  return idList(ruleIds('buildkit'), val, range, comma === -1 ? ['all'] : []);
}

function commentItems(analysis: Analysis, lineStart: number, offset: number, inDirectiveArea: boolean): CompletionEntry[] {
  const text = analysis.text.slice(lineStart, offset);
  const hash = text.indexOf('#');
  const body = text.slice(hash + 1);
  const bodyStart = lineStart + hash + 1;
  const name = /^(\s*)([a-zA-Z]*)$/.exec(body);
  if (name) {
    const range = { start: bodyStart + name[1].length, end: offset };
    const items: CompletionEntry[] = [];
    if (inDirectiveArea) {
      const present = new Set(analysis.ast.directives.filter((d) => d.known && d.range.start < lineStart).map((d) => d.name));
      Object.keys(DIRECTIVES).forEach((d, i) => {
        if (present.has(d)) return;
        items.push({ label: `${d}=`, kind: 'directive', detail: 'parser directive', documentation: directiveDoc(d), insertText: `${d}=`, range, sortText: `0${i}`, retrigger: true });
      });
    }
    const pragmas: [string, string][] = [
      ['dockwright ignore=', 'Suppress Dockwright rules for the next instruction.'],
      ['hadolint ignore=', 'Suppress hadolint rules (DL/SC ids) for the next instruction.'],
      ['dockwright global ignore=', 'Suppress Dockwright rules in the whole file.'],
    ];
    pragmas.forEach(([p, doc], i) => items.push({ label: p, kind: 'snippet', detail: 'suppression comment', documentation: doc, insertText: p, range, sortText: `1${i}`, retrigger: true }));
    return items;
  }
  const directive = /^(\s*)(syntax|escape|check)(\s*=\s*)(.*)$/i.exec(body);
  if (directive && (inDirectiveArea || directive[2].toLowerCase() === 'check')) {
    const key = directive[2].toLowerCase();
    const valueStart = bodyStart + directive[1].length + directive[2].length + directive[3].length;
    const value = directive[4];
    if (key === 'check') return checkValueItems(value, valueStart, offset);
    const range = { start: valueStart, end: offset };
    return DIRECTIVES[key].values.map((v, i) => ({ label: v, kind: 'value' as const, documentation: DIRECTIVES[key].doc, insertText: v, range, sortText: String(i) }));
  }
  const pragma = /^\s*(hadolint|dockwright)(\s+global)?\s+ignore\s*=([\w,\s-]*)$/i.exec(body);
  if (pragma) {
    const list = pragma[3];
    const comma = list.lastIndexOf(',');
    const after = list.slice(comma + 1);
    const lead = after.length - after.trimStart().length;
    const range = { start: offset - after.length + lead, end: offset };
    return idList(ruleIds(pragma[1].toLowerCase() === 'hadolint' ? 'hadolint' : 'all'), list, range);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Instructions

/** A `$NAME` or `${NAME` being typed at the end of `s`. */
export function variableAt(s: string): { name: string; braced: boolean } | undefined {
  const m = /\$(\{?)([A-Za-z_][A-Za-z0-9_]*|)$/.exec(s);
  if (!m) return undefined;
  const dollar = s.length - m[0].length;
  let backslashes = 0;
  for (let i = dollar - 1; i >= 0 && s[i] === '\\'; i--) backslashes++;
  if (backslashes % 2 === 1) return undefined;
  return { name: m[2], braced: m[1] === '{' };
}

function instructionItems(analysis: Analysis, c: InstructionCursor, options: CompletionOptions): CompletionResult {
  const spec = INSTRUCTION_BY_NAME.get(c.keyword);
  const model = analysis.model;
  const tok = c.current;
  const range = (from: number): Span => ({ start: c.src(from), end: c.offset });
  const explicit = options.triggerCharacter === undefined;

  // A variable anywhere in the arguments, unless it sits inside single quotes of shell text.
  const v = variableAt(tok.text);
  if (v && !insideSingleQuotes(tok.text)) {
    const after = analysis.text[c.offset];
    return { items: variableItems(model, c.ins, range(tok.end - v.name.length), v.braced && after !== '}') };
  }
  if (!spec) return { items: [] };

  if (c.inFlags && tok.text.startsWith('-')) return { items: flagItems(analysis, c, spec) };

  const items: CompletionEntry[] = [];
  // Flag names are offered with the arguments where an argument may start, on explicit request only,
  // so that typing a command after `RUN ` is not interrupted.
  const offerFlags = c.inFlags && tok.text === '' && spec.flags.length > 0 && (explicit || options.triggerCharacter === '-');
  let result: CompletionResult = { items };
  switch (c.keyword) {
    case 'FROM':
      result = fromItems(analysis, c);
      break;
    case 'COPY':
    case 'ADD':
      items.push(...pathItems(analysis, c, options));
      break;
    case 'ARG':
      if (!tok.text.includes('=')) items.push(...argNameItems(model, c));
      break;
    case 'ENV':
      if (!tok.text.includes('=')) items.push(...envNameItems(model, c));
      break;
    case 'HEALTHCHECK':
      if (c.argIndex === 0) {
        const lower = c.keywordRaw === c.keywordRaw.toLowerCase();
        const r = range(tok.start);
        items.push(
          { label: lower ? 'cmd' : 'CMD', kind: 'keyword', detail: 'the command that checks the container', insertText: (lower ? 'cmd' : 'CMD') + ' ', range: r, sortText: '0' },
          { label: lower ? 'none' : 'NONE', kind: 'keyword', detail: 'disable a health check inherited from the base image', insertText: lower ? 'none' : 'NONE', range: r, sortText: '1' },
        );
      }
      break;
    case 'STOPSIGNAL':
      if (c.argIndex === 0) {
        const r = range(tok.start);
        SIGNALS.forEach((s, i) => items.push({ label: `SIG${s}`, kind: 'enum', insertText: `SIG${s}`, range: r, sortText: s === 'TERM' ? '0' : s === 'INT' || s === 'QUIT' || s === 'KILL' ? '1' : `2${pad(i)}` }));
      }
      break;
    case 'SHELL':
      if (c.argIndex === 0 && tok.text === '') {
        const r = range(tok.start);
        const shells = ['["/bin/bash", "-o", "pipefail", "-c"]', '["/bin/sh", "-c"]', '["/bin/ash", "-eo", "pipefail", "-c"]', '["powershell", "-Command"]', '["cmd", "/S", "/C"]'];
        shells.forEach((s, i) => items.push({ label: s, kind: 'snippet', insertText: s, range: r, sortText: String(i) }));
      }
      break;
    default:
      break;
  }
  if (offerFlags) result.items.push(...flagItems(analysis, c, spec));
  return result;
}

function insideSingleQuotes(s: string): boolean {
  let inSingle = false;
  let inDouble = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && !inSingle) i++;
    else if (ch === "'" && !inDouble) inSingle = !inSingle;
    else if (ch === '"' && !inSingle) inDouble = !inDouble;
  }
  return inSingle;
}

// ---------------------------------------------------------------------------------------------
// Flags

function flagDoc(spec: InstructionSpec, f: FlagSpec): string {
  const since = f.since ? `\n\nNeeds \`# syntax=docker/dockerfile:${f.since}\` or later.` : '';
  return `\`--${f.name}\` (${spec.name})\n\n${f.doc}${since}`;
}

function flagItems(analysis: Analysis, c: InstructionCursor, spec: InstructionSpec): CompletionEntry[] {
  const tok = c.current;
  const eq = tok.text.indexOf('=');
  if (eq === -1 || !tok.text.startsWith('--')) {
    const target = c.ins.trigger ?? c.ins;
    const given = new Set(target.flags.filter((f) => !(f.range.start <= c.offset && c.offset <= f.range.end)).map((f) => f.name));
    const range = { start: c.src(tok.start), end: c.offset };
    const items: CompletionEntry[] = [];
    spec.flags.forEach((f, i) => {
      if (given.has(f.name) && f.type !== 'strings') return;
      const bool = f.type === 'bool';
      items.push({
        label: `--${f.name}`,
        kind: 'flag',
        detail: f.since ? `${spec.name} flag (dockerfile:${f.since})` : `${spec.name} flag`,
        documentation: flagDoc(spec, f),
        insertText: bool ? `--${f.name}` : `--${f.name}=`,
        range,
        sortText: `${f.since ? 1 : 0}${pad(i)}`,
        filterText: `--${f.name}`,
        retrigger: !bool,
      });
    });
    return items;
  }
  const name = tok.text.slice(2, eq);
  const flag = spec.flags.find((f) => f.name === name);
  if (!flag) return [];
  let valueStart = tok.start + eq + 1;
  let value = tok.text.slice(eq + 1);
  if (value.startsWith('"') || value.startsWith("'")) {
    valueStart++;
    value = value.slice(1);
  }
  const range = (from: number): Span => ({ start: c.src(from), end: c.offset });
  const values = (list: readonly string[], docs?: Readonly<Record<string, string>>, kind: CompletionKind = 'value'): CompletionEntry[] =>
    list.map((v, i) => ({ label: v, kind, documentation: docs?.[v], insertText: v, range: range(valueStart), sortText: pad(i) }));
  if (flag.type === 'bool') return values(['true', 'false'], undefined, 'enum');
  switch (name) {
    case 'mount':
      return c.keyword === 'RUN' ? mountItems(analysis, c, value, valueStart) : [];
    case 'network':
      return values(NETWORK_MODES, NETWORK_DOCS, 'enum');
    case 'security':
      return values(SECURITY_MODES, SECURITY_DOCS, 'enum');
    case 'from':
      return c.keyword === 'COPY' ? stageItems(analysis.model, c.ins, range(valueStart), true) : [];
    default:
      return values(flag.values ?? []);
  }
}

/** What each `RUN --network` mode does. */
export const NETWORK_DOCS: Readonly<Record<string, string>> = {
  default: 'Run in the default network (the builder\'s, usually with internet access).',
  none: 'No network access: only the loopback interface. Good for reproducible steps.',
  host: 'Use the host\'s network. Needs the `network.host` entitlement (`--allow network.host`).',
};

/** What each `RUN --security` mode does. */
export const SECURITY_DOCS: Readonly<Record<string, string>> = {
  sandbox: 'The default: run in the normal sandbox.',
  insecure: 'Run with full privileges (like `docker run --privileged`). Needs the `security.insecure` entitlement.',
};

const CACHE_TARGETS = ['/root/.cache', '/var/cache/apt', '/var/lib/apt', '/root/.cache/pip', '/root/.npm', '/usr/local/share/.cache/yarn', '/root/.cache/go-build', '/go/pkg/mod', '/root/.m2', '/root/.gradle', '/usr/local/cargo/registry', '/var/cache/apk'];

const OPTION_ALIASES: Readonly<Record<string, string>> = { dst: 'target', destination: 'target', src: 'source', ro: 'readonly', rw: 'readwrite' };

function mountOption(type: string, key: string): MountOption | undefined {
  const t = MOUNT_TYPES[type];
  if (!t) return undefined;
  const k = OPTION_ALIASES[key] ?? key;
  return t.options.find((o) => o.name === k || o.aliases?.includes(key));
}

function mountItems(analysis: Analysis, c: InstructionCursor, value: string, valueStart: number): CompletionEntry[] {
  const comma = value.lastIndexOf(',');
  const field = value.slice(comma + 1);
  const fieldStart = valueStart + comma + 1;
  const fields = value.split(',');
  const typeField = fields.find((f) => f.trim().toLowerCase().startsWith('type='));
  const type = typeField ? typeField.slice(typeField.indexOf('=') + 1).trim().toLowerCase() : 'bind';
  const range = (from: number): Span => ({ start: c.src(from), end: c.offset });
  const eq = field.indexOf('=');
  if (eq !== -1) {
    const key = field.slice(0, eq).trim().toLowerCase();
    const r = range(fieldStart + eq + 1);
    const list = (vals: readonly string[], kind: CompletionKind = 'value', doc?: (v: string) => string | undefined): CompletionEntry[] =>
      vals.map((v, i) => ({ label: v, kind, documentation: doc?.(v), insertText: v, range: r, sortText: pad(i) }));
    if (key === 'type') return list(Object.keys(MOUNT_TYPES), 'enum', (t) => MOUNT_TYPES[t].doc);
    const opt = mountOption(type, key);
    if (!opt) return [];
    if (opt.name === 'from') return stageItems(analysis.model, c.ins, r, false);
    if (opt.type === 'enum') return list(opt.values ?? [], 'enum', () => opt.doc);
    if (opt.type === 'bool') return list(['true', 'false'], 'enum');
    if (opt.type === 'octal') return list(['0400', '0440', '0600', '0644', '0755']);
    if (opt.name === 'uid' || opt.name === 'gid') return list(['0', '1000']);
    if (opt.name === 'target') {
      if (type === 'cache') return list(CACHE_TARGETS);
      if (type === 'secret') return list(['/run/secrets/']);
      if (type === 'tmpfs') return list(['/tmp']);
    }
    return [];
  }
  // An option name.
  const lead = field.length - field.trimStart().length;
  const r = range(fieldStart + lead);
  const present = new Set(
    fields.slice(0, -1).map((f) => {
      const k = (f.includes('=') ? f.slice(0, f.indexOf('=')) : f).trim().toLowerCase();
      return mountOption(type, k)?.name ?? k;
    }),
  );
  const items: CompletionEntry[] = [];
  if (!typeField) {
    items.push({ label: 'type=', kind: 'flag', detail: 'bind (default), cache, tmpfs, secret or ssh', documentation: 'The mount type. Without it the mount is a read-only `bind` mount.', insertText: 'type=', range: r, sortText: '00', retrigger: true });
  }
  const t = MOUNT_TYPES[type];
  t?.options.forEach((o, i) => {
    if (present.has(o.name)) return;
    const bool = o.type === 'bool';
    items.push({
      label: bool ? o.name : `${o.name}=`,
      kind: 'flag',
      detail: `${type} mount option${o.aliases ? ` (alias ${o.aliases.join(', ')})` : ''}`,
      documentation: o.doc,
      insertText: bool ? o.name : `${o.name}=`,
      range: r,
      sortText: `1${pad(i)}`,
      retrigger: !bool,
    });
  });
  return items;
}

// ---------------------------------------------------------------------------------------------
// Stages, variables, names

function fromLineText(text: string, st: Stage): string {
  const t = text.slice(st.from.range.start, st.from.range.end).replace(/\\\r?\n\s*/g, ' ');
  return t.length > 160 ? t.slice(0, 157) + '...' : t;
}

/** Earlier stages by name (and, for `COPY --from`, by index) as completion entries. */
function stageItems(model: SemanticModel, ins: Instruction, range: Span, withIndexes: boolean): CompletionEntry[] {
  const current = model.stageOf(ins);
  const limit = current ? current.index : model.stages.length;
  const items: CompletionEntry[] = [];
  const text = model.ast.text;
  for (let i = 0; i < limit; i++) {
    const st = model.stages[i];
    const doc = `Stage ${st.index}${st.nameRaw ? ` \`${st.nameRaw}\`` : ''}:\n\n\`\`\`dockerfile\n${fromLineText(text, st)}\n\`\`\``;
    if (st.nameRaw) {
      items.push({ label: st.nameRaw, kind: 'stage', detail: `stage ${st.index}: ${st.base.raw}`, documentation: doc, insertText: st.nameRaw, range, sortText: `0${pad(limit - i)}` });
    }
    if (withIndexes) {
      items.push({ label: String(st.index), kind: 'stage', detail: `stage ${st.index}${st.nameRaw ? ` (${st.nameRaw})` : `: ${st.base.raw}`}`, documentation: doc, insertText: String(st.index), range, sortText: `1${pad(i)}` });
    }
  }
  return items;
}

function lineOf(model: SemanticModel, offset: number): number {
  return lineIndexOf(model.ast).lineAt(offset) + 1;
}

/** A short description of a variable's value at a point, for `detail`. */
export function describeValue(d: VarDecl): string {
  if (d.kind === 'builtin') return PLATFORM_ARGS[d.name] ? `set by the builder: ${PLATFORM_ARGS[d.name]}` : 'set by the builder';
  if (d.value !== undefined) return d.value === '' ? '(empty)' : d.value;
  if (d.kind === 'ARG') return d.global?.kind === 'builtin' ? 'set by the builder' : 'no default: set with --build-arg';
  return 'known at build time';
}

function variableItems(model: SemanticModel, ins: Instruction, range: Span, closeBrace: boolean): CompletionEntry[] {
  const scope = model.scopeAt(ins);
  const items: CompletionEntry[] = [];
  for (const d of scope.values()) {
    const group = d.kind === 'builtin' ? 2 : d.stage ? 0 : 1;
    const where = d.instruction ? `${d.kind} on line ${lineOf(model, d.instruction.range.start)}${d.stage ? '' : ' (global)'}` : 'predefined by the builder';
    items.push({
      label: d.name,
      kind: 'variable',
      detail: describeValue(d),
      documentation: `\`${d.name}\`: ${describeValue(d)}\n\nDeclared by ${where}.`,
      insertText: closeBrace ? `${d.name}}` : d.name,
      range,
      sortText: `${group}${d.name}`,
      filterText: d.name,
    });
  }
  return items;
}

function argNameItems(model: SemanticModel, c: InstructionCursor): CompletionEntry[] {
  const range = { start: c.src(c.current.start), end: c.offset };
  const stage = model.stageOf(c.ins);
  const items: CompletionEntry[] = [];
  const seen = new Set<string>();
  if (stage) {
    const scope = model.scopeAt(c.ins);
    for (const g of model.globalArgs) {
      if (seen.has(g.name) || scope.get(g.name)?.kind === 'ARG') continue;
      seen.add(g.name);
      items.push({
        label: g.name,
        kind: 'variable',
        detail: g.value !== undefined ? `global ARG, default ${g.value === '' ? '(empty)' : g.value}` : 'global ARG',
        documentation: `Re-declares the global ARG from line ${lineOf(model, g.instruction!.range.start)} so this stage can use it.`,
        insertText: g.name,
        range,
        sortText: `0${g.name}`,
      });
    }
    for (const [name, doc] of Object.entries(PLATFORM_ARGS)) {
      if (seen.has(name) || scope.has(name)) continue;
      items.push({ label: name, kind: 'variable', detail: 'set by the builder', documentation: `${doc}. Declare it with \`ARG ${name}\` to use it in this stage.`, insertText: name, range, sortText: `1${name}` });
    }
  }
  for (const [name, doc] of Object.entries(BUILDKIT_ARGS)) {
    if (seen.has(name)) continue;
    items.push({ label: name, kind: 'variable', detail: 'BuildKit build argument', documentation: doc, insertText: name, range, sortText: `2${name}` });
  }
  return items;
}

const COMMON_ENV = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'HOME', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE', 'PIP_NO_CACHE_DIR', 'NODE_ENV', 'JAVA_HOME', 'GOPATH', 'CGO_ENABLED'];

function envNameItems(model: SemanticModel, c: InstructionCursor): CompletionEntry[] {
  const range = { start: c.src(c.current.start), end: c.offset };
  const items: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const d of model.scopeAt(c.ins).values()) {
    if (d.kind === 'builtin' || seen.has(d.name)) continue;
    seen.add(d.name);
    items.push({ label: d.name, kind: 'variable', detail: `${d.kind}: ${describeValue(d)}`, insertText: `${d.name}=`, range, sortText: `0${d.name}` });
  }
  for (const n of COMMON_ENV) {
    if (seen.has(n)) continue;
    items.push({ label: n, kind: 'variable', detail: 'common environment variable', insertText: `${n}=`, range, sortText: `1${n}` });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// FROM

function fromItems(analysis: Analysis, c: InstructionCursor): CompletionResult {
  const tok = c.current;
  const items: CompletionEntry[] = [];
  if (c.argIndex === 1) {
    const as = c.keywordRaw === c.keywordRaw.toLowerCase() ? 'as' : 'AS';
    items.push({ label: as, kind: 'keyword', detail: 'name this stage', insertText: `${as} `, range: { start: c.src(tok.start), end: c.offset }, sortText: '0' });
    return { items };
  }
  if (c.argIndex !== 0) return { items };
  const word = tok.text;
  if (word.includes('@')) {
    const at = word.indexOf('@');
    return { items: [{ label: 'sha256:', kind: 'value', detail: 'pin the image by digest', insertText: 'sha256:', range: { start: c.src(tok.start + at + 1), end: c.offset }, sortText: '0' }] };
  }
  const slash = word.lastIndexOf('/');
  const colon = word.indexOf(':', slash + 1);
  if (colon !== -1) {
    return { items, imageQuery: { kind: 'tags', repository: word.slice(0, colon), prefix: word.slice(colon + 1), range: { start: c.src(tok.start + colon + 1), end: c.offset } } };
  }
  const range = { start: c.src(tok.start), end: c.offset };
  items.push(...stageItems(analysis.model, c.ins, range, false));
  items.push({ label: 'scratch', kind: 'image', detail: 'an empty image', documentation: 'Start from an empty filesystem, e.g. for static binaries.', insertText: 'scratch', range, sortText: '2scratch' });
  return { items, imageQuery: { kind: 'images', prefix: word, range } };
}

// ---------------------------------------------------------------------------------------------
// COPY / ADD sources

function pathItems(analysis: Analysis, c: InstructionCursor, options: CompletionOptions): CompletionEntry[] {
  if (!options.listDir) return [];
  const target = c.ins.trigger ?? c.ins;
  if (target.flags.some((f) => f.name === 'from')) return [];
  let word = c.current.text;
  let start = c.current.start;
  const json = c.prefix.slice(c.restStart + c.prefix.slice(c.restStart).search(/\S|$/)).startsWith('[');
  if (json) {
    // Exec form: complete inside the string being typed.
    const args = c.prefix.slice(c.restStart);
    let quotes = 0;
    let last = -1;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '\\') i++;
      else if (args[i] === '"') {
        quotes++;
        last = i;
      }
    }
    if (quotes % 2 === 0) return [];
    start = c.restStart + last + 1;
    word = args.slice(last + 1);
  } else if (word.startsWith('"') || word.startsWith("'")) {
    word = word.slice(1);
    start++;
  }
  if (/[$*?[\]{}]|:\/\/|^[/~]|^git@|^<</.test(word)) return [];
  const slash = word.lastIndexOf('/');
  const dirPart = word.slice(0, slash + 1);
  const segments = dirPart.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return [];
  const entries = options.listDir(segments.join('/'));
  if (!entries) return [];
  const range = { start: c.src(start + slash + 1), end: c.offset };
  return entries.map((e) => ({
    label: e.dir ? `${e.name}/` : e.name,
    kind: e.dir ? ('folder' as const) : ('file' as const),
    detail: e.dir ? 'folder in the build context' : 'file in the build context',
    insertText: e.dir ? `${e.name}/` : e.name,
    range,
    sortText: `${e.dir ? 0 : 1}${e.name}`,
    retrigger: e.dir,
  }));
}

// ---------------------------------------------------------------------------------------------
// Built-in image names (no network)

interface KnownImage {
  readonly name: string;
  readonly description: string;
  /** A few current tags (as of 2025); a registry-backed source gives the real list. */
  readonly tags: readonly string[];
}

const KNOWN_IMAGES: readonly KnownImage[] = [
  { name: 'alpine', description: 'Minimal Alpine Linux (musl, apk)', tags: ['3.22', '3.21', '3.20', 'latest', 'edge'] },
  { name: 'debian', description: 'Debian', tags: ['bookworm-slim', 'bookworm', 'trixie-slim', 'trixie', 'stable-slim'] },
  { name: 'ubuntu', description: 'Ubuntu', tags: ['24.04', '22.04', 'noble', 'jammy', 'latest'] },
  { name: 'busybox', description: 'BusyBox: tiny userland', tags: ['1.37', 'stable', 'musl', 'glibc'] },
  { name: 'node', description: 'Node.js', tags: ['22-alpine', '22-bookworm-slim', '22', '20-alpine', '20-bookworm-slim', 'lts-alpine', 'lts-slim'] },
  { name: 'python', description: 'Python', tags: ['3.13-slim', '3.13-alpine', '3.13', '3.12-slim', '3.12-alpine', '3.12'] },
  { name: 'golang', description: 'Go toolchain', tags: ['1.24', '1.24-alpine', '1.24-bookworm', '1.23', '1.23-alpine'] },
  { name: 'rust', description: 'Rust toolchain', tags: ['1', '1-slim', '1-alpine', '1-slim-bookworm'] },
  { name: 'eclipse-temurin', description: 'OpenJDK builds by Adoptium', tags: ['21-jre', '21-jdk', '21-jre-alpine', '17-jre', '17-jdk'] },
  { name: 'maven', description: 'Apache Maven with a JDK', tags: ['3-eclipse-temurin-21', '3-eclipse-temurin-17'] },
  { name: 'gradle', description: 'Gradle with a JDK', tags: ['8-jdk21', '8-jdk17', 'jdk21'] },
  { name: 'ruby', description: 'Ruby', tags: ['3.4-slim', '3.4-alpine', '3.3-slim', '3.3'] },
  { name: 'php', description: 'PHP', tags: ['8.4-fpm-alpine', '8.4-apache', '8.3-fpm-alpine', '8.3-cli'] },
  { name: 'composer', description: 'PHP Composer', tags: ['2', 'latest'] },
  { name: 'nginx', description: 'NGINX web server', tags: ['stable-alpine', 'alpine', '1.27-alpine', 'mainline-alpine', 'stable'] },
  { name: 'httpd', description: 'Apache HTTP Server', tags: ['2.4-alpine', '2.4'] },
  { name: 'caddy', description: 'Caddy web server', tags: ['2-alpine', '2', '2-builder'] },
  { name: 'haproxy', description: 'HAProxy load balancer', tags: ['3.0-alpine', 'lts-alpine'] },
  { name: 'traefik', description: 'Traefik proxy', tags: ['v3', 'v3.3'] },
  { name: 'redis', description: 'Redis', tags: ['7-alpine', '7', '8-alpine'] },
  { name: 'postgres', description: 'PostgreSQL', tags: ['17-alpine', '17', '16-alpine', '16'] },
  { name: 'mysql', description: 'MySQL', tags: ['8.4', '8.0', 'lts'] },
  { name: 'mariadb', description: 'MariaDB', tags: ['11', 'lts'] },
  { name: 'mongo', description: 'MongoDB', tags: ['8', '7'] },
  { name: 'memcached', description: 'Memcached', tags: ['1-alpine', '1'] },
  { name: 'rabbitmq', description: 'RabbitMQ', tags: ['4-management-alpine', '4-alpine'] },
  { name: 'docker', description: 'Docker CLI and engine (dind)', tags: ['27-cli', '27-dind', 'cli', 'dind'] },
  { name: 'bash', description: 'Bash on Alpine', tags: ['5', 'latest'] },
  { name: 'amazonlinux', description: 'Amazon Linux', tags: ['2023', '2'] },
  { name: 'fedora', description: 'Fedora', tags: ['41', '42', 'latest'] },
  { name: 'rockylinux', description: 'Rocky Linux', tags: ['9-minimal', '9'] },
  { name: 'almalinux', description: 'AlmaLinux', tags: ['9-minimal', '9'] },
  { name: 'oven/bun', description: 'Bun JavaScript runtime', tags: ['1', '1-alpine', '1-slim'] },
  { name: 'denoland/deno', description: 'Deno runtime', tags: ['alpine', 'debian', 'distroless'] },
  { name: 'gcr.io/distroless/static-debian12', description: 'Distroless: static binaries only', tags: ['latest', 'nonroot', 'debug'] },
  { name: 'gcr.io/distroless/base-debian12', description: 'Distroless: glibc and certificates', tags: ['latest', 'nonroot', 'debug'] },
  { name: 'mcr.microsoft.com/dotnet/sdk', description: '.NET SDK', tags: ['9.0', '8.0', '9.0-alpine', '8.0-alpine'] },
  { name: 'mcr.microsoft.com/dotnet/aspnet', description: 'ASP.NET Core runtime', tags: ['9.0', '8.0', '9.0-alpine', '8.0-alpine'] },
  { name: 'mcr.microsoft.com/dotnet/runtime', description: '.NET runtime', tags: ['9.0', '8.0'] },
  { name: 'docker/dockerfile', description: 'The Dockerfile frontend (for `# syntax=`)', tags: ['1', '1-labs'] },
];

function familiarName(repository: string): string {
  const r = parseImageRef(repository);
  return r.ok ? r.ref.familiar : repository;
}

/** Popular official images and a few of their tags, without network access. */
export const BUILTIN_IMAGE_SOURCE: ImageCompletionSource = {
  images(prefix) {
    const p = prefix.toLowerCase();
    return KNOWN_IMAGES.filter((i) => p === '' || i.name.includes(p)).map((i) => ({
      label: i.name,
      detail: i.description,
      documentation: `${i.description}\n\nTags include: ${i.tags.map((t) => `\`${t}\``).join(', ')}`,
    }));
  },
  tags(repository, prefix) {
    const name = familiarName(repository.toLowerCase());
    const image = KNOWN_IMAGES.find((i) => i.name === name);
    if (!image) return [];
    return image.tags.filter((t) => t.startsWith(prefix) || prefix === '').map((t) => ({ label: t, detail: `${image.name}:${t}` }));
  },
};
