/**
 * CopyAllBeforeInstall: the whole build context (or a source folder) copied before a dependency install, so
 * any source change re-runs the install. The fix copies the manifests and lockfiles first (those present in
 * the context when it was scanned, the conventional ones otherwise), installs, then copies the rest.
 */
import type { Stage } from '../semantic/model';
import type { InstructionScript } from '../shell/index';
import { commandName, effectiveCommand } from '../shell/index';
import type { ShCommand } from '../shell/types';
import { packageCommand } from '../semantic/packages';
import { hasWildcard } from '../features/context-files';
import { defineRule, type ContextFiles, type Fix, type RuleContext } from './types';
import { CACHE_DIRS, contextCopy, contextPathFor, dependencySteps, workdirs, type ContextCopy, type DependencyStep, type Manifest } from './cache-helpers';
import { cleanPath, fix, hasCacheMountOn, inCase, indentationAt, lineBreakOf, lineNumberAt, wholeLines } from './util';

export default defineRule({
  meta: {
    id: 'CopyAllBeforeInstall',
    title: 'Whole context copied before the dependency install',
    category: 'cache',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'The cache of a step is lost as soon as anything it copied changes. When `COPY . .` (or a source folder) comes before `npm ci`, `pip install -r`, `go mod download`, `bundle install`... editing any source file re-runs the whole install. Copy only the manifests and lockfiles first, install, and copy the rest afterwards: the install then re-runs only when the dependencies change. For steps that build and download at once (`cargo build`, `mvn package`, `go build`, `dotnet publish`), run the download on its own first (`cargo fetch`, `mvn dependency:go-offline`, `go mod download`, `dotnet restore`).',
      bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n',
      good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) checkStage(ctx, stage);
  },
});

/** Conventional lockfiles copied when the context is unknown (a COPY of a missing file fails the build). */
const USUAL = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'go.sum', 'Cargo.lock', 'Gemfile.lock', 'composer.lock', 'settings.gradle*', '*.sln']);

function checkStage(ctx: RuleContext, stage: Stage): void {
  const model = ctx.model;
  const files = ctx.context?.files;
  const cwds = workdirs(model);
  const seen = new Set<string>();
  const copies: ContextCopy[] = [];
  for (const ins of stage.instructions) {
    const cc = contextCopy(model, ins);
    if (cc) {
      copies.push(cc);
      continue;
    }
    if (ins.keyword !== 'RUN' || ins.trigger) continue;
    for (const step of dependencySteps(model, ins)) {
      // Only the first install per ecosystem: a second one after the full copy is a different matter.
      if (seen.has(step.ecosystem)) continue;
      seen.add(step.ecosystem);
      if (step.kind === 'build' && hasCacheMountOn(ins, CACHE_DIRS[step.ecosystem])) continue;
      const cwd = cwds.get(ins) ?? '?';
      for (const c of copies) {
        const hit = broadSource(c, step, cwd, files);
        if (!hit) continue;
        report(ctx, stage, c, step, hit, copies);
        break;
      }
    }
  }
}

interface Hit {
  /** The broad source as written, cleaned (`.`, `app`). */
  readonly source: string;
  /** The context folder that lands in the install's working directory. */
  readonly ctxDir: string;
}

/** Whether `c` copies a folder holding the install's primary manifest into its working directory. */
function broadSource(c: ContextCopy, step: DependencyStep, cwd: string, files: ContextFiles | undefined): Hit | undefined {
  for (const s of c.sources) {
    let src = cleanPath(s.value.replace(/^\/+/, ''));
    if (src === '*') src = '.';
    else if (hasWildcard(src)) continue;
    const isDir = src === '.' || (files ? files.hasDir(src) && !files.has(src) : /\/$/.test(s.value));
    if (!isDir) continue;
    const ctxDir = contextPathFor(src, c.destDir, cwd);
    if (ctxDir === undefined) continue;
    if (files && !present(files, ctxDir, step.manifests[0])) continue;
    return { source: src, ctxDir };
  }
  return undefined;
}

