/** JSONArgsRecommended: BuildKit's recommendation of the exec (JSON) form for CMD and ENTRYPOINT. */
import { WINDOWS_SHELL } from '../semantic/model';
import { instructionsBefore } from '../semantic/stage-chain';
import { defineRule } from './types';
import { replaceFix } from './util';

/** Words that mean the same to a shell and to exec: no quotes, expansions, globs, operators or comments. */
const PLAIN_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;
/** Shell builtins and keywords: they exist only inside a shell, so exec form cannot run them. */
const SHELL_ONLY = new Set([
  '.', ':', 'alias', 'bg', 'break', 'case', 'cd', 'command', 'continue', 'declare', 'eval', 'exit', 'export', 'fg', 'for',
  'function', 'getopts', 'hash', 'if', 'jobs', 'local', 'read', 'readonly', 'return', 'select', 'set', 'shift', 'source',
  'time', 'times', 'trap', 'type', 'typeset', 'ulimit', 'umask', 'unalias', 'unset', 'until', 'wait', 'while',
]);

/** The exec-form words of a shell command that means exactly the same without a shell, or undefined. */
export function execFormOf(command: string): string[] | undefined {
  const words = command.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0 || words.some((w) => !PLAIN_WORD.test(w))) return undefined;
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
        'In shell form, `CMD`/`ENTRYPOINT` run as a child of `/bin/sh -c`, and the shell does not pass signals on: `docker stop` sends SIGTERM to the shell, the program never sees it and is killed after the timeout. The exec (JSON) form runs the program as PID 1. As in BuildKit, the check is silent in a stage where a `SHELL` instruction chose the shell explicitly. The quick fix rewrites the command to JSON only when it is plain words that mean the same without a shell.',
      bad: 'FROM node:20-alpine\nCOPY . /app\nCMD node /app/server.js\n',
      good: 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if ((ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') || !ins.shell) continue;
        // BuildKit: only when the image config has no shell, i.e. no SHELL ran in this stage or the stages it builds on.
        if (instructionsBefore(stage, ins).some((i) => i.keyword === 'SHELL' && i.json && i.json.items.length > 0)) continue;
        const shell = ctx.model.shellOf(ins);
        const windows = shell.join(' ') === WINDOWS_SHELL.join(' ');
        const words = windows ? undefined : execFormOf(ins.shell.text);
        const json = words && `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
        ctx.report(
          ins.shell.range,
          `${ins.keyword} in shell form runs the command as a child of "${shell.join(' ')}", which does not pass on OS signals such as SIGTERM: use the JSON (exec) form.`,
          { fixes: json ? [replaceFix(`Rewrite as ${ins.keyword} ${json}`, ins.shell.range, json)] : [] },
        );
      }
    }
  },
});
