/** BashismUnderSh: bash-only syntax in a RUN that /bin/sh runs (ShellCheck SC3xxx). */
import { baseShellFlavor, runScripts, type InstructionScript } from '../shell/index';
import { defineRule, type Fix } from './types';
import { replaceFix } from './util';

/** What each feature does under dash, the /bin/sh of Debian and Ubuntu. */
const WHAT: Readonly<Record<string, string>> = {
  '[[': '`[[` is not a command in dash ("[[: not found"); use `[ ... ]`',
  array: 'arrays do not exist in POSIX sh; use separate variables or "$@"',
  source: '`source` is not a dash builtin; use `.`',
  function: 'the `function` keyword is bash syntax; write `name() { ... }`',
  '<<<': 'here-strings are bash syntax; use `printf \'%s\\n\' "..." | cmd`',
  "$'...'": "`$'...'` quoting is bash syntax; use printf",
  '$"..."': '`$"..."` is bash syntax; use "..."',
  'brace expansion': 'brace expansion is bash syntax: sh keeps `{a,b}` as it is',
  '&>': '`&>` is bash syntax: dash runs the command in the background and truncates the file; use `>file 2>&1`',
  '== in [': '`==` is not a POSIX test operator (dash: "unexpected operator"); use `=`',
  'echo -e': 'dash\'s echo prints "-e" literally and always interprets backslashes; use printf',
  '((': '`(( ))` is bash syntax; use `[ $((...)) -ne 0 ]`',
  'for ((': 'C-style for loops are bash syntax; use a while loop with $((...))',
  '+=': '`+=` is bash syntax; write `VAR="${VAR}more"`',
  '${var:offset}': 'substring expansion is bash syntax; use cut or a case pattern',
  '${var/pattern/replacement}': 'pattern substitution is bash syntax; use sed',
  '${var^} case modification': 'case modification is bash syntax; use tr',
  '${var@op}': 'parameter transformation is bash syntax',
  '${!...}': 'indirect expansion is bash syntax; use eval carefully',
  'process substitution': 'process substitution is bash syntax; use a temporary file or a pipe',
  '|&': '`|&` is bash syntax; use `2>&1 |`',
  '>&': '`>&file` is bash syntax; use `>file 2>&1`',
  select: '`select` is bash syntax',
  ';&': 'case fall-through is bash syntax',
  ';;&': 'case fall-through is bash syntax',
  declare: '`declare` is a bash builtin',
  typeset: '`typeset` is not a dash builtin',
  shopt: '`shopt` is a bash builtin',
  let: '`let` is a bash builtin; use $((...))',
  pushd: '`pushd` is a bash builtin; use cd',
  popd: '`popd` is a bash builtin; use cd',
  mapfile: '`mapfile` is a bash builtin',
  readarray: '`readarray` is a bash builtin',
  disown: '`disown` is a bash builtin',
  complete: '`complete` is a bash builtin',
  compgen: '`compgen` is a bash builtin',
  caller: '`caller` is a bash builtin',
  enable: '`enable` is a bash builtin',
};

/** Features BusyBox ash (Alpine's /bin/sh) accepts. */
const BUSYBOX_OK = new Set(['[[', 'source', "$'...'", '&>', '== in [', 'echo -e', '${var:offset}', '${var/pattern/replacement}', 'function', '<<<', '((', 'let', '>&']);

export default defineRule({
  meta: {
    id: 'BashismUnderSh',
    title: 'Bash syntax under /bin/sh',
    category: 'shell',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['shellcheck:SC3010', 'shellcheck:SC3030', 'shellcheck:SC3046', 'shellcheck:SC3011', 'shellcheck:SC3003', 'shellcheck:SC3009', 'shellcheck:SC3020', 'shellcheck:SC3014', 'shellcheck:SC3037', 'shellcheck:SC3006', 'shellcheck:SC3001', 'shellcheck:SC3057', 'shellcheck:SC3060'],
    fixable: true,
    docs: {
      rationale:
        'Shell-form RUN runs `/bin/sh -c`, which is dash on Debian and Ubuntu and BusyBox ash on Alpine, not bash: `[[`, arrays, `source`, `{a,b}` and other bash syntax fail or silently do something else. Write POSIX sh, or set `SHELL ["/bin/bash", "-c"]` when the image has bash.',
      bad: 'FROM debian:12\nRUN source /etc/os-release && [[ "$ID" == debian ]] && mkdir -p /srv/{data,logs}\n',
      good: 'FROM debian:12\nRUN . /etc/os-release && [ "$ID" = debian ] && mkdir -p /srv/data /srv/logs\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      if (entry.dialect !== 'posix') continue;
      const busybox = baseShellFlavor(ctx.model, rs.ins) === 'busybox';
      const seen = new Set<number>();
      for (const b of entry.script.bashisms) {
        if (busybox && BUSYBOX_OK.has(b.feature)) continue;
        if (seen.has(b.start)) continue;
        seen.add(b.start);
        const what = WHAT[b.feature] ?? `${b.feature} is bash syntax`;
        const shell = entry.shell[0] ?? '/bin/sh';
        const fixes = fixFor(entry, b.feature, b.start, b.end);
        ctx.report(entry.toSource(b.start, b.end), `This RUN runs under ${shell}${busybox ? ' (BusyBox ash)' : ''}: ${what}.`, { fixes });
      }
    }
  },
});

function fixFor(entry: InstructionScript, feature: string, start: number, end: number): Fix[] {
  if (!entry.exact) return [];
  const text = entry.script.text;
  const range = entry.toSource(start, end);
  switch (feature) {
    case 'source':
      return text.slice(start, end) === 'source' ? [replaceFix('Use .', range, '.')] : [];
    case '== in [':
      return [replaceFix('Use =', range, '=')];
    case '&>': {
      const m = /^&(>>?)/.exec(text.slice(start, end));
      if (!m) return [];
      const target = text.slice(start + m[0].length, end).trim();
      if (!target || /\s/.test(target)) return [];
      return [replaceFix('Use >file 2>&1', range, `${m[1]}${target} 2>&1`)];
    }
    case 'function': {
      const re = /function[ \t]+([A-Za-z_][A-Za-z0-9_]*)([ \t]*\([ \t]*\))?/y;
      re.lastIndex = start;
      const m = re.exec(text);
      if (!m) return [];
      return [replaceFix(`Write ${m[1]}()`, entry.toSource(start, start + m[0].length), `${m[1]}()`)];
    }
    default:
      return [];
  }
}
