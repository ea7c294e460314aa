/**
 * The shell scripts of an instruction, parsed once and shared by every rule that asks:
 * the shell-form text of RUN/CMD/ENTRYPOINT/HEALTHCHECK, the body of `RUN <<EOF` (the heredoc is the
 * script), heredoc bodies fed to a shell (`RUN bash <<EOF`), and the script of an exec-form
 * `["sh", "-c", "..."]`. Each comes with its dialect (from the SHELL in effect, the interpreter or a
 * `#!` line) and a mapping of its offsets back to the Dockerfile.
 */
import type { Instruction, Span } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';
import type { ShCommand, ShellScript, ShWord } from './types';
import { parseShell } from './parser';
import { memoOn } from '../memo';

export * from './types';
export { parseShell, type ShellDialect } from './parser';

export type ScriptDialect = 'posix' | 'bash' | 'skip';

export interface InstructionScript {
  /**
   * The parsed script. For dialect 'skip' (PowerShell, cmd, a `#!/usr/bin/env python3` heredoc...) it is
   * EMPTY (no commands), so a rule that forgets to check the dialect stays quiet.
   */
  readonly script: ShellScript;
  /** Source range (in the Dockerfile) of a range of script offsets. */
  toSource(start: number, end: number): Span;
  readonly dialect: ScriptDialect;
  /** The command line that runs the script: the SHELL in effect, or the interpreter. */
  readonly shell: readonly string[];
  /**
   * 'shell': the shell-form text; 'heredoc': a heredoc body run as a script (`RUN <<EOF`, `RUN bash <<EOF`);
   * 'exec': the script argument of an exec-form `["sh", "-c", "..."]`.
   */
  readonly form: 'shell' | 'heredoc' | 'exec';
  /** True when the offsets map one to one onto the source (false for JSON strings with escapes). */
  readonly exact: boolean;
}

const SHELLS_POSIX = new Set(['sh', 'dash', 'ash', 'busybox', 'mksh', 'posh', 'yash']);
const SHELLS_BASH = new Set(['bash', 'zsh', 'ksh', 'ksh93', 'rbash']);
const SHELLS_SKIP = new Set(['pwsh', 'powershell', 'cmd']);

/** The dialect of a command line such as ["/bin/bash", "-o", "pipefail", "-c"]. */
export function dialectOfShell(shell: readonly string[]): ScriptDialect {
  let i = 0;
  let name = baseName(shell[0] ?? '/bin/sh');
  if (name === 'env') {
    i = 1;
    while (i < shell.length && (shell[i].startsWith('-') || shell[i].includes('='))) i++;
    name = baseName(shell[i] ?? 'sh');
  }
  if (SHELLS_SKIP.has(name)) return 'skip';
  if (SHELLS_BASH.has(name)) return 'bash';
  if (SHELLS_POSIX.has(name)) return 'posix';
  return 'posix';
}

/** The dialect a `#!` line asks for; undefined without one. */
export function dialectOfShebang(body: string): { dialect: ScriptDialect; shell: string[] } | undefined {
  const m = /^#![ \t]*(\S+)([^\n]*)/.exec(body);
  if (!m) return undefined;
  const shell = [m[1], ...m[2].trim().split(/[ \t]+/).filter(Boolean)];
  const names = shell.map(baseName);
  const first = names[0] === 'env' ? names.find((n, i) => i > 0 && !n.startsWith('-')) ?? '' : names[0];
  if (SHELLS_BASH.has(first)) return { dialect: 'bash', shell };
  if (SHELLS_POSIX.has(first)) return { dialect: 'posix', shell };
  return { dialect: 'skip', shell };
}

function leadingTabs(text: string, at: number): number {
  let n = 0;
  while (text[at + n] === '\t') n++;
  return n;
}

/**
 * `/usr/bin/Foo.EXE` -> `foo`: what `p.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase()` gives
 * (the path is cut at the last `/` or `\` before any line break), without regular expressions: it runs
 * for every command name every rule looks at.
 */
function baseName(p: string): string {
  let from = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) from = i + 1;
    else if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) break;
  }
  let to = p.length;
  // `.exe` in any case (`| 0x20` lowercases the ASCII letters E and X, and only them gives e / x).
  if (to - from >= 4 && p.charCodeAt(to - 4) === 0x2e && (p.charCodeAt(to - 3) | 0x20) === 0x65 && (p.charCodeAt(to - 2) | 0x20) === 0x78 && (p.charCodeAt(to - 1) | 0x20) === 0x65) to -= 4;
  return (from === 0 && to === p.length ? p : p.slice(from, to)).toLowerCase();
}

