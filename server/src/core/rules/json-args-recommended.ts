/** JSONArgsRecommended: BuildKit's recommendation of the exec (JSON) form for CMD and ENTRYPOINT. */
import { WINDOWS_SHELL } from '../semantic/model';
import type { Stage } from '../semantic/model';
import type { Instruction } from '../syntax/ast';
import { defineRule } from './types';
import { replaceFix } from './util';

/** Unquoted characters that mean the same to a shell and to exec: no expansions, globs, operators or comments. */
const PLAIN_CHAR = /[A-Za-z0-9_./:=@%+,-]/;
/** Shell builtins and keywords: they exist only inside a shell, so exec form cannot run them. */
const SHELL_ONLY = new Set([
  '.', ':', 'alias', 'bg', 'break', 'case', 'cd', 'command', 'continue', 'declare', 'eval', 'exit', 'export', 'fg', 'for',
  'function', 'getopts', 'hash', 'if', 'jobs', 'local', 'read', 'readonly', 'return', 'select', 'set', 'shift', 'source',
  'time', 'times', 'trap', 'type', 'typeset', 'ulimit', 'umask', 'unalias', 'unset', 'until', 'wait', 'while',
]);

/**
 * The words a shell makes of `command` when that needs no shell feature: plain characters, 'single'
 * quoted text and "double" quoted text without `$`, backquotes or backslashes. Undefined otherwise.
 */
function plainWords(command: string): string[] | undefined {
  const words: string[] = [];
  const s = command;
  let i = 0;
  for (;;) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) return words;
    let word = '';
    while (i < s.length && s[i] !== ' ' && s[i] !== '\t') {
      const ch = s[i];
      if (ch === "'" || ch === '"') {
        const end = s.indexOf(ch, i + 1);
        if (end === -1) return undefined;
        const quoted = s.slice(i + 1, end);
        if (ch === '"' && /[$`\\]/.test(quoted)) return undefined;
        word += quoted;
        i = end + 1;
        continue;
      }
      if (!PLAIN_CHAR.test(ch)) return undefined;
      word += ch;
      i++;
    }
    words.push(word);
  }
}

/** The exec-form words of a shell command that means exactly the same without a shell, or undefined. */
export function execFormOf(command: string): string[] | undefined {
  const words = plainWords(command.trim());
  if (!words || words.length === 0) return undefined;
  // `exec prog args` only replaces the shell with prog: the exec form does that directly.
  if (words[0] === 'exec') words.shift();
  if (words.length === 0 || words[0].includes('=') || SHELL_ONLY.has(words[0])) return undefined;
  return words;
}

export default defineRule({
  meta: {
    id: 'JSONArgsRecommended',
    title: 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:JSONArgsRecommended', 'hadolint:DL3025'],
    fixable: true,
    docs: {
      rationale:
        'In shell form, `CMD`/`ENTRYPOINT` run as a child of `/bin/sh -c`, and the shell does not pass signals on: `docker stop` sends SIGTERM to the shell, the program never sees it and is killed after the timeout. The exec (JSON) form runs the program as PID 1. As in BuildKit, the check is silent in a stage where a `SHELL` instruction chose the shell explicitly. The quick fix rewrites the command to JSON only when it is plain words that mean the same without a shell (and, for ENTRYPOINT, when no CMD would start being appended to it).',
      bad: 'FROM node:20-alpine\nCOPY . /app\nCMD node /app/server.js\n',
      good: 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
    },
  },
  check(ctx) {
    // Whether the image config of each stage has a shell at its end: a SHELL ran in it or in the stages it builds on.
    const endsWithShell = new Map<Stage, boolean>();
    let cmdBelow: Set<Stage> | undefined;
    for (const stage of ctx.model.stages) {
      // A stage builds on an earlier stage, which is already done.
      let shellSet = stage.base.stage !== undefined && endsWithShell.get(stage.base.stage) === true;
      for (const ins of stage.instructions) {
        // BuildKit: only when the image config has no shell, i.e. no SHELL ran in this stage or the stages it builds on.
        if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && ins.shell && !shellSet) {
          const shell = ctx.model.shellOf(ins);
          const windows = shell.join(' ') === WINDOWS_SHELL.join(' ');
          // An exec-form ENTRYPOINT gets the CMD appended, a shell-form one ignores it: only rewrite when
          // no CMD in this stage or in a stage built on it could change meaning.
          const cmdAppended = ins.keyword === 'ENTRYPOINT' && (cmdBelow ??= stagesWithCmdAfterwards(ctx.model.stages)).has(stage);
          const words = windows || cmdAppended ? undefined : execFormOf(ins.shell.text);
          const json = words && `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
          ctx.report(
            ins.shell.range,
            `${ins.keyword} in shell form runs the command as a child of "${shell.join(' ')}", which does not pass on OS signals such as SIGTERM: use the JSON (exec) form.`,
            { fixes: json ? [replaceFix(`Rewrite as ${ins.keyword} ${json}`, ins.shell.range, json)] : [] },
          );
        }
        if (isShell(ins)) shellSet = true;
      }
      endsWithShell.set(stage, shellSet);
    }
  },
});

function isShell(i: Instruction): boolean {
  return i.keyword === 'SHELL' && i.json !== undefined && i.json.items.length > 0;
}

/** The stages where a CMD is set in the stage or in a stage built on it. */
function stagesWithCmdAfterwards(stages: readonly Stage[]): Set<Stage> {
  const out = new Set<Stage>();
  // Stages built on a stage come after it: going backwards, a stage's own CMD and its children's are known.
  for (let i = stages.length - 1; i >= 0; i--) {
    const s = stages[i];
    if (s.instructions.some((x) => x.keyword === 'CMD')) out.add(s);
    if (out.has(s) && s.base.stage) out.add(s.base.stage);
  }
  return out;
}
