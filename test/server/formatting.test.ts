/**
 * Formatting over real JSON-RPC, as an editor calls it:
 * - goldens: test/fixtures/format/NAME[.casing-X][.indent-N].Dockerfile -> NAME....formatted, reviewed
 *   (UPDATE_GOLDEN=1 rewrites them); the options in the name become the client's settings;
 * - every Dockerfile under test/fixtures and a generated corpus, under several settings: formatting is
 *   idempotent, keeps the meaning (instructions, flags, arguments with shell whitespace normalised, JSON
 *   items, ENV/ARG/LABEL pairs, heredoc bodies, directives) and adds no parse problem;
 * - range formatting touches only the lines of the range; on-type formatting indents continuations.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../server/src/core/syntax/parser';
import type { Instruction } from '../../server/src/core/syntax/ast';
import { parseShell } from '../../server/src/core/shell/parser';
import { generateCorpus, generateLargeDockerfile, mulberry32 } from '../corpus/generate';
import type { LspClient } from '../support/lsp-client';
import { ALL_RULES_OFF, applyEdits, docUri, type Edit, mark, startNav } from '../support/nav-client';

const update = process.env.UPDATE_GOLDEN === '1';
const fixtures = join(__dirname, '..', 'fixtures');
const goldenDir = join(fixtures, 'format');
const OPTIONS = { tabSize: 4, insertSpaces: true };

interface FormatSettings {
  instructionCasing: 'upper' | 'lower' | 'preserve';
  continuationIndent: number;
}

const clients = new Map<string, Promise<LspClient>>();
after(async () => {
  for (const c of clients.values()) await (await c).stop();
});

/** One server per settings combination (settings come from workspace/configuration, per resource); rules off, they only cost time here. */
function client(format: FormatSettings = { instructionCasing: 'upper', continuationIndent: 4 }): Promise<LspClient> {
  const key = JSON.stringify(format);
  let c = clients.get(key);
  if (!c) {
    c = startNav({ settings: { format, rules: ALL_RULES_OFF } });
    clients.set(key, c);
  }
  return c;
}

async function format(c: LspClient, text: string): Promise<{ uri: string; edits: Edit[]; result: string }> {
  const uri = docUri();
  await c.open(uri, text);
  const edits = await c.request<Edit[]>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
  return { uri, edits, result: applyEdits(text, edits) };
}

// ---- goldens

function settingsFromName(name: string): FormatSettings {
  const casing = /\.casing-(upper|lower|preserve)\./.exec(name)?.[1] as FormatSettings['instructionCasing'] | undefined;
  const indent = /\.indent-(\d+)\./.exec(name)?.[1];
  return { instructionCasing: casing ?? 'upper', continuationIndent: indent === undefined ? 4 : Number(indent) };
}

for (const name of readdirSync(goldenDir).filter((f) => f.endsWith('.Dockerfile'))) {
  test(`golden: format/${name}`, async () => {
    const text = readFileSync(join(goldenDir, name), 'utf8');
    const c = await client(settingsFromName(name));
    const { result } = await format(c, text);
    const golden = join(goldenDir, name.replace(/\.Dockerfile$/, '.formatted'));
    if (update || (!existsSync(golden) && !process.env.CI)) writeFileSync(golden, result);
    assert.equal(result, readFileSync(golden, 'utf8'));
    const again = await format(c, result);
    assert.deepEqual(again.edits, [], 'the golden is already formatted');
  });
}

// ---- properties over fixtures and a generated corpus

const ws = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What BuildKit reads from an instruction, with the differences formatting may make normalised away. */
function meaningOf(ins: Instruction): unknown {
  return {
    keyword: ins.keyword,
    flags: ins.flags.map((f) => [f.name, f.value]),
    // Shell text: whitespace between words is the shell's business; everything else must be identical.
    args: ins.keyword === 'ONBUILD' ? [] : ins.shell ? ws(ins.shell.text) : ins.args.map((a, i) => (ins.keyword === 'FROM' && i === 1 ? a.value.toLowerCase() : a.value)),
    json: ins.json?.items.map((i) => i.value),
    pairs: ins.pairs?.map((p) => [p.key, p.value]),
    heredocs: ins.heredocs.map((h) => [h.name, h.expand, h.chomp, h.body]),
    trigger: ins.trigger ? meaningOf(ins.trigger) : undefined,
  };
}

