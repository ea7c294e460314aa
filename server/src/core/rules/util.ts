/** Small helpers shared by rule files. */
import type { DockerfileAst, Instruction, Span } from '../syntax/ast';
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

const keywordCaseCache = new WeakMap<readonly Instruction[], 'upper' | 'lower'>();

/** Keyword casing of the file: 'upper' unless most keywords are lower case. */
export function keywordCase(instructions: readonly Instruction[]): 'upper' | 'lower' {
  // Rules ask once per fix: count once per instruction list.
  let known = keywordCaseCache.get(instructions);
  if (!known) keywordCaseCache.set(instructions, (known = countKeywordCase(instructions)));
  return known;
}

function countKeywordCase(instructions: readonly Instruction[]): 'upper' | 'lower' {
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

/**
 * The 1-based number of the line holding `offset`: the number of lines starting at or before it, found by
 * binary search in `ast.lineStarts` (a `lineStarts.filter(...)` per message is quadratic in big files).
 */
export function lineNumberAt(ast: DockerfileAst, offset: number): number {
  const starts = ast.lineStarts;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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

const crlfCache = new WeakMap<DockerfileAst, boolean>();

/** Whether the file has a CRLF line break anywhere (looked for once per file, not once per fix). */
export function hasCrlf(ast: DockerfileAst): boolean {
  let crlf = crlfCache.get(ast);
  if (crlf === undefined) crlfCache.set(ast, (crlf = ast.text.includes('\r\n')));
  return crlf;
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

export interface PlatformSpec {
  readonly os: string;
  /** Undefined when only an OS was given (the builder then uses its own architecture). */
  readonly arch: string | undefined;
  readonly variant: string | undefined;
}

const KNOWN_PLATFORM_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const KNOWN_PLATFORM_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);

/** containerd's platforms.Parse and Normalize: `os[/arch[/variant]]` with aliases resolved, or undefined. */
export function parsePlatform(value: string): PlatformSpec | undefined {
  const parts = value.trim().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) return undefined;
  const os = (name: string) => {
    const lower = name.toLowerCase();
    return lower === 'macos' ? 'darwin' : lower;
  };
  if (parts.length === 1) {
    const p = parts[0].toLowerCase();
    if (KNOWN_PLATFORM_OS.has(os(p))) return { os: os(p), arch: undefined, variant: undefined };
    const arch = normalizeArch(p, '');
    if (KNOWN_PLATFORM_ARCH.has(arch.arch)) return { os: 'linux', arch: arch.arch, variant: arch.variant };
    return undefined;
  }
  const arch = normalizeArch(parts[1].toLowerCase(), (parts[2] ?? '').toLowerCase());
  return { os: os(parts[0]), arch: arch.arch, variant: arch.variant };
}

function normalizeArch(arch: string, variant: string): { arch: string; variant: string | undefined } {
  switch (arch) {
    case 'i386':
      return { arch: '386', variant: undefined };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { arch: 'amd64', variant: variant === 'v1' ? undefined : variant || undefined };
    case 'aarch64':
    case 'arm64':
      return { arch: 'arm64', variant: variant === '8' || variant === 'v8' ? undefined : variant || undefined };
    case 'armhf':
      return { arch: 'arm', variant: 'v7' };
    case 'armel':
      return { arch: 'arm', variant: 'v6' };
    case 'arm':
      return { arch: 'arm', variant: /^[5-8]$/.test(variant) ? 'v' + variant : variant || 'v7' };
    default:
      return { arch, variant: variant || undefined };
  }
}

/** `os/arch[/variant]` of a parsed platform. */
export function formatPlatform(p: PlatformSpec): string {
  return [p.os, p.arch, p.variant].filter((x) => x !== undefined && x !== '').join('/');
}

// ---- Helpers for rules that read RUN commands (package managers, downloads, cleanup). ----
import { parseMount as utilParseMount } from '../semantic/mount';

/** The targets of a RUN's `--mount=type=cache` mounts (as written, `target`/`dst`/`destination`). */
export function cacheMountTargets(ins: Instruction): string[] {
  const target = ins.trigger ?? ins;
  const out: string[] = [];
  for (const flag of target.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    const m = utilParseMount(target, flag);
    if (m.type !== 'cache') continue;
    const t = m.options.find((o) => o.key === 'target' || o.key === 'dst' || o.key === 'destination');
    if (t?.value) out.push(t.value);
  }
  return out;
}

/** Whether the RUN mounts a cache over one of `dirs` (or a directory inside one, or one containing it). */
export function hasCacheMountOn(ins: Instruction, dirs: readonly string[]): boolean {
  return cacheMountTargets(ins).some((t) => {
    const p = t.replace(/\/+$/, '');
    return dirs.some((d) => p === d || p.startsWith(d + '/') || d.startsWith(p + '/'));
  });
}

// ---------------------------------------------------------------------------------------------
// ARG/ENV expansion, stages that become images, RUN scripts and cache mounts (hadolint rules).
// These imports sit here because this section was appended; ES modules hoist them.
import type { SemanticModel, Stage, VarDecl, VarRef } from '../semantic/model';
import { expand, type Expansion } from '../semantic/expand';
import type { Word } from '../syntax/ast';
import type { InstructionScript } from '../shell/index';

/**
 * `text` (a word of `ins` that the builder expands: FROM, COPY, USER...) with the ARG/ENV values visible
 * to `ins`; undefined when it reads a variable whose value is only known at build time.
 */
export function expandInScope(model: SemanticModel, ins: Instruction, text: string): string | undefined {
  if (!text.includes('$') && !text.includes('"') && !text.includes("'") && !text.includes(model.ast.escape)) return text;
  const scope = model.scopeAt(ins);
  const ex = expand(text, (name) => scope.get(name)?.value, model.ast.escape);
  if (ex.error) return undefined;
  if (ex.uses.some((u) => !u.found && !(u.modifier && /[-+]/.test(u.modifier)))) return undefined;
  return ex.words.join(' ');
}

/** Stages read by other stages: as a base (`FROM build`), by `COPY --from` or by `RUN --mount from=`. */
export function referencedStages(model: SemanticModel): { asBase: Set<Stage>; asSource: Set<Stage> } {
  const asBase = new Set<Stage>();
  const asSource = new Set<Stage>();
  for (const s of model.stages) {
    if (s.base.stage) asBase.add(s.base.stage);
    for (const ins of s.instructions) {
      const target = ins.trigger ? undefined : ins;
      if (!target) continue;
      const from = model.copyFrom(ins);
      if (from?.kind === 'stage') asSource.add(from.stage);
      if (ins.keyword !== 'RUN') continue;
      for (const f of ins.flags) {
        if (f.name !== 'mount' || f.value === undefined) continue;
        const opt = utilParseMount(ins, f).options.find((o) => o.key === 'from');
        if (!opt?.value) continue;
        const t = model.fromTarget(ins, opt.value, opt.range);
        if (t.kind === 'stage') asSource.add(t.stage);
      }
    }
  }
  return { asBase, asSource };
}

/**
 * The stages that can be the result of a build: the last stage (the default target) and every stage no
 * other stage reads (only useful as a `--target`). A stage used by `COPY --from` or as a base is not.
 */
export function outputStages(model: SemanticModel): Stage[] {
  let cached = outputStagesCache.get(model);
  if (!cached) {
    const stages = model.stages;
    if (stages.length === 0) cached = [];
    else {
      const { asBase, asSource } = referencedStages(model);
      cached = stages.filter((s, i) => i === stages.length - 1 || (!asBase.has(s) && !asSource.has(s)));
    }
    outputStagesCache.set(model, cached);
  }
  return [...cached];
}

const outputStagesCache = new WeakMap<SemanticModel, readonly Stage[]>();
const imageStagesCache = new WeakMap<SemanticModel, ReadonlySet<Stage>>();

/** A stage and the stages it builds on (`FROM base`), nearest first. */
export function baseChain(stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = stage; s && !seen.has(s); s = s.base.stage) {
    out.push(s);
    seen.add(s);
  }
  return out;
}