function join(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`;
}

function present(files: ContextFiles, dir: string, m: Manifest): boolean {
  if (m.dir) return files.hasDir(join(dir, m.name));
  if (m.name.includes('*')) return manifestFiles(files, dir, m).length > 0;
  return files.has(join(dir, m.name));
}

/** Files matching a pattern manifest: in `dir` itself, or anywhere below for project files (`*.csproj`). */
function manifestFiles(files: ContextFiles, dir: string, m: Manifest): string[] {
  const deep = /\.(cs|fs|vb)proj$/.test(m.name);
  const depth = dir === '.' ? 1 : dir.split('/').length + 1;
  return files.find(dir, m.name, ['node_modules', 'bin', 'obj', '.git']).filter((p) => deep || p.split('/').length === depth);
}

/** The manifest sources to copy (context-relative), grouped by the folder under the destination they go to. */
function manifestSources(step: DependencyStep, ctxDir: string, files: ContextFiles | undefined): { files: Map<string, string[]>; dirs: string[]; names: string[] } {
  const byDir = new Map<string, string[]>();
  const dirs: string[] = [];
  const names: string[] = [];
  const add = (sub: string, path: string) => {
    const list = byDir.get(sub) ?? [];
    if (!list.includes(path)) list.push(path);
    byDir.set(sub, list);
  };
  for (const m of step.manifests) {
    if (files) {
      if (!present(files, ctxDir, m)) continue;
      if (m.dir) {
        dirs.push(join(ctxDir, m.name));
        names.push(m.name + '/');
      } else if (m.name.includes('*')) {
        for (const p of manifestFiles(files, ctxDir, m)) {
          const rel = ctxDir === '.' ? p : p.slice(ctxDir.length + 1);
          const slash = rel.lastIndexOf('/');
          add(slash === -1 ? '' : rel.slice(0, slash), p);
          names.push(rel);
        }
      } else {
        add('', join(ctxDir, m.name));
        names.push(m.name);
      }
      continue;
    }
    // Unknown context: the conventional files only (npm's package*.json idiom takes the lockfile if there is one).
    if (step.ecosystem === 'npm' && m.name === 'package.json') {
      add('', join(ctxDir, 'package*.json'));
      names.push('package*.json');
      continue;
    }
    if (step.ecosystem === 'npm' && m.name === 'package-lock.json') continue;
    if (!m.required && !USUAL.has(m.name)) continue;
    if (m.dir) {
      dirs.push(join(ctxDir, m.name));
      names.push(m.name + '/');
    } else {
      add('', join(ctxDir, m.name));
      names.push(m.name);
    }
  }
  return { files: byDir, dirs, names };
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function report(ctx: RuleContext, stage: Stage, c: ContextCopy, step: DependencyStep, hit: Hit, copies: readonly ContextCopy[]): void {
  const src = c.sources.find((s) => cleanPath(s.value.replace(/^\/+/, '')) === hit.source || (hit.source === '.' && s.value === '*')) ?? c.sources[0];
  const line = lineNumberAt(ctx.ast, step.ins.range.start);
  const what = hit.source === '.' ? 'the whole build context' : `the whole ${hit.source} folder`;
  const manifests = manifestSources(step, hit.ctxDir, ctx.context?.files);
  const names = list(manifests.names);
  const message =
    step.kind === 'install'
      ? `${c.ins.keyword} ${src.value} copies ${what} before ${step.label} (line ${line}): a change to any file re-runs the install. Copy ${names} first, install, then copy the rest.`
      : `${c.ins.keyword} ${src.value} copies ${what} before ${step.label} (line ${line}), which downloads every dependency again whenever any file changes. Run ${step.prefetch} first with only ${names} copied, so the downloads stay cached.`;
  const f = buildFix(ctx, stage, c, step, hit, manifests, copies);
  ctx.report(src.word.range, message, { fixes: f ? [f] : [] });
}

/** The COPY lines that put the manifests where the broad COPY would have. */
function manifestCopyLines(ctx: RuleContext, c: ContextCopy, manifests: ReturnType<typeof manifestSources>): string[] | undefined {
  const text = ctx.text;
  const kw = inCase('COPY', ctx.ast.instructions);
  const flags = c.ins.flags.filter((f) => f.name !== 'exclude' && f.name !== 'parents').map((f) => text.slice(f.range.start, f.range.end));
  const head = [kw, ...flags].join(' ');
  const dest = c.destWord.value;
  if (c.ins.json || /\s/.test(dest)) return undefined;
  const sub = (rel: string) => {
    if (rel === '') return dest === '.' ? './' : dest.endsWith('/') ? dest : `${dest}/`;
    return `${dest === '.' ? '.' : dest.replace(/\/+$/, '')}/${rel}/`;
  };
  const lines: string[] = [];
  for (const [rel, paths] of manifests.files) if (paths.length > 0) lines.push(`${head} ${paths.join(' ')} ${sub(rel)}`);
  for (const d of manifests.dirs) lines.push(`${head} ${d} ${sub(d.slice(d.lastIndexOf('/') + 1))}`);
  return lines.length > 0 ? lines : undefined;
}

/** Commands that may stay before the install in its RUN: tool setup that does not read the sources. */
function harmlessPrefix(cmd: ShCommand): boolean {
  if (packageCommand(cmd)) return true;
  const eff = effectiveCommand(cmd);
  const name = eff ? commandName(eff.name) : '';
  if (['set', 'export', 'echo', 'true', 'mkdir', 'corepack', 'rustup', 'ln', 'git'].includes(name)) return name !== 'git' || eff?.args[0]?.value === 'config';
  return ['yarn', 'pnpm', 'composer', 'bundle', 'poetry', 'pipenv', 'uv', 'go'].includes(name) && (eff?.args[0]?.value === 'config' || eff?.args[0]?.value === 'env');
}

function buildFix(ctx: RuleContext, stage: Stage, c: ContextCopy, step: DependencyStep, hit: Hit, manifests: ReturnType<typeof manifestSources>, copies: readonly ContextCopy[]): Fix | undefined {
  const text = ctx.text;
  const nl = lineBreakOf(text);
  if (c.ins.trigger || c.sources.length !== 1) return undefined;
  if (manifests.files.size === 0 && manifests.dirs.length === 0) return undefined;
  // Workspaces and multi-module builds need more than the root manifests.
  const files = ctx.context?.files;
  if (files && (step.ecosystem === 'cargo' || step.ecosystem === 'maven') && files.find(hit.ctxDir, step.manifests[0].name, ['target', 'node_modules', '.git']).length > 1) return undefined;
  if (files && step.ecosystem === 'bundler' && files.find(hit.ctxDir, '*.gemspec').length > 0) return undefined;
  const lines = manifestCopyLines(ctx, c, manifests);
  if (!lines) return undefined;
  const indent = indentationAt(text, c.ins.range.start);
  const run = inCase('RUN', ctx.ast.instructions);
  const names = list(manifests.names);
  if (step.kind === 'build') {
    const cwds = workdirs(ctx.model);
    if (cwds.get(c.ins) !== cwds.get(step.ins) || cwds.get(c.ins) !== c.destDir) return undefined;
    const at = c.ins.range.start;
    const insert = lines.map((l) => l + nl + indent).join('') + `${run} ${step.prefetch}${nl}${indent}`;
    return fix(`Run ${step.prefetch} with only ${names} copied, before copying the rest`, [{ range: { start: at, end: at }, newText: insert }]);
  }
  // An install: move the broad COPY below it (only metadata may sit in between, or the order would matter).
  const between = stage.instructions.slice(stage.instructions.indexOf(c.ins) + 1, stage.instructions.indexOf(step.ins));
  if (between.some((i) => !['ENV', 'ARG', 'LABEL', 'EXPOSE', 'USER', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'CMD', 'ENTRYPOINT'].includes(i.keyword) || i.trigger)) return undefined;
  const r = step.ins;
  const entry: InstructionScript = step.script;
  if (entry.form !== 'shell' || !entry.exact || entry.script.errors.length > 0 || r.heredocs.length > 0 || !r.shell) return undefined;
  const cmd = step.command;
  if (cmd.depth !== 0 || cmd.inSubstitution || cmd.pipeline.commands.length !== 1 || cmd.pipeline.negated) return undefined;
  const pipe = cmd.pipeline;
  if (pipe.prev !== undefined && pipe.prev !== '&&' && pipe.prev !== ';' && pipe.prev !== '\n') return undefined;
  if (pipe.next !== undefined && pipe.next !== '&&' && pipe.next !== ';' && pipe.next !== '\n') return undefined;
  for (const other of entry.script.commands) {
    if (other.start >= cmd.start) break;
    if (other.depth !== 0 || !harmlessPrefix(other)) return undefined;
  }
  const cText = text.slice(c.ins.range.start, c.ins.range.end);
  const flags = text.slice(r.keywordRange.end, r.shell.range.start).replace(/\\\r?\n/g, ' ').trim();
  const runHead = `${run} ${flags ? flags + ' ' : ''}`;
  const stepRange = entry.toSource(cmd.start, cmd.end);
  const stepText = text.slice(stepRange.start, stepRange.end);
  // The manifests may already be copied by an earlier COPY: then the broad COPY only moves.
  const earlier = copies.slice(0, copies.indexOf(c));
  const already = [...manifests.files.values()].flat().every((p) => earlier.some((e) => e.destDir === c.destDir && e.sources.some((s) => cleanPath(s.value) === p || cleanPath(s.value) === p.replace(/^.*\//, ''))));
  const edits = [
    already && manifests.dirs.length === 0
      ? { range: wholeLines(text, c.ins.fullRange), newText: '' }
      : { range: c.ins.range, newText: lines.join(nl + indent) },
  ];
  const rIndent = indentationAt(text, r.range.start);
  const following = pipe.following;
  if (step.skipProject) {
    edits.push({ range: { start: stepRange.end, end: stepRange.end }, newText: ` ${step.skipProject}${nl}${rIndent}${cText}${nl}${rIndent}${runHead}${stepText}` });
  } else if (following) {
    edits.push({ range: { start: stepRange.end, end: entry.toSource(following.start, following.start).start }, newText: `${nl}${rIndent}${cText}${nl}${rIndent}${runHead}` });
  } else {
    edits.push({ range: { start: r.range.end, end: r.range.end }, newText: `${nl}${rIndent}${cText}` });
  }
  const title = step.skipProject
    ? `Copy ${names} first, run ${step.label} ${step.skipProject}, then copy the rest and run it again`
    : `Copy ${names} first, run ${step.label}, then copy the rest`;
  return fix(title, edits);
}