function meaning(text: string): unknown {
  const ast = parse(text);
  return {
    escape: ast.escape,
    directives: ast.directives.filter((d) => d.known).map((d) => [d.name, d.value]),
    instructions: ast.instructions.map(meaningOf),
  };
}

function dockerfiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) dockerfiles(p, out);
    else if (n.endsWith('.Dockerfile')) out.push(p);
  }
  return out;
}

function corpusInputs(corpusFiles: number, large: boolean): [string, string][] {
  const inputs: [string, string][] = dockerfiles(fixtures).map((f) => [f.slice(fixtures.length + 1), readFileSync(f, 'utf8')]);
  for (const f of generateCorpus(corpusFiles, 3)) inputs.push([`corpus/${f.name}`, f.text]);
  if (large) inputs.push(['corpus/large-7000', generateLargeDockerfile(7000)]);
  return inputs;
}

/** The default settings get the whole corpus; the others a sample (each file is two server round trips). */
const SETTINGS: { settings: FormatSettings; corpus: number; large: boolean }[] = [
  { settings: { instructionCasing: 'upper', continuationIndent: 4 }, corpus: 150, large: true },
  { settings: { instructionCasing: 'lower', continuationIndent: 0 }, corpus: 40, large: false },
  { settings: { instructionCasing: 'preserve', continuationIndent: 2 }, corpus: 40, large: false },
];

for (const { settings, corpus, large } of SETTINGS) {
  test(`every fixture and corpus file: idempotent, same meaning, no new problems (${JSON.stringify(settings)})`, async () => {
    const c = await client(settings);
    let changed = 0;
    for (const [name, text] of corpusInputs(corpus, large)) {
      const first = await format(c, text);
      if (first.result !== text) changed++;
      assert.deepEqual(meaning(first.result), meaning(text), `${name}: meaning kept`);
      const problems = (t: string) => parse(t).problems.map((p) => p.code);
      assert.ok(problems(first.result).length <= problems(text).length, `${name}: no new parse problems: ${problems(first.result)}`);
      const second = await format(c, first.result);
      assert.deepEqual(second.edits, [], `${name}: formatting twice changes nothing`);
      await c.close(first.uri);
      await c.close(second.uri);
    }
    assert.ok(changed > 10, `formatting changed ${changed} files`);
  });
}

// ---- mutation fuzzing: random edits of the fixtures, checked with a shell parser for RUN text

/** The words of each shell command exactly as written (whitespace inside quotes counts). */
function shellWords(text: string): unknown {
  return parseShell(text, 'bash').commands.map((c) =>
    [...c.assignments, ...(c.name ? [c.name] : []), ...c.args].map((w) => (w.raw.includes('$(') || w.raw.includes('`') ? ws(w.raw) : w.raw)),
  );
}

function strictMeaning(text: string): unknown {
  const ast = parse(text);
  const one = (ins: Instruction): unknown => ({ ...(meaningOf(ins) as object), args: ins.shell && ast.escape === '\\' ? shellWords(ins.shell.text) : (meaningOf(ins) as { args: unknown }).args, trigger: ins.trigger ? one(ins.trigger) : undefined });
  return { escape: ast.escape, directives: ast.directives.filter((d) => d.known).map((d) => [d.name, d.value]), instructions: ast.instructions.map(one) };
}

test('mutated fixtures: idempotent and the same meaning, shell words compared exactly', async () => {
  const c = await client({ instructionCasing: 'upper', continuationIndent: 4 });
  const seeds = dockerfiles(fixtures).map((f) => readFileSync(f, 'utf8'));
  const rnd = mulberry32(20240601);
  const pieces = ['\\\n', '\n', ' ', '\t', '"', "'", '`', '$', '${', '}', '$(', ')', '#', '<<EOF\n', 'EOF\n', '[', ']', ',', '=', '--', 'AS ', 'from ', 'run ', 'ONBUILD ', '\r\n', '\r', '\ufeff', '# escape=`\n', '   \n', '\\'];
  for (let n = 0; n < 300; n++) {
    let text = seeds[Math.floor(rnd() * seeds.length)];
    for (let k = 1 + Math.floor(rnd() * 5); k > 0; k--) {
      const pos = Math.floor(rnd() * (text.length + 1));
      text = rnd() < 0.7 ? text.slice(0, pos) + pieces[Math.floor(rnd() * pieces.length)] + text.slice(pos) : text.slice(0, pos) + text.slice(pos + Math.floor(rnd() * 5));
    }
    const first = await format(c, text);
    assert.deepEqual(strictMeaning(first.result), strictMeaning(text), `meaning kept for ${JSON.stringify(text)}`);
    const second = await format(c, first.result);
    assert.deepEqual(second.edits, [], `idempotent for ${JSON.stringify(text)}`);
    await c.close(first.uri);
    await c.close(second.uri);
  }
});