const cache = new WeakMap<SemanticModel, WeakMap<Instruction, readonly InstructionScript[]>>();

/**
 * The shell scripts an instruction runs, memoized per model and instruction. For ONBUILD, those of its
 * trigger. Empty for exec form without a shell and for instructions that run nothing.
 */
export function scriptsOf(model: SemanticModel, ins: Instruction): readonly InstructionScript[] {
  let byIns = cache.get(model);
  if (!byIns) {
    byIns = new WeakMap();
    cache.set(model, byIns);
  }
  let found = byIns.get(ins);
  if (!found) {
    try {
      found = computeScripts(model, ins);
    } catch {
      found = [];
    }
    byIns.set(ins, found);
  }
  return found;
}

function emptyScript(text: string): ShellScript {
  return { text, commands: [], pipelines: [], bashisms: [], errors: [], substitutions: [], dialect: 'posix' };
}

function entry(model: SemanticModel, text: string, dialect: ScriptDialect, shell: readonly string[], form: InstructionScript['form'], toSource: (s: number, e: number) => Span, exact = true): InstructionScript {
  const script = dialect === 'skip' ? emptyScript(text) : parsed(model, text, dialect);
  return { script, toSource, dialect, shell, form, exact };
}

/**
 * Parsed scripts by dialect and text, per model. A parse depends on nothing else and is never changed after, so
 * the next version of a document can take the scripts of every RUN the edit did not touch from the version
 * before (`reuseScriptsFrom`) instead of parsing them again: typing in a large file re-parses one script. A
 * script object belongs to one instruction of a version (identical RUNs get their own), as without reuse.
 */
interface ScriptPool {
  readonly parsed: Map<string, ShellScript[]>;
  /** The version before's scripts not taken yet (one version back, never a chain). */
  readonly previous: Map<string, ShellScript[]> | undefined;
}

const pools = new WeakMap<SemanticModel, ScriptPool>();

function parsed(model: SemanticModel, text: string, dialect: 'posix' | 'bash'): ShellScript {
  let pool = pools.get(model);
  if (!pool) pools.set(model, (pool = { parsed: new Map(), previous: undefined }));
  const key = dialect === 'bash' ? 'b' + text : 'p' + text;
  const script = pool.previous?.get(key)?.pop() ?? parseShell(text, dialect);
  const list = pool.parsed.get(key);
  if (list) list.push(script);
  else pool.parsed.set(key, [script]);
  return script;
}

/** Lets `model` reuse the scripts parsed for `previous` (an earlier version of the same document). */
export function reuseScriptsFrom(model: SemanticModel, previous: SemanticModel): void {
  const before = pools.get(previous);
  if (!before || model === previous || pools.has(model)) return;
  // Copies of the lists: taking a script for this version must not take it from the previous version's pool.
  const previousScripts = new Map<string, ShellScript[]>();
  for (const [key, list] of before.parsed) previousScripts.set(key, [...list]);
  pools.set(model, { parsed: new Map(), previous: previousScripts });
}

const SHELL_FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);
const EXEC_FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

