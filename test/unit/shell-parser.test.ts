/**
 * The shell parser: data-driven tables (input -> commands with their words, offsets, pipelines,
 * connectors, bashisms and errors), cases taken from real Dockerfiles, scriptsOf on Dockerfiles, and
 * a property test: parseShell never throws and every offset lies within the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseShell } from '../../server/src/core/shell/parser';
import { scriptsOf } from '../../server/src/core/shell/index';
import type { ShCommand, ShellScript, ShPipeline, ShWord } from '../../server/src/core/shell/types';
import { parse } from '../../server/src/core/syntax/parser';
import { buildModel } from '../../server/src/core/semantic/model';

/** `[depth][S if in substitution][C if in condition]: assignments name args redirects`. */
function fmt(c: ShCommand): string {
  const flags = `${c.depth || ''}${c.inSubstitution ? 'S' : ''}${c.inCondition ? 'C' : ''}`;
  const words = [...c.assignments.map((a) => a.raw), ...(c.name ? [c.name.value, ...c.args.map((a) => a.value)] : [])];
  const redirs = c.redirects.map((r) => r.op + (r.target ? r.target.value : ''));
  return (flags ? flags + ': ' : '') + [...words, ...redirs].join(' ');
}

/** `prev [names joined by |] next` for every pipeline with commands. */
function links(s: ShellScript): string[] {
  return s.pipelines.filter((p) => p.commands.length > 0).map((p) => `${p.prev ?? ''}[${p.commands.map((c) => c.name?.value ?? '=').join('|')}]${p.next ?? ''}`.replace(/\n/g, '\\n'));
}

