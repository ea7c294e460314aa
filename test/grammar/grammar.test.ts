// TextMate grammar tests: golden token dumps for test/grammar/snapshots/*.Dockerfile and a
// few direct assertions. `UPDATE_GOLDEN=1 node test/run.mjs grammar` rewrites the goldens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GRAMMAR_PATH, ROOT_SCOPE, renderTokens, scopesOf, tokenize, type TokenizedLine } from './tokenize';

const SNAPSHOT_DIR = path.join(__dirname, 'snapshots');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const KEYWORD = 'keyword.other.special-method.dockerfile';
const VARIABLE = 'variable.other.dockerfile';
const COMMENT = 'comment.line.number-sign.dockerfile';

function has(scopes: string[], scope: string): boolean {
  return scopes.includes(scope);
}

function assertScope(lines: TokenizedLine[], lineIndex: number, text: string, scope: string): void {
  const scopes = scopesOf(lines, lineIndex, text);
  assert.ok(has(scopes, scope), `${JSON.stringify(text)} on line ${lineIndex + 1} should have ${scope}, got: ${scopes.join(' ')}`);
}

function assertNoScope(lines: TokenizedLine[], lineIndex: number, text: string, scope: string): void {
  const scopes = scopesOf(lines, lineIndex, text);
  assert.ok(!has(scopes, scope), `${JSON.stringify(text)} on line ${lineIndex + 1} should not have ${scope}, got: ${scopes.join(' ')}`);
}

// ---------------------------------------------------------------- grammar file

test('grammar file: scope name and every #include resolves', () => {
  const raw = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as {
    scopeName: string;
    repository: Record<string, unknown>;
  };
  assert.equal(raw.scopeName, ROOT_SCOPE);
  const includes = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'include' && typeof v === 'string') includes.add(v);
        else walk(v);
      }
    }
  };
  walk(raw);
  for (const inc of includes) {
    if (inc.startsWith('#')) assert.ok(inc.slice(1) in raw.repository, `unresolved include ${inc}`);
    else assert.ok(inc === 'source.shell' || inc === '$self', `unexpected external include ${inc}`);
  }
  assert.ok(includes.has('source.shell'), 'shell text should include source.shell');
});

test('grammar file: the *-bt (escape=`) rules mirror the base rules', () => {
  const raw = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as { repository: Record<string, unknown> };
  // Same structure, scopes and includes; only the regexes (escape character) may differ.
  const REGEX_KEYS = new Set(['match', 'begin', 'end', 'while']);
  const normalize = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(normalize);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (REGEX_KEYS.has(k)) out[k] = '<regex>';
        else if (k === 'include' && typeof v === 'string') out[k] = v.replace(/-bt$/, '');
        else out[k] = normalize(v);
      }
      return out;
    }
    return node;
  };
  const names = Object.keys(raw.repository);
  const bt = names.filter((n) => n.endsWith('-bt'));
  assert.ok(bt.length > 20, 'expected backtick copies of the rules');
  for (const name of bt) {
    const base = name.slice(0, -3);
    assert.ok(base in raw.repository, `${name} has no base rule`);
    assert.deepEqual(normalize(raw.repository[name]), normalize(raw.repository[base]), `${name} differs from ${base}`);
  }
  const shared = new Set(['comment', 'blank-continuation-line', 'keep-alive', 'heredoc-marker', 'escape-backtick-mode']);
  for (const name of names) {
    if (name.endsWith('-bt') || name.startsWith('directive') || shared.has(name)) continue;
    assert.ok(`${name}-bt` in raw.repository, `${name} has no -bt copy`);
  }
});

// ---------------------------------------------------------------- snapshots

const snapshots = readdirSync(SNAPSHOT_DIR)
  .filter((f) => f.endsWith('.Dockerfile'))
  .sort();

test('there are snapshot Dockerfiles', () => {
  assert.ok(snapshots.length >= 6, `expected at least 6 snapshots, found ${snapshots.length}`);
});

for (const file of snapshots) {
  test(`snapshot ${file}`, async () => {
    const source = readFileSync(path.join(SNAPSHOT_DIR, file), 'utf8');
    const actual = renderTokens(await tokenize(source));
    const goldenPath = path.join(SNAPSHOT_DIR, file.replace(/\.Dockerfile$/, '.tokens.txt'));
    if (UPDATE) {
      writeFileSync(goldenPath, actual);
      return;
    }
    assert.ok(existsSync(goldenPath), `missing golden ${path.basename(goldenPath)}: run with UPDATE_GOLDEN=1`);
    assert.equal(actual, readFileSync(goldenPath, 'utf8'), `${file}: token dump differs from golden (UPDATE_GOLDEN=1 rewrites it)`);
  });
}

// ---------------------------------------------------------------- direct assertions

test('instruction keywords are case-insensitive', async () => {
  const lines = await tokenize('run echo hi\nFrom alpine\nCOPY a b\n');
  assertScope(lines, 0, 'run', KEYWORD);
  assertScope(lines, 0, 'run', 'meta.instruction.run.dockerfile');
  assertScope(lines, 1, 'From', KEYWORD);
  assertScope(lines, 2, 'COPY', KEYWORD);
});

