/**
 * Compares Dockwright's shell parser (server/src/core/shell/parser.ts) with existing parsers on real RUN
 * bodies: agreement on the simple commands (name and argument count), error detection and recovery,
 * parse speed, and the bytes each one adds to a bundle. The results are written up in
 * docs/shell-parser-evaluation.md.
 *
 * The candidates are NOT dependencies of the repository. Install them in a scratch folder and point
 * SHELL_EVAL_MODULES at its node_modules (default /tmp/shell-eval/node_modules):
 *
 *   mkdir -p /tmp/shell-eval && cd /tmp/shell-eval && npm init -y && \
 *     npm install --ignore-scripts sh-syntax web-tree-sitter tree-sitter-bash mvdan-sh @ericcornelissen/bash-parser
 *   npx tsx bench/shell-parsers.ts [--json out.json] [--verbose]
 *   npx tsx bench/shell-parsers.ts --fuzz 5000      (differential fuzzing against mvdan-sh)
 *
 * Candidates that are not installed are skipped (and the output says so).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { parseShell } from '../server/src/core/shell/parser';
import { scriptsOf } from '../server/src/core/shell/index';
import { parse } from '../server/src/core/syntax/parser';
import { buildModel } from '../server/src/core/semantic/model';

const root = join(__dirname, '..');
const modulesDir = process.env.SHELL_EVAL_MODULES ?? '/tmp/shell-eval/node_modules';
const verbose = process.argv.includes('--verbose');
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
const req = createRequire(join(modulesDir, 'noop.js'));

// ------------------------------------------------------------------------------------------ corpus

interface Body {
  readonly source: string;
  readonly text: string;
}

function loadBodies(): Body[] {
  const out: Body[] = [];
  const file = join(root, 'bench', 'shell-bodies.txt');
  const blocks = readFileSync(file, 'utf8').split(/^%%\n/m).slice(1);
  blocks.forEach((b, i) => {
    const text = b.replace(/\n$/, '');
    if (text.trim()) out.push({ source: `shell-bodies.txt#${i + 1}`, text });
  });
  const realDir = join(root, 'test', 'fixtures', 'real-world');
  if (existsSync(realDir)) {
    for (const f of readdirSync(realDir).filter((x) => x.endsWith('.Dockerfile')).sort()) {
      const ast = parse(readFileSync(join(realDir, f), 'utf8'));
      const model = buildModel(ast);
      for (const ins of ast.instructions) {
        if ((ins.trigger ?? ins).keyword !== 'RUN') continue;
        for (const s of scriptsOf(model, ins)) {
          if (s.dialect !== 'skip' && s.script.text.trim()) out.push({ source: `${f}:${ins.startLine + 1}`, text: s.script.text });
        }
      }
    }
  }
  return out;
}

/** Bodies with a syntax error: who notices, and who still returns the commands around it. */
const BROKEN: readonly string[] = [
  'apt-get update && apt-get install -y curl && if [ -f /x ]; then echo yes',
  'echo "unterminated && apk add curl',
  'apk add --no-cache git &&     && git --version',
  'for f in /etc/*.conf; do echo "$f"',
  'case "$(uname -m)" in x86_64) echo amd64 ;;',
  "echo 'a && ls -la && rm -rf /tmp/x",
  'echo $(date && echo done',
  'make; fi; make install',
  'curl -fsSL https://x | ',
  '{ echo a; echo b',
];

// ------------------------------------------------------------------------------------------ candidates

/** One simple command: its name as written (quotes removed) and its argument count ('?' = not comparable). */
interface Cmd {
  readonly start: number;
  readonly name: string;
  readonly argc: number | '?';
}

interface Candidate {
  readonly name: string;
  readonly sync: boolean;
  /** Parses; returns the commands (undefined when the parser gives no command list) and whether it reported an error. */
  run(text: string): Promise<{ cmds: Cmd[] | undefined; error: boolean }> | { cmds: Cmd[] | undefined; error: boolean };
  /** Only the parse, for timing. */
  parseOnly(text: string): unknown;
  readonly bundle: { js: number; jsGzip: number; wasm: number; wasmGzip: number };
  readonly notes: string;
}