const chainKeywordCache = new WeakMap<SemanticModel, Map<string, Map<Stage, boolean>>>();

/**
 * Whether the stage, or one of the stages it builds on (`FROM <stage>`), has an instruction with this keyword
 * (ONBUILD triggers do not count). Computed once per model and keyword for every stage.
 */
export function stageChainHas(model: SemanticModel, stage: Stage, keyword: string): boolean {
  let byKeyword = chainKeywordCache.get(model);
  if (!byKeyword) chainKeywordCache.set(model, (byKeyword = new Map()));
  let has = byKeyword.get(keyword);
  if (!has) {
    has = new Map();
    // A stage builds on an earlier stage: its base is done before it.
    for (const s of model.stages) has.set(s, s.instructions.some((i) => i.keyword === keyword) || (s.base.stage !== undefined && has.get(s.base.stage) === true));
    byKeyword.set(keyword, has);
  }
  const known = has.get(stage);
  if (known !== undefined) return known;
  return baseChain(stage).some((s) => s.instructions.some((i) => i.keyword === keyword));
}

const refsByInstructionCache = new WeakMap<SemanticModel, ReadonlyMap<Instruction, readonly VarRef[]>>();
const refsByDeclCache = new WeakMap<SemanticModel, ReadonlyMap<VarDecl, readonly VarRef[]>>();