test('every instruction keyword gets the keyword scope', async () => {
  const keywords = [
    'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME',
    'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'MAINTAINER',
  ];
  const lines = await tokenize(keywords.map((k) => `${k} x`).join('\n') + '\n');
  keywords.forEach((k, i) => assertScope(lines, i, k, KEYWORD));
});

test('variables in ENV, including modifiers', async () => {
  const lines = await tokenize('ENV HOME=/root P=$HOME/bin D=${X:-def} S=${Y//a/b}\n');
  assertScope(lines, 0, 'HOME', 'variable.other.env.dockerfile');
  const homeRef = lines[0]!.tokens.filter((t) => t.text === 'HOME');
  assert.equal(homeRef.length, 2);
  assert.ok(has(homeRef[1]!.scopes, VARIABLE), 'the $HOME reference is a variable');
  assertScope(lines, 0, '$', 'punctuation.definition.variable.dockerfile');
  assertScope(lines, 0, 'X', VARIABLE);
  assertScope(lines, 0, ':-', 'keyword.operator.expansion.dockerfile');
  assertScope(lines, 0, '//', 'keyword.operator.expansion.dockerfile');
  assertScope(lines, 0, '}', 'punctuation.definition.variable.end.dockerfile');
});

test('single-quoted strings do not expand variables', async () => {
  const lines = await tokenize("ENV A='$NOPE' B=\"$YES\"\n");
  assertScope(lines, 0, '$NOPE', 'string.quoted.single.dockerfile');
  assertScope(lines, 0, 'YES', VARIABLE);
});

test('heredoc body and terminator', async () => {
  const lines = await tokenize('RUN <<EOF\necho hi\nEOF\nCOPY <<-"X" /dest\n\tbody $V\n\tX\nFROM a\n');
  assertScope(lines, 0, '<<', 'keyword.operator.heredoc.dockerfile');
  assertScope(lines, 0, 'EOF', 'entity.name.tag.heredoc.dockerfile');
  assertScope(lines, 1, 'echo hi', 'meta.heredoc.content.dockerfile');
  assertScope(lines, 1, 'echo hi', 'meta.embedded.block.shell');
  assertScope(lines, 2, 'EOF', 'meta.heredoc.end.dockerfile');
  assertScope(lines, 2, 'EOF', 'entity.name.tag.heredoc.dockerfile');
  // quoted delimiter: the body is literal, no variable
  assertScope(lines, 4, '\tbody $V', 'string.unquoted.heredoc.dockerfile');
  assertScope(lines, 5, 'X', 'meta.heredoc.end.dockerfile');
  // the instruction is over after the terminator
  assertScope(lines, 6, 'FROM', KEYWORD);
  assertNoScope(lines, 6, 'FROM', 'meta.heredoc.dockerfile');
});

test('heredoc terminator must match the delimiter exactly', async () => {
  const lines = await tokenize('RUN <<EOF\nEOFX\n\tEOF\nEOF\nRUN <<-EOF\n\tEOF\nRUN true\n');
  assertScope(lines, 1, 'EOFX', 'meta.heredoc.content.dockerfile');
  // plain << does not strip tabs, so "\tEOF" is body
  assertScope(lines, 2, '\tEOF', 'meta.heredoc.content.dockerfile');
  assertScope(lines, 3, 'EOF', 'meta.heredoc.end.dockerfile');
  // <<- does
  assertScope(lines, 5, 'EOF', 'meta.heredoc.end.dockerfile');
  assertScope(lines, 6, 'RUN', KEYWORD);
});

test('second heredoc on the same line gets its body too', async () => {
  const lines = await tokenize('COPY <<A <<B /d/\none\nA\ntwo\nB\nRUN x\n');
  assertScope(lines, 1, 'one', 'meta.heredoc.content.dockerfile');
  assertScope(lines, 2, 'A', 'meta.heredoc.end.dockerfile');
  assertScope(lines, 3, 'two', 'meta.heredoc.content.dockerfile');
  assertScope(lines, 4, 'B', 'meta.heredoc.end.dockerfile');
  assertScope(lines, 5, 'RUN', KEYWORD);
});

test('parser directives only at the top, distinct from comments', async () => {
  const top = await tokenize('# syntax=docker/dockerfile:1\n# escape=\\\n# a comment\n# check=error=true\n');
  assertScope(top, 0, 'syntax', 'keyword.other.directive.syntax.dockerfile');
  assertNoScope(top, 0, '#', COMMENT);
  assertScope(top, 1, '\\', 'constant.character.escape.directive-value.dockerfile');
  assertScope(top, 2, '#', COMMENT);
  // after a comment the directive block is over
  assertScope(top, 3, '#', COMMENT);
  const later = await tokenize('FROM a\n# syntax=docker/dockerfile:1\n');
  assertScope(later, 1, '#', COMMENT);
});