const normName = (s: string) => s.replace(/["'\\]/g, '');
const TEST_NAMES = new Set(['[', '[[']);

function bundleJs(entry: string, external: string[] = []): { js: number; jsGzip: number } {
  const r = buildSync({ entryPoints: [entry], bundle: true, minify: true, platform: 'node', format: 'cjs', write: false, external, logLevel: 'silent', nodePaths: [modulesDir] });
  const code = r.outputFiles[0].contents;
  return { js: code.byteLength, jsGzip: gzipSync(code).byteLength };
}

function fileSizes(paths: string[]): { wasm: number; wasmGzip: number } {
  let wasm = 0;
  let wasmGzip = 0;
  for (const p of paths) {
    const b = readFileSync(p);
    wasm += b.byteLength;
    wasmGzip += gzipSync(b).byteLength;
  }
  return { wasm, wasmGzip };
}

function ours(): Candidate {
  const cmdsOf = (text: string) => {
    const s = parseShell(text, 'bash');
    return {
      cmds: s.commands.filter((c) => c.name).map((c) => ({ start: c.name!.start, name: normName(c.name!.raw), argc: TEST_NAMES.has(c.name!.raw) ? ('?' as const) : c.args.length })),
      error: s.errors.length > 0,
    };
  };
  return {
    name: 'dockwright',
    sync: true,
    run: cmdsOf,
    parseOnly: (t) => parseShell(t, 'bash'),
    bundle: { ...bundleJs(join(root, 'server', 'src', 'core', 'shell', 'parser.ts')), wasm: 0, wasmGzip: 0 },
    notes: 'pure TypeScript, synchronous, UTF-16 offsets of every word, error recovery',
  };
}

interface GoError {
  Error?: () => string;
}
interface MvdanPos {
  Offset(): number;
}
interface MvdanNode {
  Pos(): MvdanPos;
  End(): MvdanPos;
  Args?: MvdanNode[];
  Assigns?: MvdanNode[];
  Variant?: { Value: string };
}
interface MvdanSyntax {
  NewParser(...opts: unknown[]): { Parse(src: string, name: string): MvdanNode };
  Variant(v: unknown): unknown;
  LangBash: unknown;
  Walk(node: MvdanNode, f: (n: MvdanNode | null) => boolean): void;
  NodeType(n: MvdanNode): string;
}

function mvdan(): Candidate | string {
  let syntax: MvdanSyntax;
  try {
    syntax = (req('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
  } catch {
    return 'mvdan-sh (GopherJS build of mvdan/sh) not installed';
  }
  const parser = syntax.NewParser(syntax.Variant(syntax.LangBash));
  const run = (text: string) => {
    // Offsets are UTF-8 bytes: map them to string indexes.
    const byteToIndex = utf8Index(text);
    let f: MvdanNode;
    try {
      f = parser.Parse(text, 'run.sh');
    } catch {
      return { cmds: [], error: true };
    }
    const cmds: Cmd[] = [];
    syntax.Walk(f, (n) => {
      if (!n) return true;
      const t = syntax.NodeType(n);
      if (t === 'CallExpr' && n.Args && n.Args.length > 0) {
        const w = n.Args[0];
        const s = byteToIndex(w.Pos().Offset());
        const e = byteToIndex(w.End().Offset());
        const raw = text.slice(s, e);
        cmds.push({ start: s, name: normName(raw), argc: TEST_NAMES.has(raw) ? '?' : n.Args.length - 1 });
      } else if (t === 'DeclClause' && n.Variant) {
        cmds.push({ start: byteToIndex(n.Pos().Offset()), name: n.Variant.Value, argc: n.Args?.length ?? 0 });
      } else if (t === 'TestClause') {
        cmds.push({ start: byteToIndex(n.Pos().Offset()), name: '[[', argc: '?' });
      }
      return true;
    });
    return { cmds, error: false };
  };
  return {
    name: 'mvdan-sh',
    sync: true,
    run,
    parseOnly: (t) => {
      try {
        return parser.Parse(t, 'run.sh');
      } catch (e) {
        return (e as GoError).Error?.();
      }
    },
    bundle: { ...bundleJs(req.resolve('mvdan-sh')), wasm: 0, wasmGzip: 0 },
    notes: 'mvdan/sh v3 compiled to JS by GopherJS (package last published 2021); full AST, byte offsets, no error recovery',
  };
}

function utf8Index(text: string): (byte: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) map.push(i);
    if (cp >= 0x10000) i++;
  }
  map.push(text.length);
  return (b) => map[Math.min(b, map.length - 1)];
}

interface ShSyntaxModule {
  processor(text: string, options?: { variant?: number; recoverErrors?: number }): Promise<{ Stmts: unknown[] }>;
  LangVariant: { LangBash: number };
}

function shSyntax(): Candidate | string {
  let mod: ShSyntaxModule;
  try {
    mod = req('sh-syntax') as ShSyntaxModule;
  } catch {
    return 'sh-syntax (mvdan/sh compiled to WASM by Go) not installed';
  }
  const dir = join(modulesDir, 'sh-syntax');
  return {
    name: 'sh-syntax',
    sync: false,
    // Its JSON AST stops at statements (Stmt.Cmd has positions only): no command names to compare.
    run: async (text) => {
      try {
        await mod.processor(text, { variant: mod.LangVariant.LangBash });
        return { cmds: undefined, error: false };
      } catch {
        return { cmds: undefined, error: true };
      }
    },
    parseOnly: (t) => mod.processor(t, { variant: mod.LangVariant.LangBash }).catch(() => undefined),
    bundle: { ...bundleJs(join(dir, 'lib', 'index.cjs')), ...fileSizes([join(dir, 'main.wasm')]) },
    notes: 'mvdan/sh compiled to WASM; async API that instantiates the Go runtime on every call; the JSON AST it returns has statement positions but no command words',
  };
}

interface TsNode {
  type: string;
  text: string;
  startIndex: number;
  childCount: number;
  namedChildren: TsNode[];
  children: TsNode[];
  hasError: boolean;
  childForFieldName(name: string): TsNode | null;
  childrenForFieldName(name: string): TsNode[];
}
interface TsParser {
  setLanguage(l: unknown): void;
  parse(text: string): { rootNode: TsNode; delete(): void } | null;
}
interface TsModule {
  Parser: { init(): Promise<void>; new (): TsParser };
  Language: { load(bytes: Uint8Array): Promise<unknown> };
}

async function treeSitter(): Promise<Candidate | string> {
  let mod: TsModule;
  const wasmPath = join(modulesDir, 'tree-sitter-bash', 'tree-sitter-bash.wasm');
  try {
    mod = req('web-tree-sitter') as TsModule;
    if (!existsSync(wasmPath)) return 'tree-sitter-bash (its .wasm) not installed';
  } catch {
    return 'web-tree-sitter not installed';
  }
  await mod.Parser.init();
  const lang = await mod.Language.load(readFileSync(wasmPath));
  const parser = new mod.Parser();
  parser.setLanguage(lang);
  const run = (text: string) => {
    const tree = parser.parse(text);
    if (!tree) return { cmds: [], error: true };
    const cmds: Cmd[] = [];
    const visit = (n: TsNode) => {
      if (n.type === 'command') {
        const name = n.childForFieldName('name');
        if (name) cmds.push({ start: name.startIndex, name: normName(name.text), argc: n.childrenForFieldName('argument').length });
      } else if (n.type === 'declaration_command' || n.type === 'unset_command') {
        const kw = n.children[0];
        cmds.push({ start: n.startIndex, name: kw?.text ?? '?', argc: n.namedChildren.length });
      } else if (n.type === 'test_command') {
        cmds.push({ start: n.startIndex, name: n.children[0]?.text ?? '[', argc: '?' });
      }
      for (const c of n.namedChildren) visit(c);
    };
    visit(tree.rootNode);
    const error = tree.rootNode.hasError;
    tree.delete();
    return { cmds, error };
  };
  const wts = join(modulesDir, 'web-tree-sitter');
  return {
    name: 'tree-sitter-bash',
    sync: true,
    run,
    parseOnly: (t) => parser.parse(t)?.delete(),
    bundle: { ...bundleJs(join(wts, 'web-tree-sitter.cjs')), ...fileSizes([join(wts, 'web-tree-sitter.wasm'), wasmPath]) },
    notes: 'web-tree-sitter + tree-sitter-bash: async init (load 2 wasm files) then synchronous, incremental parses; concrete syntax tree with error nodes',
  };
}

interface BpNode {
  type: string;
  name?: { text: string; loc?: { start: { char: number } } };
  suffix?: { type: string; text?: string }[];
  loc?: { start: { char: number } };
}

function bashParser(): Candidate | string {
  let bp: (text: string, opts?: { insertLOC?: boolean }) => unknown;
  let entry: string;
  try {
    entry = req.resolve('@ericcornelissen/bash-parser');
    bp = req('@ericcornelissen/bash-parser') as typeof bp;
  } catch {
    return '@ericcornelissen/bash-parser not installed';
  }
  const run = (text: string) => {
    let ast: unknown;
    try {
      ast = bp(text, { insertLOC: true });
    } catch {
      return { cmds: [], error: true };
    }
    const cmds: Cmd[] = [];
    const visit = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (!v || typeof v !== 'object') return;
      const n = v as BpNode & Record<string, unknown>;
      if (n.type === 'Command' && n.name) {
        const argc = (n.suffix ?? []).filter((s) => s.type !== 'Redirect').length;
        const name = n.name.text;
        cmds.push({ start: n.name.loc?.start.char ?? 0, name: normName(name), argc: TEST_NAMES.has(name) ? '?' : argc });
      }
      for (const [k, c] of Object.entries(n)) if (k !== 'loc') visit(c);
    };
    visit(ast);
    return { cmds, error: false };
  };
  return {
    name: 'bash-parser',
    sync: true,
    run,
    parseOnly: (t) => {
      try {
        return bp(t);
      } catch {
        return undefined;
      }
    },
    bundle: { ...bundleJs(entry), wasm: 0, wasmGzip: 0 },
    notes: '@ericcornelissen/bash-parser (fork of vorpaljs/bash-parser): POSIX-oriented JS parser, throws on the first error',
  };
}

// ------------------------------------------------------------------------------------------ measures

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

async function timeCandidate(c: Candidate, all: Body[]): Promise<{ medianUs: number; p95Us: number; totalMs: number; bodies: number }> {
  const per: number[] = [];
  const reps = c.sync ? 15 : 1;
  // sh-syntax takes a fraction of a second per call: time it on the first 40 bodies only.
  const bodies = c.sync ? all : all.slice(0, 40);
  for (const b of bodies.slice(0, 20)) await c.parseOnly(b.text); // warm-up
  for (const b of bodies) {
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await c.parseOnly(b.text);
      times.push(performance.now() - t0);
    }
    per.push(median(times));
  }
  const sorted = [...per].sort((a, b) => a - b);
  return { medianUs: median(per) * 1000, p95Us: sorted[Math.floor(sorted.length * 0.95)] * 1000, totalMs: per.reduce((a, b) => a + b, 0), bodies: bodies.length };
}

