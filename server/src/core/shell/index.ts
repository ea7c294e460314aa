/**
 * The shell scripts of an instruction, parsed once and shared by every rule that asks:
 * the shell-form text of RUN/CMD/ENTRYPOINT/HEALTHCHECK, the body of `RUN <<EOF` (the heredoc is the
 * script), heredoc bodies fed to a shell (`RUN bash <<EOF`), and the script of an exec-form
 * `["sh", "-c", "..."]`. Each comes with its dialect (from the SHELL in effect, the interpreter or a
 * `#!` line) and a mapping of its offsets back to the Dockerfile.
 */
import type { Instruction, Span } from '../syntax/ast';
import type { SemanticModel } from '../semantic/model';
import type { ShellScript } from './types';
import { parseShell } from './parser';

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

function baseName(p: string): string {
  return p.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
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

function entry(text: string, dialect: ScriptDialect, shell: readonly string[], form: InstructionScript['form'], toSource: (s: number, e: number) => Span, exact = true): InstructionScript {
  const script = dialect === 'skip' ? emptyScript(text) : parseShell(text, dialect);
  return { script, toSource, dialect, shell, form, exact };
}

function computeScripts(model: SemanticModel, ins: Instruction): InstructionScript[] {
  const target = ins.trigger ?? ins;
  const out: InstructionScript[] = [];
  const shell = model.shellOf(ins);
  const shellDialect = dialectOfShell(shell);
  if (target.shell && ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(target.keyword)) {
    const st = target.shell;
    const logical = target.logical;
    const mapShell = (s: number, e: number): Span => logical.spanOf(st.logicalStart + s, st.logicalStart + e);
    const heredocs = target.keyword === 'RUN' ? target.heredocs : [];
    const only = /^\s*<<(-?)\s*(["']?)([^\s"']+)\2\s*$/.exec(st.text);
    if (heredocs.length === 1 && only && only[3] === heredocs[0].name) {
      // `RUN <<EOF`: BuildKit writes the body to a file and runs it with the SHELL (or its #! line).
      const h = heredocs[0];
      const bang = dialectOfShebang(h.body);
      const base = h.bodyRange.start;
      out.push(entry(h.body, bang ? bang.dialect : shellDialect, bang ? bang.shell : shell, 'heredoc', (s, e) => ({ start: base + s, end: base + e })));
      return out;
    }
    const main = entry(st.text, shellDialect, shell, 'shell', mapShell);
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
        out.push(entry(h.body, SHELLS_BASH.has(interp) ? 'bash' : 'posix', [c.name.value, ...c.args.map((a) => a.value)], 'heredoc', (s, e) => ({ start: base + s, end: base + e })));
        break;
      }
    }
    return out;
  }
  // Exec form with a shell: ["/bin/sh", "-c", "script"].
  const items = target.json?.items;
  if (target.json && items && items.length >= 3 && ['RUN', 'CMD', 'ENTRYPOINT'].includes(target.keyword)) {
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
      entry(item.value, d, items.slice(0, ci + 1).map((w) => w.value), 'exec', exact ? (s, e) => ({ start: base + s, end: base + e }) : () => item.range, exact),
    );
  }
  return out;
}