interface Case {
  readonly name: string;
  readonly input: string;
  readonly dialect?: 'posix' | 'bash';
  readonly commands: readonly string[];
  readonly links?: readonly string[];
  readonly bashisms?: readonly string[];
  readonly errors?: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'simple', input: 'echo hello world', commands: ['echo hello world'], links: ['[echo]'] },
  { name: 'empty', input: '', commands: [], links: [] },
  { name: 'only comment', input: '# nothing here', commands: [] },
  {
    name: 'apt-get chain',
    input: 'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
    commands: ['apt-get update', 'apt-get install -y --no-install-recommends curl ca-certificates', 'rm -rf /var/lib/apt/lists/*'],
    links: ['[apt-get]&&', '&&[apt-get]&&', '&&[rm]'],
  },
  {
    name: 'set -eux; with continuation-joined spacing',
    input: 'set -eux;   apt-get update;   apt-get install -y git;   rm -rf /var/lib/apt/lists/*',
    commands: ['set -eux', 'apt-get update', 'apt-get install -y git', 'rm -rf /var/lib/apt/lists/*'],
    links: ['[set];', ';[apt-get];', ';[apt-get];', ';[rm]'],
  },
  {
    name: 'backslash-newline continuation (heredoc body)',
    input: 'apk add \\\n  curl \\\n  git\n',
    commands: ['apk add curl git'],
    links: ['[apk]\\n'],
  },
  {
    name: 'quotes and escapes',
    input: `echo 'single $x' "double $y \\"q\\"" \\$z a\\ b`,
    commands: ['echo single $x double $y "q" $z a b'],
  },
  {
    name: 'nested quotes in substitution',
    input: `echo "version: $(cat "/etc/os-release" | grep '"VERSION"')"`,
    commands: ['echo version: $(cat "/etc/os-release" | grep \'"VERSION"\')', '1S: cat /etc/os-release', '1S: grep "VERSION"'],
    links: ['[echo]', '[cat|grep]'],
  },
  {
    name: 'curl into sh inside $()',
    input: 'sh -c "$(curl -fsSL https://example.com/install.sh)"',
    commands: ['sh -c $(curl -fsSL https://example.com/install.sh)', '1S: curl -fsSL https://example.com/install.sh'],
  },
  {
    name: 'curl piped to bash',
    input: 'curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs',
    commands: ['curl -fsSL https://deb.nodesource.com/setup_20.x', 'bash -', 'apt-get install -y nodejs'],
    links: ['[curl|bash]&&', '&&[apt-get]'],
  },
  {
    name: 'backticks',
    input: 'echo `uname -m` && ARCH=`dpkg --print-architecture`',
    commands: ['echo `uname -m`', '1S: uname -m', 'ARCH=`dpkg --print-architecture`', '1S: dpkg --print-architecture'],
  },
  {
    name: 'nested backticks are unescaped and parsed',
    input: 'echo `echo \\`hostname\\` "$x"` && echo "`echo \\"q\\"`"',
    commands: ['echo `echo \\`hostname\\` "$x"`', '1S: echo `hostname` $x', '2S: hostname', 'echo `echo \\"q\\"`', '1S: echo q'],
  },
  { name: 'time is a keyword in bash', input: 'time -p make -j4 all', dialect: 'bash', commands: ['make -j4 all'] },
  { name: 'time is a command in sh', input: 'time make -j4 all', commands: ['time make -j4 all'] },
  {
    name: 'arithmetic and parameter expansion',
    input: 'make -j$(( $(nproc) + 1 )) PREFIX=${PREFIX:-/usr/local}',
    commands: ['make -j$(( $(nproc) + 1 )) PREFIX=${PREFIX:-/usr/local}'],
  },
  {
    name: 'nested ${} with substitution',
    input: 'echo ${VERSION:-$(cat /VERSION)}',
    commands: ['echo ${VERSION:-$(cat /VERSION)}', '1S: cat /VERSION'],
  },
  {
    name: 'assignments before a command and alone',
    input: 'DEBIAN_FRONTEND=noninteractive LANG=C apt-get install -y tzdata; X=1',
    commands: ['DEBIAN_FRONTEND=noninteractive LANG=C apt-get install -y tzdata', 'X=1'],
    links: ['[apt-get];', ';[=]'],
  },
  {
    name: 'redirections',
    input: 'echo a > /tmp/x 2>&1; cat < in >> out 2>/dev/null; echo err >&2; exec 3<> /dev/tcp',
    commands: ['echo a >/tmp/x 2>&1', 'cat <in >>out 2>/dev/null', 'echo err >&2', 'exec 3<>/dev/tcp'],
  },
  {
    name: 'bash redirections',
    input: 'cmd &> /dev/null; cat <<< "$X"; cmd2 &>> log',
    dialect: 'bash',
    commands: ['cmd &>/dev/null', 'cat <<<$X', 'cmd2 &>>log'],
    bashisms: ['&>', '<<<', '&>'],
  },
  {
    name: 'heredoc in the text',
    input: "cat <<EOF > /etc/apt/sources.list\ndeb http://deb.debian.org/debian bookworm main\nEOF\ncat <<-'END' | tee /x\n\tliteral $HOME\n\tEND\necho done\n",
    commands: ['cat <<EOF >/etc/apt/sources.list', 'cat <<-END', 'tee /x', 'echo done'],
    links: ['[cat]\\n', '\\n[cat|tee]\\n', '\\n[echo]\\n'],
  },
  {
    name: 'pipelines, negation, |&',
    input: '! grep -q foo /etc/x | sort |& uniq',
    dialect: 'bash',
    commands: ['C: grep -q foo /etc/x', 'C: sort', 'C: uniq'],
    links: ['[grep|sort|uniq]'],
    bashisms: ['|&'],
  },
  {
    name: 'or chains are conditions',
    input: 'a && b || c; d || true; e && f',
    commands: ['C: a', 'C: b', 'c', 'C: d', 'true', 'e', 'f'],
    links: ['[a]&&', '&&[b]||', '||[c];', ';[d]||', '||[true];', ';[e]&&', '&&[f]'],
  },
  {
    name: 'background and newline connectors',
    input: 'dockerd &\nsleep 5\n\n# wait\ndocker info',
    commands: ['dockerd', 'sleep 5', 'docker info'],
    links: ['[dockerd]&', '&[sleep]\\n', '\\n[docker]'],
  },
  {
    name: 'if/elif/else',
    input: 'if [ "$TARGETARCH" = "arm64" ]; then ARCH=aarch64; elif [ -z "$X" ]; then ARCH=x86_64; else exit 1; fi && echo $ARCH',
    commands: ['1C: [ $TARGETARCH = arm64 ]', '1: ARCH=aarch64', '1C: [ -z $X ]', '1: ARCH=x86_64', '1: exit 1', 'echo $ARCH'],
  },
  {
    name: 'if over several lines',
    input: 'if command -v apt-get >/dev/null; then\n  apt-get update\nelse\n  apk update\nfi\n',
    commands: ['1C: command -v apt-get >/dev/null', '1: apt-get update', '1: apk update'],
  },
  {
    name: 'for loop over a glob',
    input: 'for f in *.deb; do dpkg -i "$f" || apt-get -f install -y; done',
    commands: ['1C: dpkg -i $f', '1: apt-get -f install -y'],
  },
  {
    name: 'for loop over substitution, newline form',
    input: 'for p in $(cat packages.txt)\ndo\n  pip install "$p"\ndone',
    commands: ['1S: cat packages.txt', '1: pip install $p'],
  },
  {
    name: 'while read loop with redirect',
    input: 'while read -r line; do echo "$line"; done < /tmp/list',
    commands: ['1C: read -r line', '1: echo $line'],
  },
  {
    name: 'until',
    input: 'until curl -sf http://localhost/health; do sleep 1; done',
    commands: ['1C: curl -sf http://localhost/health', '1: sleep 1'],
  },
  {
    name: 'case statement',
    input: 'case "$(uname -m)" in\n  x86_64) ARCH=amd64 ;;\n  aarch64|arm64) ARCH=arm64;;\n  *) echo "unsupported: $(uname -m)" >&2; exit 1 ;;\nesac',
    commands: ['1S: uname -m', '1: ARCH=amd64', '1: ARCH=arm64', '1: echo unsupported: $(uname -m) >&2', '2S: uname -m', '1: exit 1'],
  },
  {
    name: 'case with (pattern) and inside $()',
    input: 'X=$(case $A in (a) echo 1;; b) echo 2;; esac); echo $X',
    commands: ['X=$(case $A in (a) echo 1;; b) echo 2;; esac)', '2S: echo 1', '2S: echo 2', 'echo $X'],
  },
  {
    name: 'subshell and group',
    input: '(cd /src && make) && { echo ok; echo done; } > /log',
    commands: ['1: cd /src', '1: make', '1: echo ok', '1: echo done'],
    links: ['[cd]&&', '&&[make]', '[echo];', ';[echo];'],
  },
  {
    name: 'function definitions',
    input: 'retry() { for i in 1 2 3; do "$@" && return 0; sleep 1; done; return 1; }; function g { :; }; retry curl -f x',
    dialect: 'bash',
    commands: ['2: $@', '2: return 0', '2: sleep 1', '1: return 1', '1: :', 'retry curl -f x'],
    bashisms: ['function'],
  },
  {
    name: 'bashisms',
    input: "[[ -f /x && $y == z* ]] && a=(1 2) && source /etc/os-release && echo $'\\t' {a,b} && (( i++ )) && [ \"$a\" == b ] && x+=y && echo ${v:0:3} ${v//a/b}",
    dialect: 'bash',
    commands: ['[[ -f /x && $y == z* ]]', 'a=(1 2)', 'source /etc/os-release', 'echo \t a,b {a,b}'.replace(' a,b', ''), '[ $a == b ]', 'x+=y', 'echo ${v:0:3} ${v//a/b}'],
    bashisms: ['[[', 'array', 'source', "$'...'", 'brace expansion', '((', '== in [', '+=', '${var:offset}', '${var/pattern/replacement}'],
  },
  {
    name: 'array assignments as arguments of declaration builtins',
    input: 'declare -A v=([node]=20 [py]=3.12) && local a=(1 2) x=3',
    dialect: 'bash',
    commands: ['declare -A v=([node]=20 [py]=3.12)', 'local a=(1 2) x=3'],
    bashisms: ['declare', 'array', 'array'],
  },
  {
    name: 'process substitution',
    input: 'diff <(sort a) <(sort b)',
    dialect: 'bash',
    commands: ['diff <(sort a) <(sort b)', '1S: sort a', '1S: sort b'],
    bashisms: ['process substitution', 'process substitution'],
  },
  {
    name: 'echo -e is a bashism, echo -n is not',
    input: 'echo -e "a\\nb" > /x; echo -n x',
    commands: ['echo -e a\\nb >/x', 'echo -n x'],
    bashisms: ['echo -e'],
  },
  {
    name: 'comments and # inside words',
    input: 'echo a#b # comment; not a command\nls "#x" \\#y',
    commands: ['echo a#b', 'ls #x #y'],
  },
  {
    name: 'find -exec with {} and \\;',
    input: "find / -xdev -name '*.pyc' -exec rm -f {} \\; && find . -type d -exec chmod 755 {} +",
    commands: ['find / -xdev -name *.pyc -exec rm -f {} ;', 'find . -type d -exec chmod 755 {} +'],
    bashisms: [],
  },
  {
    name: 'awk and sed programs stay single words',
    input: `awk -F: '{print $1, $3}' /etc/passwd | sed -e 's/a/b/g' -e "s|x|\${HOME}|"`,
    commands: ['awk -F: {print $1, $3} /etc/passwd', 'sed -e s/a/b/g -e s|x|${HOME}|'],
    bashisms: [],
  },
  {
    name: 'reserved words as arguments',
    input: 'echo if then fi done { } ; echo in',
    commands: ['echo if then fi done { }', 'echo in'],
    errors: [],
  },
  // ---- errors and recovery
  { name: 'unterminated double quote', input: 'echo "abc; ls', commands: ['echo abc; ls'], errors: ['Unterminated double quote.@5'] },
  { name: 'unterminated single quote', input: "apt-get install -y 'curl && ls", commands: ["apt-get install -y curl && ls"], errors: ['Unterminated single quote.@19'] },
  { name: 'dangling &&', input: 'apt-get update &&', commands: ['apt-get update'], errors: ["Expected a command after '&&'.@15"] },
  { name: 'dangling pipe', input: 'cat x |', commands: ['cat x'], errors: ["Expected a command after '|'.@6"] },
  {
    name: 'missing fi keeps commands',
    input: 'if [ -f x ]; then echo yes; echo more',
    commands: ['1C: [ -f x ]', '1: echo yes', '1: echo more'],
    errors: ["'if' without matching 'fi'.@0"],
  },
  {
    name: 'stray fi and ) are skipped',
    input: 'echo a; fi; echo b ) ; echo c',
    commands: ['echo a', 'echo b', 'echo c'],
    errors: ["Unexpected 'fi'.@8", "Unexpected ';'.@10", "Unexpected ')'.@19", "Unexpected ';'.@21"],
  },
  {
    name: 'missing done',
    input: 'for i in 1 2; do echo $i',
    commands: ['1: echo $i'],
    errors: ["'for' without matching 'done'.@0"],
  },
  {
    name: 'unclosed $(',
    input: 'echo $(date && ls',
    commands: ['echo $(date && ls', '1S: date', '1S: ls'],
    errors: ["'$(' without matching ')'.@5"],
  },
  { name: 'double semicolon outside case', input: 'a;; b', commands: ['a', 'b'], errors: ["Unexpected ';;'.@1"] },
  { name: 'missing esac', input: 'case x in a) echo a;;', commands: ['1: echo a'], errors: ["'case' without matching 'esac'.@0"] },
  { name: 'unclosed brace group', input: '{ echo a; echo b', commands: ['1: echo a', '1: echo b'], errors: ["'{' without matching '}'.@0"] },
  { name: 'missing ]]', input: '[[ -f x && echo', dialect: 'bash', commands: ['[[ -f x && echo'], errors: ["'[[' without matching ']]'.@0"] },
];