/** The model's variable references by instruction, in the order of `model.refs` (gathered once per model). */
export function refsOfInstruction(model: SemanticModel, ins: Instruction): readonly VarRef[] {
  let byIns = refsByInstructionCache.get(model);
  if (!byIns) {
    const map = new Map<Instruction, VarRef[]>();
    for (const r of model.refs) {
      const list = map.get(r.instruction);
      if (list) list.push(r);
      else map.set(r.instruction, [r]);
    }
    refsByInstructionCache.set(model, (byIns = map));
  }
  return byIns.get(ins) ?? [];
}

/** The references that read a declaration, in the order of `model.refs` (gathered once per model). */
export function refsOfDecl(model: SemanticModel, decl: VarDecl): readonly VarRef[] {
  let byDecl = refsByDeclCache.get(model);
  if (!byDecl) {
    const map = new Map<VarDecl, VarRef[]>();
    for (const r of model.refs) {
      if (!r.decl) continue;
      const list = map.get(r.decl);
      if (list) list.push(r);
      else map.set(r.decl, [r]);
    }
    refsByDeclCache.set(model, (byDecl = map));
  }
  return byDecl.get(decl) ?? [];
}

/** Every stage whose filesystem ends up in a build result: the output stages and their bases. */
export function imageStages(model: SemanticModel): Set<Stage> {
  let cached = imageStagesCache.get(model);
  if (!cached) {
    const out = new Set<Stage>();
    for (const s of outputStages(model)) {
      // A stage already in the set came with the stages it builds on.
      for (let b: Stage | undefined = s; b && !out.has(b); b = b.base.stage) out.add(b);
    }
    imageStagesCache.set(model, (cached = out));
  }
  return new Set(cached);
}

/**
 * An edit that runs `command` at the end of a RUN script: ` && command` after the last command of a
 * shell-form or exec-form script, a new line at the end of a heredoc script. Undefined when the script
 * does not parse, is not exactly mapped, or ends in the background (`&`).
 */
export function appendCommandEdit(text: string, entry: InstructionScript, command: string): TextEdit | undefined {
  const script = entry.script;
  if (!entry.exact || script.errors.length > 0 || entry.dialect === 'skip') return undefined;
  const top = script.pipelines.filter((p) => p.depth === 0);
  const last = top[top.length - 1];
  if (!last || last.next === '&') return undefined;
  if (entry.form === 'heredoc') {
    // A new line after the last line of the body that has content.
    const end = entry.toSource(last.end, last.end).start;
    const nl = text.indexOf('\n', end);
    if (nl === -1) return undefined;
    const indent = indentationAt(text, end);
    return { range: { start: nl + 1, end: nl + 1 }, newText: indent + command + '\n' };
  }
  const at = entry.toSource(last.end, last.end).start;
  return { range: { start: at, end: at }, newText: ' && ' + command };
}

/**
 * The candidate that `name` is most likely a typo of, for variable names: a small edit distance
 * (case-insensitive, at most one edit per four characters, so names under four characters only match
 * in another case), or undefined. Stricter than `suggest`, for checks that only report when a typo is likely.
 */