test('escape=` directive: backtick continues lines, backslash is literal', async () => {
  const lines = await tokenize('# escape=`\nWORKDIR C:\\app\\\nRUN a `\n  b\nFROM x\n');
  assertScope(lines, 0, '`', 'constant.character.escape.directive-value.dockerfile');
  // the trailing backslash of a Windows path does not continue the line
  assertScope(lines, 2, 'RUN', KEYWORD);
  assertNoScope(lines, 2, 'RUN', 'meta.instruction.workdir.dockerfile');
  assertScope(lines, 2, '`', 'constant.character.escape.line-continuation.dockerfile');
  assertScope(lines, 3, 'b', 'meta.instruction.run.dockerfile');
  assertScope(lines, 4, 'FROM', KEYWORD);
  // without the directive a trailing backslash does continue the instruction
  const plain = await tokenize('WORKDIR C:\\app\\\nRUN a\n');
  assertNoScope(plain, 1, 'RUN a', KEYWORD);
  assertScope(plain, 1, 'RUN a', 'meta.instruction.workdir.dockerfile');
});

test('flags: name, value and --mount options are scoped distinctly', async () => {
  const lines = await tokenize('RUN --mount=type=cache,target=/x --network=none go build --tags x\n');
  assertScope(lines, 0, 'mount', 'entity.other.attribute-name.flag.dockerfile');
  assertScope(lines, 0, 'type', 'support.type.property-name.mount.dockerfile');
  assertScope(lines, 0, 'cache', 'support.constant.mount-type.dockerfile');
  assertScope(lines, 0, '/x', 'string.unquoted.mount-option-value.dockerfile');
  assertScope(lines, 0, 'none', 'string.unquoted.flag-value.dockerfile');
  // flags after the first shell word belong to the command
  const shell = lines[0]!.tokens.find((t) => t.text.includes('--tags'));
  assert.ok(shell && !has(shell.scopes, 'entity.other.attribute-name.flag.dockerfile'));
});

test('FROM: image, tag, stage name; COPY --from references a stage', async () => {
  const lines = await tokenize('FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nCOPY --from=build /a /b\n');
  assertScope(lines, 0, 'BUILDPLATFORM', VARIABLE);
  assertScope(lines, 0, 'golang', 'entity.name.type.image.dockerfile');
  assertScope(lines, 0, '1.22', 'constant.other.image-tag.dockerfile');
  assertScope(lines, 0, 'AS', 'keyword.other.as.dockerfile');
  assertScope(lines, 0, 'build', 'entity.name.type.stage.dockerfile');
  assertScope(lines, 1, 'build', 'entity.name.type.stage.reference.dockerfile');
});

test('line continuations keep the instruction going, comments inside are comments', async () => {
  const lines = await tokenize('RUN a \\\n  # note\n\n  && b\nFROM c\n');
  assertScope(lines, 0, '\\', 'constant.character.escape.line-continuation.dockerfile');
  assertScope(lines, 1, '#', COMMENT);
  assertScope(lines, 1, '#', 'meta.instruction.run.dockerfile');
  assertScope(lines, 3, '&& b', 'meta.instruction.run.dockerfile');
  assertNoScope(lines, 4, 'FROM', 'meta.instruction.run.dockerfile');
});

test('JSON form: strings, escapes, separators; shell test brackets are not JSON', async () => {
  const lines = await tokenize('CMD ["a\\"b", "c"]\nRUN [ "$A" = x ] && y\n');
  assertScope(lines, 0, '[', 'punctuation.definition.array.begin.dockerfile');
  assertScope(lines, 0, '\\"', 'constant.character.escape.dockerfile');
  assertScope(lines, 0, ',', 'punctuation.separator.array.dockerfile');
  assertScope(lines, 0, 'c', 'string.quoted.double.json.dockerfile');
  const t = lines[1]!.tokens.find((tok) => tok.text.startsWith('[ '));
  assert.ok(t && !has(t.scopes, 'meta.array.exec-form.dockerfile'));
});

test('ONBUILD and HEALTHCHECK', async () => {
  const lines = await tokenize('ONBUILD RUN make\nHEALTHCHECK NONE\nHEALTHCHECK --retries=3 CMD curl -f x\n');
  assertScope(lines, 0, 'ONBUILD', KEYWORD);
  assertScope(lines, 0, 'RUN', KEYWORD);
  assertScope(lines, 1, 'NONE', 'constant.language.none.dockerfile');
  assertScope(lines, 2, 'retries', 'entity.other.attribute-name.flag.dockerfile');
  assertScope(lines, 2, 'CMD', KEYWORD);
});

test('EXPOSE ports and protocols', async () => {
  const lines = await tokenize('EXPOSE 80 8000-8010/udp\n');
  assertScope(lines, 0, '80', 'constant.numeric.integer.port.dockerfile');
  assertScope(lines, 0, '-', 'punctuation.separator.range.dockerfile');
  assertScope(lines, 0, 'udp', 'constant.language.protocol.dockerfile');
});