for (const c of CASES) {
  test(`parseShell: ${c.name}`, () => {
    const s = parseShell(c.input, c.dialect ?? 'posix');
    assert.deepEqual(s.commands.map(fmt), c.commands);
    if (c.links) assert.deepEqual(links(s), c.links);
    if (c.bashisms) assert.deepEqual(s.bashisms.map((b) => b.feature), c.bashisms);
    assert.deepEqual(s.errors.map((e) => `${e.message}@${e.start}`), c.errors ?? []);
    checkInvariants(s);
  });
}

test('parseShell: word offsets, values and vars', () => {
  const t = 'rm -rf $DIR/* "$HOME" ${A}x \'$B\'';
  const s = parseShell(t);
  const [cmd] = s.commands;
  const w = (i: number) => cmd.args[i];
  assert.deepEqual(cmd.args.map((a) => [a.raw, a.start, a.end, a.quoted, a.hasExpansion]), [
    ['-rf', 3, 6, false, false],
    ['$DIR/*', 7, 13, false, true],
    ['"$HOME"', 14, 21, true, true],
    ['${A}x', 22, 27, false, true],
    ["'$B'", 28, 32, true, false],
  ]);
  assert.deepEqual(w(1).unquotedVars, [{ name: 'DIR', start: 7, end: 11 }]);
  assert.deepEqual(w(2).unquotedVars, []);
  assert.deepEqual(w(3).unquotedVars, [{ name: 'A', start: 22, end: 26 }]);
  assert.deepEqual(w(4).unquotedVars, []);
  assert.equal(cmd.name?.start, 0);
  assert.equal(cmd.end, t.length);
});