export function nearMiss(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const dist = editDistance(lower, c.toLowerCase());
    const limit = Math.floor(Math.min(name.length, c.length) / 4);
    if (dist <= limit && dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

// RUN scripts and the package-manager commands in them.
import { applySetCommand, optionSetAt, runScripts as scriptsOfRuns } from '../shell/index';

/**
 * `optionSetAt(entry, offset, letter, long)` (shell/index.ts) for offsets asked in increasing order, as a rule
 * does going through a script's pipelines: the commands before each offset are read once in all, not once per
 * offset (which is quadratic in long scripts). An offset smaller than the one before starts over.
 */
export function optionTracker(entry: InstructionScript, letter: string | undefined, long: string): (offset: number) => boolean {
  // No command starts before -Infinity: what the command line that runs the script sets.
  const initial = optionSetAt(entry, -Infinity, letter, long);
  const commands = entry.script.commands;
  let next = 0;
  let on = initial;
  let last = -Infinity;
  return (offset) => {
    if (offset < last) {
      next = 0;
      on = initial;
    }
    last = offset;
    // optionSetAt reads the commands up to the first one that starts at or after the offset.
    for (; next < commands.length && commands[next].start < offset; next++) on = applySetCommand(commands[next], on, letter, long);
    return on;
  };
}

import { packageCommands, type PackageCommand } from '../semantic/packages';

export interface RunScripts {
  readonly ins: Instruction;
  readonly scripts: readonly InstructionScript[];
}

export interface RunPackageCommand {
  readonly ins: Instruction;
  readonly script: InstructionScript;
  readonly pc: PackageCommand;
}

// Read by dozens of rules: computed once per model, one frozen array for every caller (the entries are immutable).
const runScriptsCache = new WeakMap<SemanticModel, readonly RunScripts[]>();
const runPackageCommandsCache = new WeakMap<SemanticModel, readonly RunPackageCommand[]>();

/**
 * Every RUN (ONBUILD RUN included) with the shell scripts it runs; PowerShell and cmd scripts are left out:
 * shell/index.ts `runScripts` (one entry per script), grouped by instruction.
 */
export function runScripts(model: SemanticModel): readonly RunScripts[] {
  let cached = runScriptsCache.get(model);
  if (!cached) {
    const out: { ins: Instruction; scripts: InstructionScript[] }[] = [];
    for (const { ins, entry } of scriptsOfRuns(model)) {
      const last = out[out.length - 1];
      if (last?.ins === ins) last.scripts.push(entry);
      else out.push({ ins, scripts: [entry] });
    }
    runScriptsCache.set(model, (cached = Object.freeze(out)));
  }
  return cached;
}

/** Every package-manager command run by a RUN, with its script (for `toSource`). */
export function runPackageCommands(model: SemanticModel): readonly RunPackageCommand[] {
  let cached = runPackageCommandsCache.get(model);
  if (!cached) {
    const out: RunPackageCommand[] = [];
    for (const { ins, scripts } of runScripts(model)) {
      for (const script of scripts) for (const pc of packageCommands(script.script)) out.push({ ins, script, pc });
    }
    runPackageCommandsCache.set(model, (cached = Object.freeze(out)));
  }
  return cached;
}

/** One port named by an EXPOSE, after ARG/ENV expansion. */
export interface ExposedPort {
  readonly ins: Instruction;
  /** The word of the instruction it comes from. */
  readonly word: Word;
  /** The word has no variables or quotes: `port` is its text. */
  readonly literal: boolean;
  /** The word's expansion (undefined for a literal word). */
  readonly expansion: Expansion | undefined;
  readonly port: string;
}

/** Every port the EXPOSE instructions of the stages name, as the builder expands them; words that fail to expand are left out. */
export function exposedPorts(model: SemanticModel): ExposedPort[] {
  const out: ExposedPort[] = [];
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'EXPOSE') continue;
      const scope = model.scopeAt(ins);
      for (const word of ins.args) {
        const literal = !word.value.includes('$') && !/["'\\`]/.test(word.value);
        const expansion = literal ? undefined : expand(word.value, (n) => scope.get(n)?.value, model.ast.escape, { split: true });
        if (expansion?.error) continue;
        for (const port of expansion ? expansion.words : [word.value]) out.push({ ins, word, literal, expansion, port });
      }
    }
  }
  return out;
}