// ---- specific behaviour

const CASES: { name: string; input: string; expected: string; settings?: FormatSettings }[] = [
  { name: 'keyword casing and a single space after it', input: 'from  alpine\nrun\techo hi\n', expected: 'FROM alpine\nRUN echo hi\n' },
  { name: 'AS follows the keyword casing', input: 'FROM alpine as build\n', expected: 'FROM alpine AS build\n' },
  { name: 'lower casing', input: 'FROM alpine AS build\nRUN true\n', expected: 'from alpine as build\nrun true\n', settings: { instructionCasing: 'lower', continuationIndent: 4 } },
  { name: 'preserve keeps keywords and matches AS to FROM', input: 'from alpine AS build\nRun true\n', expected: 'from alpine as build\nRun true\n', settings: { instructionCasing: 'preserve', continuationIndent: 4 } },
  { name: 'continuations indented', input: 'RUN a \\\nb \\\n        c\n', expected: 'RUN a \\\n    b \\\n    c\n' },
  { name: 'continuation indent setting', input: 'RUN a \\\n    b\n', expected: 'RUN a \\\n  b\n', settings: { instructionCasing: 'upper', continuationIndent: 2 } },
  { name: 'trailing whitespace and blank runs', input: 'FROM a   \n\n\n\nRUN b\t\n\n\n', expected: 'FROM a\n\nRUN b\n' },
  { name: 'CRLF line endings are kept', input: 'from a  \r\n\r\n\r\nrun b \\\r\n c\r\n', expected: 'FROM a\r\n\r\nRUN b \\\r\n    c\r\n' },
  { name: 'a blank line that ends the directives is kept', input: '\n\n# escape=`\nFROM a\n', expected: '\n# escape=`\nFROM a\n' },
  { name: 'a BOM stays', input: '\ufeff  from a\n', expected: '\ufeffFROM a\n' },
  { name: 'ONBUILD and its trigger', input: 'onbuild   copy  . /app\n', expected: 'ONBUILD COPY . /app\n' },
  { name: 'comments inside instructions are aligned, their text kept', input: 'RUN a \\\n  #  note   \n  && b\n', expected: 'RUN a \\\n    #  note\n    && b\n' },
  { name: 'unknown instructions keep their casing', input: 'FROM a\nfoo bar\n', expected: 'FROM a\nfoo bar\n' },
];

for (const tc of CASES) {
  test(`format: ${tc.name}`, async () => {
    const c = await client(tc.settings);
    assert.equal((await format(c, tc.input)).result, tc.expected);
  });
}

