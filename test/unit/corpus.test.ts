/**
 * The Dockerfile corpus generator (test/corpus/generate.ts): deterministic, the requested number of
 * uniquely named files, varied, and well-formed as far as the parser and a few BuildKit rules go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCorpus, generateLargeDockerfile } from '../corpus/generate';
import { parse } from '../../server/src/core/syntax';

const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Image repository of a FROM image reference, or undefined for stages, variables and scratch. */
function repository(image: string, stages: ReadonlySet<string>): string | undefined {
  if (image.includes('$') || image === 'scratch' || stages.has(image.toLowerCase())) return undefined;
  const noDigest = image.split('@')[0];
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

test('generateCorpus is deterministic for a seed and differs across seeds', () => {
  const a = generateCorpus(60, 7);
  const b = generateCorpus(60, 7);
  assert.deepEqual(a, b);
  const c = generateCorpus(60, 8);
  assert.notDeepEqual(
    a.map((f) => f.text),
    c.map((f) => f.text),
  );
  // File i depends on (seed, i) only: a shorter corpus is a prefix of a longer one.
  assert.deepEqual(generateCorpus(20, 7), a.slice(0, 20));
});

test('generateCorpus produces count files with unique, well-formed names', () => {
  for (const count of [0, 1, 200]) {
    const files = generateCorpus(count);
    assert.equal(files.length, count);
    assert.equal(new Set(files.map((f) => f.name)).size, count);
    for (const f of files) {
      assert.match(f.name, /^\d{4}-[a-z0-9][a-z0-9.-]*\.Dockerfile$/);
      assert.ok(f.text.endsWith('\n'), `${f.name} ends with a newline`);
    }
  }
});

test('generated files are varied', () => {
  const files = generateCorpus(200);
  const repos = new Set<string>();
  let heredocs = 0;
  let multiStage = 0;
  let crlf = 0;
  let lower = 0;
  let argInFrom = 0;
  let mounts = 0;
  for (const f of files) {
    const ast = parse(f.text);
    const froms = ast.instructions.filter((i) => i.keyword === 'FROM');
    const stages = new Set<string>();
    for (const from of froms) {
      const repo = repository(from.args[0]?.value ?? '', stages);
      if (repo) repos.add(repo);
      if (from.args.length === 3) stages.add(from.args[2].value.toLowerCase());
      if (from.args[0]?.value.includes('$')) argInFrom++;
    }
    if (ast.instructions.some((i) => i.heredocs.length > 0)) heredocs++;
    if (froms.length > 1) multiStage++;
    if (f.text.includes('\r\n')) crlf++;
    if (ast.instructions.some((i) => i.keywordRaw === i.keyword.toLowerCase())) lower++;
    if (ast.instructions.some((i) => i.flags.some((fl) => fl.name === 'mount'))) mounts++;
  }
  assert.ok(repos.size >= 8, `distinct base repositories: ${[...repos].join(', ')}`);
  assert.ok(heredocs >= 10, `files with heredocs: ${heredocs}`);
  assert.ok(multiStage >= 50, `multi-stage files: ${multiStage}`);
  assert.ok(multiStage < 200, 'some single-stage files');
  assert.ok(crlf >= 1, 'some CRLF files');
  assert.ok(lower >= 5, `files with lower-case keywords: ${lower}`);
  assert.ok(argInFrom >= 20, `FROM lines using an ARG: ${argInFrom}`);
  assert.ok(mounts >= 20, `files with RUN --mount: ${mounts}`);
});

test('generated files parse cleanly and follow the BuildKit structure rules', () => {
  const files = [...generateCorpus(300, 3), { name: 'large', text: generateLargeDockerfile(2000, 3) }];
  for (const f of files) {
    const ast = parse(f.text);
    assert.deepEqual(
      ast.problems.map((p) => p.code),
      [],
      `${f.name} has no parse problems`,
    );
    assert.ok(['FROM', 'ARG'].includes(ast.instructions[0]?.keyword ?? ''), `${f.name} starts with FROM or ARG`);
    const globalArgs = new Set<string>();
    const stages: string[] = [];
    let stageIndex = -1;
    let once = new Set<string>();
    for (const ins of ast.instructions) {
      const where = `${f.name}:${ins.startLine + 1}`;
      if (ins.keyword === 'ARG' && stageIndex < 0) for (const p of ins.pairs ?? []) globalArgs.add(p.key);
      if (ins.keyword === 'FROM') {
        assert.ok(ins.args.length === 1 || ins.args.length === 3, `${where}: FROM takes 1 or 3 words`);
        for (const m of (ins.args[0]?.value ?? '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
          assert.ok(globalArgs.has(m[1]) || m[1].startsWith('BUILD') || m[1].startsWith('TARGET'), `${where}: ${m[1]} is declared before the first FROM`);
        }
        const name = ins.args[2]?.value ?? `#${stageIndex + 1}`;
        if (ins.args.length === 3) {
          assert.match(name, /^[a-z][a-z0-9-_.]*$/, where);
          assert.ok(!['scratch', 'context'].includes(name) && !stages.includes(name), `${where}: stage name ${name}`);
        }
        stages.push(name);
        stageIndex++;
        once = new Set();
      }
      if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(ins.keyword)) {
        assert.ok(!once.has(ins.keyword), `${where}: one ${ins.keyword} per stage`);
        once.add(ins.keyword);
      }
      for (const flag of ins.flags) {
        if (flag.name !== 'from' || !flag.value || /[:/$]/.test(flag.value)) continue;
        const earlier = stages.slice(0, stageIndex);
        assert.ok(/^\d+$/.test(flag.value) ? Number(flag.value) < stageIndex : earlier.includes(flag.value), `${where}: --from=${flag.value} names an earlier stage`);
      }
      if (ins.keyword === 'EXPOSE') {
        for (const port of ins.args) {
          if (port.value.includes('$')) continue;
          const m = /^(\d+)(\/(tcp|udp))?$/.exec(port.value);
          assert.ok(m && Number(m[1]) >= 1 && Number(m[1]) <= 65535, `${where}: port ${port.value}`);
        }
      }
      if (['SHELL'].includes(ins.keyword)) assert.ok(ins.json, `${where}: SHELL is a JSON array`);
      if (ins.argsText.startsWith('[') && ['CMD', 'ENTRYPOINT', 'RUN', 'VOLUME'].includes(ins.keyword)) assert.ok(ins.json, `${where}: valid JSON form`);
    }
  }
});

test('generateLargeDockerfile is close to the requested size and deterministic', () => {
  const text = generateLargeDockerfile(7000);
  const lines = lineCount(text);
  assert.ok(Math.abs(lines - 7000) <= 700, `7000 requested, ${lines} produced`);
  assert.equal(generateLargeDockerfile(7000), text);
  const ast = parse(text);
  assert.deepEqual(ast.problems, []);
  assert.ok(ast.instructions.filter((i) => i.keyword === 'FROM').length >= 20, 'many stages');
  assert.ok(ast.instructions.some((i) => i.heredocs.length > 0), 'heredocs');
  assert.notEqual(generateLargeDockerfile(7000, 2), text);
});
