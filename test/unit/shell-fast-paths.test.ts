/**
 * The shell analysis' fast paths keep the results of the plain code they replaced: the hand-written
 * command base name (was two regular expressions), the shared empty lists of parse results (frozen, so
 * nothing can add to one), nearly sorted results (an insertion sort in place of Array.prototype.sort)
 * and runScripts memoized per model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commandName, parseShell, runScripts, type ShWord } from '../../server/src/core/shell/index';
import { parse } from '../../server/src/core/syntax/parser';
import { buildModel } from '../../server/src/core/semantic/model';

const word = (value: string): ShWord => ({ raw: value, value, start: 0, end: value.length, quoted: false, hasExpansion: false, unquotedVars: [] });
/** What the base name was defined as. */
const byRegex = (p: string) => p.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();

test('commandName: the base name as the regular expressions gave it', () => {
  const cases = [
    '', 'apt-get', '/usr/bin/apt-get', 'C:\\Tools\\Curl.EXE', 'x.exe', '.exe', 'a.ExE', 'a.exe.exe', '/', 'a/', '\\\\',
    'a\nb/c', 'a/b\nc/d', 'a/b\rc', 'x\u2028/y', '/a\u2029b/c', 'ﬁ/İSTANBUL', 'DIR/K.exe', '\u212a.exe', 'a.ex', 'exe',
  ];
  for (const c of cases) assert.equal(commandName(word(c)), byRegex(c), JSON.stringify(c));
  const piece = fc.constantFrom('/', '\\', '\n', '\r', '\u2028', '.exe', '.EXE', '.eXe', 'E', 'x', 'Ab', 'İ', 'ß', '.', ' ');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
      const s = parts.join('');
      assert.equal(commandName(word(s)), byRegex(s));
    }),
    { numRuns: 2000 },
  );
  assert.equal(commandName({ ...word('/bin/sh'), hasExpansion: true }), '');
});

test('parseShell: empty lists are shared and frozen, filled ones are arrays of their own', () => {
  const s = parseShell('echo a; b=1 c >x; ls | wc -l');
  const [echo, c, ls, wc] = s.commands;
  assert.deepEqual([echo.name?.value, c.name?.value, ls.name?.value, wc.name?.value], ['echo', 'c', 'ls', 'wc']);
  assert.equal(echo.assignments, echo.redirects);
  assert.ok(Object.isFrozen(echo.assignments));
  assert.throws(() => (echo.redirects as unknown[]).push(1), TypeError);
  assert.equal(echo.assignments.length, 0);
  assert.notEqual(c.assignments, c.redirects);
  assert.equal(c.assignments.length, 1);
  assert.equal(c.redirects.length, 1);
  assert.ok(!Object.isFrozen(c.assignments));
  assert.notEqual(ls.args, wc.args);
  assert.equal(ls.pipeline, wc.pipeline);
  assert.equal(ls.pipeline.pipes.length, 1);
  assert.ok(Object.isFrozen(echo.pipeline.pipes));
});

test('parseShell: commands and substitutions in source order, nested ones included', () => {
  const s = parseShell('a "$(b $(c) `d`)" $(e) && f <(g) `h \\`i\\``');
  assert.deepEqual(
    s.commands.map((c) => c.name?.value),
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
  );
  for (const list of [s.commands, s.pipelines, s.substitutions, s.bashisms]) {
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].start < list[i].start || (list[i - 1].start === list[i].start && list[i - 1].end >= list[i].end));
  }
});

test('runScripts: one frozen list per model', () => {
  const model = buildModel(parse('FROM alpine\nRUN apk add curl\nRUN echo a | wc -c\nCMD ["sh", "-c", "x"]\n'));
  const a = runScripts(model);
  assert.equal(a, runScripts(model));
  assert.ok(Object.isFrozen(a));
  assert.deepEqual(
    a.map((r) => r.entry.script.commands.map((c) => c.name?.value)),
    [['apk'], ['echo', 'wc']],
  );
});