test('parseShell: pipes, connectors and neighbours', () => {
  const s = parseShell('curl -sL x | tar xz -C /opt && ln -s /opt/a /usr/bin/a; echo ok');
  const [p1, p2, p3] = s.pipelines;
  assert.deepEqual(p1.pipes, [{ start: 11, end: 12 }]);
  assert.equal(p1.commands[1].pipelineIndex, 1);
  assert.equal(p1.commands[1].pipeline, p1);
  assert.equal(p1.following, p2);
  assert.equal(p2.preceding, p1);
  assert.equal(p2.following, p3);
  assert.equal(p3.following, undefined);
  assert.deepEqual([p1.prev, p1.next, p2.prev, p2.next, p3.prev, p3.next], [undefined, '&&', '&&', ';', ';', undefined]);
});

test('parseShell: heredoc bodies and substitutions are located', () => {
  const t = 'cat <<EOF >/x\nline $(id -u)\nEOF\necho `date` $((1+1))';
  const s = parseShell(t);
  const r = s.commands[0].redirects[0];
  assert.equal(r.op, '<<');
  assert.deepEqual(r.heredoc, { delimiter: 'EOF', expand: true, body: { start: 14, end: 28 } });
  assert.equal(t.slice(r.heredoc!.body!.start, r.heredoc!.body!.end), 'line $(id -u)\n');
  assert.deepEqual(s.substitutions.map((x) => [x.kind, t.slice(x.start, x.end)]), [
    ['command', '$(id -u)'],
    ['backtick', '`date`'],
    ['arithmetic', '$((1+1))'],
  ]);
  // An unquoted body's substitutions run; a quoted body is data.
  assert.deepEqual(s.commands.map(fmt), ['cat <<EOF >/x', '1S: id -u', 'echo `date` $((1+1))', '1S: date']);
  assert.deepEqual(parseShell("cat <<'EOF'\n$(id -u)\nEOF").commands.map(fmt), ['cat <<EOF']);
});