function computeScripts(model: SemanticModel, ins: Instruction): InstructionScript[] {
  const target = ins.trigger ?? ins;
  const out: InstructionScript[] = [];
  if (target.shell && SHELL_FORM_KEYWORDS.has(target.keyword)) {
    const shell = model.shellOf(ins);
    const shellDialect = dialectOfShell(shell);
    const st = target.shell;
    const logical = target.logical;
    const mapShell = (s: number, e: number): Span => logical.spanOf(st.logicalStart + s, st.logicalStart + e);
    const heredocs = target.keyword === 'RUN' ? target.heredocs : [];
    const only = heredocs.length === 1 ? /^\s*<<(-?)\s*(["']?)([^\s"']+)\2\s*$/.exec(st.text) : null;
    if (only && only[3] === heredocs[0].name) {
      // `RUN <<EOF`: BuildKit writes the body to a file and runs it with the SHELL (or its #! line).
      const h = heredocs[0];
      const bang = dialectOfShebang(h.body);
      const base = h.bodyRange.start;
      out.push(entry(model, h.body, bang ? bang.dialect : shellDialect, bang ? bang.shell : shell, 'heredoc', (s, e) => ({ start: base + s, end: base + e })));
      return out;
    }
    // BuildKit appends the heredocs to the command it gives the shell: `cmd <<EOF\nbody\nEOF`. Parse the
    // text the shell gets, so unquoted bodies' substitutions count and offsets map back piecewise.
    let text = st.text;
    const pieces: { at: number; len: number; source: number }[] = [];
    for (const h of heredocs) {
      text += '\n';
      pieces.push({ at: text.length, len: h.body.length, source: h.bodyRange.start });
      text += h.body;
      const term = h.terminatorRange ? h.terminatorRange.start : h.bodyRange.end;
      pieces.push({ at: text.length, len: h.name.length, source: term + (h.chomp ? leadingTabs(model.ast.text, term) : 0) });
      text += h.name;
    }
    const mapAll = (s: number, e: number): Span => {
      if (s <= st.text.length) return mapShell(s, Math.min(e, st.text.length));
      for (let i = pieces.length - 1; i >= 0; i--) {
        const p = pieces[i];
        if (s >= p.at) {
          const a = Math.min(s, p.at + p.len) - p.at;
          const b = Math.min(Math.max(e, s), p.at + p.len) - p.at;
          return { start: p.source + a, end: p.source + b };
        }
      }
      return mapShell(s, e);
    };
    const main = entry(model, text, shellDialect, shell, 'shell', pieces.length ? mapAll : mapShell);
    out.push(main);
    if (shellDialect === 'skip') return out;
    // Heredoc bodies fed to a shell: `bash <<EOF`, `sh -eux <<'EOF'`.
    for (const h of heredocs) {
      for (const c of main.script.commands) {
        if (!c.name || c.name.hasExpansion) continue;
        const interp = baseName(c.name.value);
        if (!SHELLS_BASH.has(interp) && !SHELLS_POSIX.has(interp)) continue;
        if (c.args.some((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a.value) || (!a.value.startsWith('-') && !a.value.startsWith('+')))) continue;
        const r = c.redirects.find((x) => (x.op === '<<' || x.op === '<<-' || x.op === '0<<' || x.op === '0<<-') && x.heredoc?.delimiter === h.name);
        if (!r) continue;
        const base = h.bodyRange.start;
        out.push(entry(model, h.body, SHELLS_BASH.has(interp) ? 'bash' : 'posix', [c.name.value, ...c.args.map((a) => a.value)], 'heredoc', (s, e) => ({ start: base + s, end: base + e })));
        break;
      }
    }
    return out;
  }
  // Exec form with a shell: ["/bin/sh", "-c", "script"].
  const items = target.json?.items;
  if (target.json && items && items.length >= 3 && EXEC_FORM_KEYWORDS.has(target.keyword)) {
    const d = dialectOfShell(items.map((w) => w.value));
    const interp = baseName(items[0].value);
    if (d === 'skip' || !(SHELLS_BASH.has(interp) || SHELLS_POSIX.has(interp) || interp === 'env')) return out;
    const ci = items.findIndex((w, i) => i > 0 && /^-[A-Za-z]*c[A-Za-z]*$/.test(w.value));
    if (ci < 0 || ci + 1 >= items.length) return out;
    const item = items[ci + 1];
    const text = model.ast.text;
    const exact = text.slice(item.range.start + 1, item.range.end - 1) === item.value && text[item.range.start] === '"';
    const base = item.range.start + 1;
    out.push(
      entry(model, item.value, d, items.slice(0, ci + 1).map((w) => w.value), 'exec', exact ? (s, e) => ({ start: base + s, end: base + e }) : () => item.range, exact),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers for shell rules.


export interface RunScript {
  /** The instruction in the file (an ONBUILD for a trigger): where whole-instruction edits go. */
  readonly ins: Instruction;
  /** The RUN itself (the trigger of an ONBUILD). */
  readonly run: Instruction;
  readonly entry: InstructionScript;
}

const runScriptsCache = new WeakMap<SemanticModel, readonly RunScript[]>();

/**
 * Every shell script RUN instructions run (ONBUILD RUN triggers included), PowerShell/cmd/python skipped.
 * Memoized per model (most shell rules ask): the same frozen array for every caller.
 */
export function runScripts(model: SemanticModel): readonly RunScript[] {
  let out = runScriptsCache.get(model);
  if (!out) {
    const list: RunScript[] = [];
    for (const ins of model.ast.instructions) {
      const run = ins.trigger ?? ins;
      if (run.keyword !== 'RUN') continue;
      for (const entry of scriptsOf(model, ins)) if (entry.dialect !== 'skip') list.push({ ins, run, entry });
    }
    out = Object.freeze(list);
    runScriptsCache.set(model, out);
  }
  return out;
}

const WRAPPERS: Readonly<Record<string, { flagsWithValue: readonly string[]; positional?: number }>> = {
  sudo: { flagsWithValue: ['-u', '-g', '-C', '-p', '-h', '-r', '-t', '-U', '-D', '--user', '--group'] },
  doas: { flagsWithValue: ['-u', '-C'] },
  env: { flagsWithValue: ['-u', '-C', '--unset', '--chdir'] },
  nice: { flagsWithValue: ['-n', '--adjustment'] },
  nohup: { flagsWithValue: [] },
  time: { flagsWithValue: ['-f', '-o'] },
  exec: { flagsWithValue: ['-a'] },
  command: { flagsWithValue: [] },
  timeout: { flagsWithValue: ['-s', '-k', '--signal', '--kill-after'], positional: 1 },
  gosu: { flagsWithValue: [], positional: 1 },
  'su-exec': { flagsWithValue: [], positional: 1 },
  chroot: { flagsWithValue: ['--userspec', '--groups'], positional: 1 },
};

/**
 * The command a simple command really runs, looking through `sudo`, `env X=1`, `nice`, `exec`,
 * `timeout 10`, `gosu user`...: its name word, its arguments and the wrappers seen. Undefined for a bare
 * assignment, a name made by an expansion, or `command -v`.
 */
export function effectiveCommand(cmd: ShCommand): EffectiveCommand | undefined {
  // Dozens of rules ask for every command: the answer is kept on the command (core/memo.ts).
  return memoOn(cmd, EFFECTIVE, computeEffectiveCommand);
}

export interface EffectiveCommand {
  readonly name: ShWord;
  readonly args: readonly ShWord[];
  readonly wrappers: readonly ShWord[];
}

const EFFECTIVE = Symbol('effectiveCommand');

function computeEffectiveCommand(cmd: ShCommand): EffectiveCommand | undefined {
  let name = cmd.name;
  let args = cmd.args;
  const wrappers: ShWord[] = [];
  for (let guard = 0; name && guard < 8; guard++) {
    if (name.hasExpansion) return undefined;
    const base = baseName(name.value);
    // Own properties only: a command named `constructor` or `toString` is not a wrapper.
    const w = Object.hasOwn(WRAPPERS, base) ? WRAPPERS[base] : undefined;
    if (!w) break;
    if (name.value === 'command' && args[0] && /^-[vV]/.test(args[0].value)) return undefined;
    const env = base === 'env';
    let i = 0;
    let positional = w.positional ?? 0;
    for (; i < args.length; i++) {
      const a = args[i].value;
      if (a === '--') {
        i++;
        break;
      }
      if (a.startsWith('-') && a.length > 1) {
        if (w.flagsWithValue.includes(a)) i++;
        continue;
      }
      if (env && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) continue;
      if (positional > 0) {
        positional--;
        continue;
      }
      break;
    }
    if (i >= args.length) return wrappers.length || name !== cmd.name ? undefined : { name, args, wrappers };
    wrappers.push(name);
    name = args[i];
    args = args.slice(i + 1);
  }
  if (!name || name.hasExpansion) return undefined;
  return { name, args, wrappers };
}

/** The command's base name (`/usr/bin/apt-get` -> `apt-get`), '' for expansions. */
export function commandName(word: ShWord | undefined): string {
  return word && !word.hasExpansion ? baseName(word.value) : '';
}

/** Shells that run a script given on stdin or with -c. */
export function isShellCommand(name: string): boolean {
  return SHELLS_BASH.has(name) || SHELLS_POSIX.has(name);
}

/** Whether a shell option (`e` for errexit, `pipefail`...) is set by the command line that runs the script. */
function shellLineSets(shell: readonly string[], letter: string, long: string): boolean {
  for (let i = 0; i < shell.length; i++) {
    const a = shell[i];
    if (a === '-o' && shell[i + 1] === long) return true;
    if (/^-[a-zA-Z]+$/.test(a) && !a.startsWith('--') && a.slice(1).includes(letter) && letter.length === 1) return true;
    if (/^-[a-zA-Z]*o$/.test(a) && shell[i + 1] === long) return true;
  }
  return false;
}

/**
 * Whether a `set` option is in effect at `offset` of a script: from the SHELL / interpreter line or a
 * top-level `set -e` / `set -o pipefail` (a later `set +e` turns it off again). `letter` is the short
 * option (`e`), `long` the `-o` name (`errexit`, `pipefail`).
 */
export function optionSetAt(entry: InstructionScript, offset: number, letter: string | undefined, long: string): boolean {
  let on = shellLineSets(entry.shell, letter ?? '\0', long);
  for (const c of entry.script.commands) {
    if (c.start >= offset) break;
    on = applySetCommand(c, on, letter, long);
  }
  return on;
}

/** The effect of one command on a shell option that was `on` before it: a top-level `set -e`, `set +o pipefail`... */
export function applySetCommand(c: ShCommand, on: boolean, letter: string | undefined, long: string): boolean {
  if (c.depth !== 0 || c.inSubstitution || commandName(c.name) !== 'set') return on;
  const args = c.args.map((a) => a.value);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const sign = a[0];
    if ((sign !== '-' && sign !== '+') || a === '--') continue;
    if ((a === '-o' || a === '+o') && args[i + 1] === long) on = sign === '-';
    else if (/^[-+][a-zA-Z]*o$/.test(a) && args[i + 1] === long) on = sign === '-';
    else if (letter && /^[-+][a-zA-Z]+$/.test(a) && a.slice(1).includes(letter)) on = sign === '-';
  }
  return on;
}

const BASH_IMAGES = new Set([
  'debian', 'ubuntu', 'buildpack-deps', 'python', 'node', 'golang', 'rust', 'ruby', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'sapmachine',
  'maven', 'gradle', 'php', 'perl', 'gcc', 'haskell', 'elixir', 'erlang', 'swift', 'julia', 'r-base', 'clojure', 'centos', 'fedora', 'rockylinux',
  'almalinux', 'amazonlinux', 'oraclelinux', 'ubi', 'ubi8', 'ubi9', 'ubi10', 'ubi8/ubi', 'ubi9/ubi', 'cuda', 'pytorch', 'tensorflow', 'jenkins',
  'kalilinux/kali-rolling', 'archlinux', 'opensuse/leap', 'opensuse/tumbleweed', 'ros', 'dotnet/sdk', 'dotnet/aspnet', 'dotnet/runtime',
  'mambaorg/micromamba', 'continuumio/miniconda3', 'postgres', 'mysql', 'mariadb', 'nginx', 'httpd', 'redis', 'mongo', 'tomcat', 'wordpress',
]);

/**
 * What `/bin/sh` is in the stage's base image, as far as the image name tells: 'busybox' (Alpine,
 * BusyBox: ash, which has pipefail and some bash syntax), 'bash' (an image known to ship bash, e.g.
 * Debian/Ubuntu/RHEL families, where /bin/sh is dash or bash), or 'unknown'.
 */
export function baseShellFlavor(model: SemanticModel, ins: Instruction): 'busybox' | 'bash' | 'unknown' {
  let stage = model.stageOf(ins);
  for (let guard = 0; stage?.base.stage && guard < 100; guard++) stage = stage.base.stage;
  const image = stage?.base.image;
  if (!stage || stage.base.scratch || !image || stage.base.unresolved) return 'unknown';
  const name = image.familiar.toLowerCase();
  const tag = (image.tag ?? '').toLowerCase();
  const last = name.replace(/^.*\//, '');
  if (last === 'alpine' || last === 'busybox' || /(^|[-.])alpine/.test(tag) || /(^|-)musl/.test(tag) || last.endsWith('-alpine')) return 'busybox';
  if (/distroless|scratch|chainguard|wolfi|nanoserver|servercore|windows/.test(name + ':' + tag)) return 'unknown';
  const tail2 = name.split('/').slice(-2).join('/');
  if (BASH_IMAGES.has(last) || BASH_IMAGES.has(tail2) || BASH_IMAGES.has(name)) return 'bash';
  return 'unknown';
}