/** `name/argc` in source order (tests `[`/`[[` without a count: parsers model their operands differently). */
const fmtCmds = (cs: Cmd[] | undefined) => (cs ? [...cs].sort((a, b) => a.start - b.start).map((c) => `${c.name}/${TEST_NAMES.has(c.name) ? '?' : c.argc}`) : undefined);

/** Same commands, compared as multisets (bash-parser gives no offsets inside substitutions). */
function sameCmds(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * Differential fuzzing against mvdan/sh (the reference implementation behind shfmt): random, mostly
 * valid compound scripts; where mvdan parses one, both must list the same commands and we no error.
 */
function fuzz(n: number): void {
  const m = mvdan();
  if (typeof m === 'string') {
    console.log(`--fuzz needs ${m}`);
    return;
  }
  const words = ['apt-get', 'install', '-y', 'a', '"b c"', "'d e'", '$X', '${Y:-z}', '"$(ls -l)"', '$(id -u)', '`date`', 'x=1', 'f/*', '\\;', '2>&1', '>/dev/null', '<in', '>>log', '{a,b}', '"${A[@]}"', '$((1+2))', "$'t'", '<<<s', '&>o', '-o=x'];
  const ops = [' && ', ' || ', '; ', ' | ', '\n', ' & '];
  let seed = 42;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const simple = () => [['echo', 'ls', 'cat', 'grep', 'make', 'rm', 'cp'][rnd(7)], ...Array.from({ length: 1 + rnd(5) }, () => words[rnd(words.length)])].join(' ');
  const cmd = (d: number): string => {
    switch (d > 2 ? 0 : rnd(9)) {
      case 1: return `if ${list(d + 1)}; then ${list(d + 1)}; fi`;
      case 2: return `for i in a b; do ${list(d + 1)}; done`;
      case 3: return `(${list(d + 1)})`;
      case 4: return `{ ${list(d + 1)}; }`;
      case 5: return `while ${list(d + 1)}; do ${list(d + 1)}; done`;
      case 6: return `case $x in a|b) ${list(d + 1)};; *) ${list(d + 1)};; esac`;
      case 7: return `echo "$(${list(d + 1)})"`;
      default: return simple();
    }
  };
  const list = (d: number): string => {
    let s = cmd(d);
    for (let i = 1 + rnd(3); i > 1; i--) s += ops[rnd(ops.length)] + cmd(d);
    return s;
  };
  const me = ours();
  let valid = 0;
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const t = list(0);
    const ref = m.run(t) as { cmds: Cmd[] | undefined; error: boolean };
    if (ref.error) continue;
    valid++;
    const o = me.run(t) as { cmds: Cmd[] | undefined; error: boolean };
    if (o.error || !sameCmds(fmtCmds(o.cmds)!, fmtCmds(ref.cmds)!)) {
      differ++;
      if (differ <= 10) console.log(`DIFF ${JSON.stringify(t)}\n  dockwright ${fmtCmds(o.cmds)!.join(' ')}\n  mvdan-sh   ${fmtCmds(ref.cmds)!.join(' ')}`);
    }
  }
  console.log(`fuzz: ${n} scripts, ${valid} accepted by mvdan/sh, ${differ} where dockwright differs`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--fuzz')) return fuzz(Number(process.argv[process.argv.indexOf('--fuzz') + 1] ?? 2000));
  const bodies = loadBodies();
  const candidates: Candidate[] = [ours()];
  const skipped: string[] = [];
  for (const c of [shSyntax(), await treeSitter(), mvdan(), bashParser()]) {
    if (typeof c === 'string') skipped.push(c);
    else candidates.push(c);
  }
  console.log(`${bodies.length} RUN bodies (${bodies.filter((b) => b.source.startsWith('shell-bodies')).length} from bench/shell-bodies.txt, the rest from test/fixtures/real-world)`);
  for (const s of skipped) console.log(`skipped: ${s} (install it under ${modulesDir})`);

  // Correctness: the command lists of every body, compared with every other parser.
  const results = new Map<string, { cmds: string[] | undefined; error: boolean }[]>();
  for (const c of candidates) {
    const rs: { cmds: string[] | undefined; error: boolean }[] = [];
    for (const b of bodies) {
      const r = await c.run(b.text);
      rs.push({ cmds: fmtCmds(r.cmds), error: r.error });
    }
    results.set(c.name, rs);
  }
  const comparable = candidates.filter((c) => results.get(c.name)!.some((r) => r.cmds));
  const agreement: Record<string, Record<string, number>> = {};
  const disagreements: { body: string; source: string; lists: Record<string, string> }[] = [];
  for (const a of comparable) {
    agreement[a.name] = {};
    for (const b of comparable) {
      let n = 0;
      bodies.forEach((_, i) => {
        const x = results.get(a.name)![i];
        const y = results.get(b.name)![i];
        if (x.cmds && y.cmds && !x.error && !y.error && sameCmds(x.cmds, y.cmds)) n++;
      });
      agreement[a.name][b.name] = n;
    }
  }
  bodies.forEach((b, i) => {
    const lists: Record<string, string> = {};
    let differ = false;
    const base = results.get('dockwright')![i];
    for (const c of comparable) {
      const r = results.get(c.name)![i];
      lists[c.name] = r.error ? `ERROR ${r.cmds?.join(' ') ?? ''}` : r.cmds?.join(' ') ?? '';
      if (r.error !== base.error || (r.cmds && base.cmds && !sameCmds(r.cmds, base.cmds))) differ = true;
    }
    if (differ) disagreements.push({ body: b.text.length > 160 ? b.text.slice(0, 160) + '…' : b.text, source: b.source, lists });
  });
  const errorsFlagged: Record<string, number> = {};
  for (const c of candidates) errorsFlagged[c.name] = results.get(c.name)!.filter((r) => r.error).length;

  // Broken bodies: detection and what is still returned.
  const broken: Record<string, { detected: number; commandsReturned: number }> = {};
  for (const c of candidates) {
    let detected = 0;
    let commandsReturned = 0;
    for (const t of BROKEN) {
      const r = await c.run(t);
      if (r.error) detected++;
      commandsReturned += r.cmds?.length ?? 0;
    }
    broken[c.name] = { detected, commandsReturned };
  }

  // Speed.
  const speed: Record<string, { medianUs: number; p95Us: number; totalMs: number; bodies: number }> = {};
  for (const c of candidates) speed[c.name] = await timeCandidate(c, bodies);

  // Report.
  console.log('\n== Bundle cost (bytes; gzip in parentheses)');
  for (const c of candidates) {
    const b = c.bundle;
    console.log(`${c.name.padEnd(18)} js ${b.js} (${b.jsGzip})  wasm ${b.wasm} (${b.wasmGzip})  total ${b.js + b.wasm} (${b.jsGzip + b.wasmGzip})`);
  }
  console.log('\n== Speed per body (median of repeated parses; all bodies)');
  for (const c of candidates) {
    const s = speed[c.name];
    console.log(`${c.name.padEnd(18)} median ${s.medianUs.toFixed(1)} µs  p95 ${s.p95Us.toFixed(1)} µs  total ${s.totalMs.toFixed(2)} ms over ${s.bodies} bodies  ${c.sync ? 'sync' : 'async'}`);
  }
  console.log('\n== Bodies flagged as erroneous (corpus bodies are all valid bash)');
  for (const c of candidates) console.log(`${c.name.padEnd(18)} ${errorsFlagged[c.name]} / ${bodies.length}`);
  console.log(`\n== Broken bodies (${BROKEN.length}): detected, commands still returned`);
  for (const c of candidates) console.log(`${c.name.padEnd(18)} detected ${broken[c.name].detected}  commands ${c.name === 'sh-syntax' ? 'n/a' : broken[c.name].commandsReturned}`);
  console.log('\n== Agreement on command names and argument counts (bodies where both parse without error and agree)');
  console.log(''.padEnd(18) + comparable.map((c) => c.name.padStart(18)).join(''));
  for (const a of comparable) console.log(a.name.padEnd(18) + comparable.map((b) => String(agreement[a.name][b.name]).padStart(18)).join(''));
  console.log(`\n== ${disagreements.length} bodies where a parser differs from dockwright`);
  for (const d of verbose ? disagreements : disagreements.slice(0, 40)) {
    console.log(`-- ${d.source}: ${JSON.stringify(d.body)}`);
    for (const [k, v] of Object.entries(d.lists)) console.log(`   ${k.padEnd(18)} ${v}`);
  }
  if (!verbose && disagreements.length > 40) console.log(`   (${disagreements.length - 40} more; --verbose shows them all)`);
  if (jsonOut) {
    writeFileSync(
      jsonOut,
      JSON.stringify({ bodies: bodies.length, skipped, bundle: Object.fromEntries(candidates.map((c) => [c.name, c.bundle])), speed, errorsFlagged, broken, agreement, disagreements, notes: Object.fromEntries(candidates.map((c) => [c.name, c.notes])) }, null, 2),
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