test('parseShell: dialect is recorded, parsing is the same', () => {
  assert.equal(parseShell('a', 'bash').dialect, 'bash');
  assert.equal(parseShell('a').dialect, 'posix');
  assert.deepEqual(parseShell('[[ a ]]', 'posix').bashisms.map((b) => b.feature), ['[[']);
});

test('parseShell: deep nesting does not overflow', () => {
  const deep = '$('.repeat(5000) + 'x' + ')'.repeat(5000);
  const s = parseShell(deep);
  assert.ok(s.errors.length > 0);
  checkInvariants(s);
  const subshells = '('.repeat(3000) + 'ls' + ')'.repeat(3000);
  checkInvariants(parseShell(subshells));
});

// ---------------------------------------------------------------- scriptsOf

function scripts(dockerfile: string) {
  const ast = parse(dockerfile);
  const model = buildModel(ast);
  return ast.instructions.map((ins) => ({ ins, list: scriptsOf(model, ins), again: scriptsOf(model, ins) }));
}

test('scriptsOf: shell form, offsets mapped through continuations', () => {
  const df = 'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl\n';
  const [, run] = scripts(df);
  assert.equal(run.list, run.again, 'memoized');
  const [s] = run.list;
  assert.equal(s.dialect, 'posix');
  assert.equal(s.form, 'shell');
  const install = s.script.commands[1];
  const span = s.toSource(install.name!.start, install.args[2].end);
  assert.equal(df.slice(span.start, span.end), 'apt-get install -y curl');
});