const UNTOUCHED: { name: string; input: string }[] = [
  { name: 'heredoc body with trailing spaces and odd indentation', input: 'FROM a\nRUN <<EOF\n   x   \n\ty\n\n\n\nEOF\n' },
  { name: 'JSON array spread over lines', input: 'FROM a\nCMD ["a", \\\n         "b"]\n' },
  { name: 'a continuation inside double quotes', input: 'FROM a\nRUN echo "x \\\n   y"\n' },
  { name: 'a continuation inside single quotes', input: "FROM a\nRUN echo 'x \\\n   y'\n" },
  { name: 'a continuation inside ${...}', input: 'FROM a\nRUN echo "${A:-x \\\n   y}"\n' },
  { name: 'a continuation that joins a word', input: 'FROM a\nRUN ins\\\ntall\n' },
  { name: 'a continuation after an escaped backslash', input: 'FROM a\nRUN echo a\\\\\\\n  b\n' },
  { name: 'legacy ENV value spread over lines', input: 'FROM a\nENV KEY some \\\n  value\n' },
  { name: 'WORKDIR path spread over lines', input: 'FROM a\nWORKDIR /a \\\n  b\n' },
  { name: 'a quoted ENV value spread over lines', input: 'FROM a\nENV A="x \\\n  y"\n' },
  { name: 'directives', input: '# syntax = docker/dockerfile:1   \n#  check=skip=all\nFROM a\n' },
  { name: 'comment text', input: '#   spaced    comment\nFROM a\n' },
  // Found by mutation fuzzing: each was a change of meaning once.
  { name: 'trailing blanks after a stray carriage return (trimming would turn the line into a directive)', input: '# check=skip=all\r \nFROM a\n' },
  { name: 'trailing blanks after an unterminated quote in a heredoc marker', input: 'FROM a\nRUN <<E"OF   \n' },
  { name: 'indentation before a byte-order mark that is not the first character', input: '\t\ufeffrun x\n' },
  { name: 'a continuation inside PowerShell ${...}', input: '# escape=`\nFROM a\nSHELL ["powershell"]\nRUN Write-Host ${ a `\n   b }\n' },
];

for (const tc of UNTOUCHED) {
  test(`untouched: ${tc.name}`, async () => {
    const c = await client();
    const { edits } = await format(c, tc.input);
    assert.deepEqual(edits, []);
  });
}

test('range formatting changes only the lines in the range', async () => {
  const c = await client();
  const m = mark('from a  \n|run   b  \nrun   c  |\nrun   d  \n');
  const uri = docUri();
  await c.open(uri, m.text);
  const edits = await c.request<Edit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range: { start: m.cursors[0], end: m.cursors[1] }, options: OPTIONS });
  assert.equal(applyEdits(m.text, edits), 'from a  \nRUN b\nRUN c\nrun   d  \n');
});

const ON_TYPE: { name: string; before: string; after: string; settings?: FormatSettings }[] = [
  { name: 'Enter after a continuation indents the new line', before: 'FROM a\nRUN apt-get update \\\n|', after: 'FROM a\nRUN apt-get update \\\n    ' },
  { name: 'with the indent setting', before: 'FROM a\nRUN a \\\n|b\n', after: 'FROM a\nRUN a \\\n  b\n', settings: { instructionCasing: 'upper', continuationIndent: 2 } },
  { name: 'already indented lines are left alone', before: 'FROM a\nRUN a \\\n    |b\n', after: 'FROM a\nRUN a \\\n    b\n' },
  { name: 'no continuation, no indent', before: 'FROM a\nRUN a\n|', after: 'FROM a\nRUN a\n' },
  { name: 'a comment ending in a backslash is not a continuation', before: 'FROM a\n# see C:\\\n|', after: 'FROM a\n# see C:\\\n' },
  { name: 'inside a heredoc body nothing happens', before: 'FROM a\nRUN <<EOF\necho \\\n|\nEOF\n', after: 'FROM a\nRUN <<EOF\necho \\\n\nEOF\n' },
  { name: 'the backtick escape', before: '# escape=`\nFROM a\nRUN a `\n|', after: '# escape=`\nFROM a\nRUN a `\n    ' },
];

for (const tc of ON_TYPE) {
  test(`on-type: ${tc.name}`, async () => {
    const c = await client(tc.settings);
    const m = mark(tc.before);
    const uri = docUri();
    await c.open(uri, m.text);
    const edits = await c.request<Edit[]>('textDocument/onTypeFormatting', { textDocument: { uri }, position: m.cursor, ch: '\n', options: OPTIONS });
    assert.equal(applyEdits(m.text, edits), tc.after);
  });
}

test('formatting capabilities are announced, with "\\n" as the on-type trigger', async () => {
  const c = (await client()) as LspClient & { capabilities: Record<string, unknown> };
  assert.equal(c.capabilities.documentFormattingProvider, true);
  assert.equal(c.capabilities.documentRangeFormattingProvider, true);
  assert.deepEqual(c.capabilities.documentOnTypeFormattingProvider, { firstTriggerCharacter: '\n' });
  assert.deepEqual(await c.request('textDocument/formatting', { textDocument: { uri: 'file:///not/open/Dockerfile' }, options: OPTIONS }), []);
});