test('scriptsOf: dialect from SHELL; PowerShell skipped', () => {
  const df = 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN [[ -f x ]]\nSHELL ["pwsh", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n';
  const r = scripts(df);
  assert.equal(r[2].list[0].dialect, 'bash');
  assert.deepEqual(r[2].list[0].shell, ['/bin/bash', '-o', 'pipefail', '-c']);
  assert.equal(r[4].list[0].dialect, 'skip');
  assert.equal(r[4].list[0].script.commands.length, 0);
  const win = scripts('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\ | findstr x\n');
  assert.equal(win[1].list[0].dialect, 'skip');
});

test('scriptsOf: RUN <<EOF body is the script; shebang picks the dialect', () => {
  const df = 'FROM alpine\nRUN <<EOF\nset -e\napk add curl\nEOF\nRUN <<EOT\n#!/usr/bin/env bash\n[[ -d /x ]] || mkdir /x\nEOT\nRUN <<PY\n#!/usr/bin/env python3\nprint("hi")\nPY\n';
  const r = scripts(df);
  const a = r[1].list;
  assert.equal(a.length, 1);
  assert.equal(a[0].form, 'heredoc');
  assert.deepEqual(a[0].script.commands.map(fmt), ['set -e', 'apk add curl']);
  const apk = a[0].script.commands[1].name!;
  const sp = a[0].toSource(apk.start, apk.end);
  assert.equal(df.slice(sp.start, sp.end), 'apk');
  assert.equal(r[2].list[0].dialect, 'bash');
  assert.equal(r[3].list[0].dialect, 'skip');
});

test('scriptsOf: heredoc fed to a shell, plain heredoc data is not a script', () => {
  const df = "FROM debian\nRUN bash -ex <<'EOF'\nsource /etc/os-release\nEOF\nRUN cat <<EOF > /etc/motd\nhello | world\nEOF\n";
  const r = scripts(df);
  assert.deepEqual(r[1].list.map((s) => [s.form, s.dialect]), [['shell', 'posix'], ['heredoc', 'bash']]);
  assert.deepEqual(r[1].list[1].script.commands.map(fmt), ['source /etc/os-release']);
  assert.deepEqual(r[2].list.map((s) => s.form), ['shell']);
  assert.deepEqual(r[2].list[0].script.commands.map(fmt), ['cat <<EOF >/etc/motd']);
});

test('scriptsOf: heredocs are appended to the shell text as BuildKit does, offsets map back', () => {
  const df = 'FROM debian\nRUN cat <<EOF > /etc/motd && echo done\nbuilt by $(id -un)\nEOF\n';
  const [s] = scripts(df)[1].list;
  assert.equal(s.script.text, 'cat <<EOF > /etc/motd && echo done\nbuilt by $(id -un)\nEOF');
  assert.deepEqual(s.script.commands.map(fmt), ['cat <<EOF >/etc/motd', 'echo done', '1S: id -un']);
  const id = s.script.commands[2].name!;
  const sp = s.toSource(id.start, s.script.commands[2].end);
  assert.equal(df.slice(sp.start, sp.end), 'id -un');
  const body = s.script.commands[0].redirects[0].heredoc!.body!;
  const bsp = s.toSource(body.start, body.end);
  assert.equal(df.slice(bsp.start, bsp.end), 'built by $(id -un)\n');
});

test('scriptsOf: exec form sh -c', () => {
  const df = 'FROM alpine\nRUN ["/bin/sh", "-c", "apk add curl | tee log"]\nRUN ["echo", "a|b"]\n';
  const r = scripts(df);
  const [s] = r[1].list;
  assert.equal(s.form, 'exec');
  const tee = s.script.commands[1].name!;
  const sp = s.toSource(tee.start, tee.end);
  assert.equal(df.slice(sp.start, sp.end), 'tee');
  assert.deepEqual(r[2].list, []);
});

// ---------------------------------------------------------------- properties

function checkInvariants(s: ShellScript): void {
  const n = s.text.length;
  const inText = (x: { start: number; end: number }, what: string) => {
    assert.ok(Number.isInteger(x.start) && Number.isInteger(x.end), `${what}: integer offsets`);
    assert.ok(0 <= x.start && x.start <= x.end && x.end <= n, `${what}: ${x.start}-${x.end} within 0-${n}`);
  };
  const word = (w: ShWord, what: string) => {
    inText(w, what);
    assert.equal(s.text.slice(w.start, w.end), w.raw, `${what}: raw matches the text`);
    for (const v of w.unquotedVars) {
      inText(v, `${what} var`);
      assert.ok(v.start >= w.start && v.end <= w.end, `${what}: var inside the word`);
    }
  };
  const pipelines = new Set<ShPipeline>(s.pipelines);
  for (const c of s.commands) {
    inText(c, 'command');
    for (const w of [...c.assignments, ...(c.name ? [c.name] : []), ...c.args]) word(w, 'word');
    for (const r of c.redirects) {
      inText(r, 'redirect');
      if (r.target) word(r.target, 'redirect target');
      if (r.heredoc?.body) inText(r.heredoc.body, 'heredoc body');
    }
    assert.ok(pipelines.has(c.pipeline), 'command pipeline is listed');
    assert.equal(c.pipeline.commands[c.pipelineIndex], c);
  }
  for (const p of s.pipelines) {
    inText(p, 'pipeline');
    for (const x of p.pipes) inText(x, 'pipe');
  }
  for (const b of s.bashisms) inText(b, 'bashism');
  for (const e of s.errors) inText(e, 'error');
  for (const x of s.substitutions) inText(x, 'substitution');
  for (let i = 1; i < s.commands.length; i++) assert.ok(s.commands[i - 1].start <= s.commands[i].start, 'commands in source order');
}

const PIECES = [
  ' ', ' ', '\n', '\t', ';', ';;', '&', '&&', '|', '||', '|&', '!', '(', ')', '((', '))', '{', '}', '[[', ']]', '<', '>', '>>', '<<', '<<-', '<<<', '2>&1', '&>',
  '"', "'", '`', '\\', '\\\n', '$', '$(', '${', '$((', '$\'', '#', '=', 'a=', 'x=(', 'EOF', 'if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done',
  'while', 'until', 'case', 'esac', 'function', 'f()', 'echo', 'apt-get', 'install', '-y', '*', '{a,b}', '<(', 'set -e', '\r\n',
];

test('parseShell never throws and every offset lies within the text (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 80 }), fc.constantFrom<'posix' | 'bash'>('posix', 'bash'), (parts, dialect) => {
      const s = parseShell(parts.join(''), dialect);
      checkInvariants(s);
    }),
    { numRuns: 3000 },
  );
});

test('parseShell never throws on arbitrary strings (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (t) => {
      checkInvariants(parseShell(t));
    }),
    { numRuns: 2000 },
  );
});
