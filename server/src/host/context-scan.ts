/**
 * Reads a build context from disk for the layer-cache analysis: every file the builder would receive (after
 * .dockerignore, matched with Docker's semantics by @balena/dockerignore, case-sensitively as BuildKit does),
 * with sizes, and the folders it saw. The core gets the result as a pure index (core/features/context-files.ts)
 * inside `ContextInfo.files`.
 *
 * - Off the request path: the language server scans asynchronously and in slices (it gives the event loop
 *   back at least every `sliceMs`), so requests are answered while a large tree is read. The CLI uses the
 *   same walk synchronously.
 * - Bounded: at most `maxFiles` files and `timeBudgetMs` of wall time; the result says when it stopped early.
 * - Incremental and cached: one scan per (context folder, .dockerignore); file change events (from the LSP
 *   client's watcher, or fs.watch as a fallback) patch the index instead of rescanning.
 * - The context folder is the Dockerfile's folder, unless the `dockwright.buildContext` setting or a
 *   `# dockwright context=<dir>` comment in the Dockerfile names another one.
 *
 * Host code: file system access lives here, never in the core. Must not: block for longer than a slice.
 */
import { existsSync, lstatSync, promises as fsp, readdirSync, readFileSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { homedir } from 'node:os';
import { performance } from 'node:perf_hooks';
import ignore from '@balena/dockerignore';
import { componentPattern, contextDirectiveOf, createContextFiles, hasWildcard } from '../core/features/context-files';
import type { ContextFiles, ContextInfo } from '../core/rules/types';
import { contextInfo } from './build-context';
import { isDockerfileName } from './find-dockerfiles';

export interface ScanLimits {
  /** Stop after this many files (the index is then marked truncated). */
  readonly maxFiles: number;
  /** Stop after this much wall time, in milliseconds. */
  readonly timeBudgetMs: number;
  /** Asynchronous scans give the event loop back after at most this much work, in milliseconds. */
  readonly sliceMs: number;
  /** How many lstat calls run at once (asynchronous mode). */
  readonly statConcurrency: number;
  /**
   * 'adaptive': file sizes are read with lstatSync in slices of at most `sliceMs` (2-3 times faster than
   * promises on a local disk, see bench/context-scan.ts), switching to asynchronous lstat for the rest of
   * the scan as soon as one call is slow (a network file system); 'async': always asynchronous.
   */
  readonly fsMode: 'adaptive' | 'async';
}

export const DEFAULT_LIMITS: ScanLimits = { maxFiles: 200_000, timeBudgetMs: 20_000, sliceMs: 8, statConcurrency: 64, fsMode: 'adaptive' };

/** One lstatSync slower than this turns an adaptive scan asynchronous. */
const SLOW_CALL_MS = 10;

// ---------------------------------------------------------------------------------------------
// .dockerignore

/** The .dockerignore in effect for a context, ready to match relative `/`-separated paths. */
export interface IgnoreRules {
  /** The file read (`<Dockerfile>.dockerignore` first, then `<context>/.dockerignore`), if any. */
  readonly file: string | undefined;
  readonly text: string | undefined;
  isIgnored(rel: string): boolean;
  /** Whether an exception (`!pattern`) may re-include something inside the excluded folder `rel`. */
  mayReinclude(rel: string): boolean;
}

/** Where a Dockerfile's .dockerignore is looked for, in BuildKit's order. */
export function dockerignoreCandidates(contextDir: string, dockerfilePath: string | undefined): string[] {
  return [dockerfilePath ? `${dockerfilePath}.dockerignore` : undefined, join(contextDir, '.dockerignore')].filter((p): p is string => p !== undefined);
}

/** Parses .dockerignore text with Docker's matching semantics. */
export function ignoreRules(text: string | undefined, file?: string): IgnoreRules {
  if (text === undefined) return { file, text, isIgnored: () => false, mayReinclude: () => false };
  const lines = text.split(/\r?\n/);
  const ig = ignore({ ignorecase: false }).add(lines);
  const exceptions = lines
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).trim().replace(/\\/g, '/').replace(/^(\.?\/)+/, ''))
    .filter((l) => l !== '');
  return {
    file,
    text,
    isIgnored: (rel) => {
      const p = rel.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
      return p !== '' && p !== '.' && ig.ignores(p);
    },
    mayReinclude: (rel) => exceptions.some((ex) => couldMatchInside(ex, rel)),
  };
}

/** Whether the pattern `ex` may match `dir` or something below it (component by component, `**` matches anything). */
function couldMatchInside(ex: string, dir: string): boolean {
  const pats = ex.split('/').filter((p) => p !== '');
  const parts = dir.split('/');
  for (let i = 0; i < Math.min(pats.length, parts.length); i++) {
    if (pats[i] === '**') return true;
    if (!hasWildcard(pats[i])) {
      if (pats[i] !== parts[i]) return false;
      continue;
    }
    const re = componentPattern(pats[i]);
    if (!re || !re.test(parts[i])) return false;
  }
  return true;
}

/** Reads the .dockerignore of a context (small, so synchronously). */
export function loadIgnoreRules(contextDir: string, dockerfilePath: string | undefined): IgnoreRules {
  for (const file of dockerignoreCandidates(contextDir, dockerfilePath)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return ignoreRules(text, file);
  }
  return ignoreRules(undefined);
}

// ---------------------------------------------------------------------------------------------
// The walk: one generator, driven synchronously (CLI, tests) or asynchronously in slices (server).

type Op = { readonly op: 'readdir'; readonly abs: string } | { readonly op: 'lstat'; readonly abs: readonly string[] } | { readonly op: 'yield' };

interface Entry {
  readonly name: string;
  /** Sort key: folders get a trailing `/`, so that a depth-first walk emits paths in code-unit order. */
  readonly key: string;
  readonly dir: boolean;
}

/** The walk's output: sent files sorted by code units, their sizes, the folders seen. */
export interface WalkResult {
  readonly paths: string[];
  readonly sizes: number[];
  readonly dirs: { path: string; excluded: boolean }[];
  /** Files skipped because .dockerignore excludes them one by one (excluded folders are not counted). */
  ignoredFiles: number;
  truncated: { reason: 'files' | 'time'; limit: number } | undefined;
}

/**
 * Walks `start` (relative to `root`, '' for the root) depth-first with entries in key order, so the output is
 * sorted without a final sort. Yields fs operations; the driver answers them.
 */
function* walk(root: string, rules: IgnoreRules, limits: ScanLimits, start: string, t0: number, maxFiles = limits.maxFiles): Generator<Op, WalkResult, unknown> {
  const out: WalkResult = { paths: [], sizes: [], dirs: [], ignoredFiles: 0, truncated: undefined };
  const hasRules = rules.text !== undefined;
  let work = 0;
  const open = function* (rel: string): Generator<Op, { rel: string; entries: Entry[]; sizes: Map<string, number>; i: number }, unknown> {
    const dirents = (yield { op: 'readdir', abs: rel === '' ? root : join(root, ...rel.split('/')) }) as Dirent[] | undefined;
    const entries: Entry[] = [];
    const files: string[] = [];
    for (const d of dirents ?? []) {
      const path = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (hasRules && rules.isIgnored(path) && !rules.mayReinclude(path)) {
          out.dirs.push({ path, excluded: true });
          continue;
        }
        entries.push({ name: d.name, key: d.name + '/', dir: true });
      } else if (d.isFile() || d.isSymbolicLink()) {
        // Symbolic links are sent as links, never followed.
        if (hasRules && rules.isIgnored(path)) {
          out.ignoredFiles++;
          continue;
        }
        entries.push({ name: d.name, key: d.name, dir: false });
        files.push(d.name);
      }
      if (++work % 2000 === 0) yield { op: 'yield' };
    }
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const sizes = new Map<string, number>();
    if (files.length > 0) {
      const base = rel === '' ? root : join(root, ...rel.split('/'));
      const got = (yield { op: 'lstat', abs: files.map((f) => join(base, f)) }) as (number | undefined)[];
      files.forEach((f, i) => {
        const s = got[i];
        if (s !== undefined) sizes.set(f, s);
      });
    }
    return { rel, entries, sizes, i: 0 };
  };
  const stack = [yield* open(start)];
  if (start !== '') out.dirs.push({ path: start, excluded: false });
  while (stack.length > 0) {
    if (performance.now() - t0 > limits.timeBudgetMs) {
      out.truncated = { reason: 'time', limit: limits.timeBudgetMs };
      break;
    }
    const frame = stack[stack.length - 1];
    if (frame.i >= frame.entries.length) {
      stack.pop();
      continue;
    }
    const e = frame.entries[frame.i++];
    const path = frame.rel === '' ? e.name : `${frame.rel}/${e.name}`;
    if (e.dir) {
      out.dirs.push({ path, excluded: false });
      stack.push(yield* open(path));
      continue;
    }
    const size = frame.sizes.get(e.name);
    if (size === undefined) continue; // vanished between readdir and lstat
    if (out.paths.length >= maxFiles) {
      out.truncated = { reason: 'files', limit: maxFiles };
      break;
    }
    out.paths.push(path);
    out.sizes.push(size);
  }
  return out;
}

function runSync<T>(gen: Generator<Op, T, unknown>): T {
  let r = gen.next();
  while (!r.done) {
    const op = r.value;
    let result: unknown;
    if (op.op === 'readdir') {
      try {
        result = readdirSync(op.abs, { withFileTypes: true });
      } catch {
        result = undefined;
      }
    } else if (op.op === 'lstat') {
      result = op.abs.map((p) => {
        try {
          return lstatSync(p).size;
        } catch {
          return undefined;
        }
      });
    }
    r = gen.next(result);
  }
  return r.value;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

async function lstatAll(paths: readonly string[], concurrency: number): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      try {
        out[i] = (await fsp.lstat(paths[i])).size;
      } catch {
        out[i] = undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return out;
}

async function runAsync<T>(gen: Generator<Op, T, unknown>, limits: ScanLimits, cancelled: () => boolean): Promise<T | undefined> {
  let r = gen.next();
  let slice = performance.now();
  let sync = limits.fsMode === 'adaptive';
  while (!r.done) {
    if (cancelled()) return undefined;
    const op = r.value;
    let result: unknown;
    if (op.op === 'readdir') {
      try {
        result = await fsp.readdir(op.abs, { withFileTypes: true });
      } catch {
        result = undefined;
      }
      slice = performance.now();
    } else if (op.op === 'lstat' && sync) {
      // Sizes in slices: give the event loop back every `sliceMs`, go asynchronous when a call is slow.
      const out: (number | undefined)[] = [];
      for (let i = 0; i < op.abs.length; i++) {
        if (!sync) {
          for (const size of await lstatAll(op.abs.slice(i), limits.statConcurrency)) out.push(size);
          break;
        }
        const t = performance.now();
        try {
          out.push(lstatSync(op.abs[i]).size);
        } catch {
          out.push(undefined);
        }
        const now = performance.now();
        if (now - t > SLOW_CALL_MS) sync = false;
        if (now - slice > limits.sliceMs) {
          await tick();
          if (cancelled()) return undefined;
          slice = performance.now();
        }
      }
      result = out;
    } else if (op.op === 'lstat') {
      result = await lstatAll(op.abs, limits.statConcurrency);
      slice = performance.now();
    } else if (performance.now() - slice > limits.sliceMs) {
      await tick();
      slice = performance.now();
    }
    r = gen.next(result);
  }
  return r.value;
}

/** Scans a context synchronously (CLI and tests). */
export function scanContextSync(root: string, rules: IgnoreRules, limits: Partial<ScanLimits> = {}): WalkResult {
  const l = { ...DEFAULT_LIMITS, ...limits };
  return runSync(walk(root, rules, l, '', performance.now()));
}

/** Scans a context asynchronously, giving the event loop back between slices. Undefined when cancelled. */
export function scanContext(root: string, rules: IgnoreRules, limits: Partial<ScanLimits> = {}, cancelled: () => boolean = () => false): Promise<WalkResult | undefined> {
  const l = { ...DEFAULT_LIMITS, ...limits };
  return runAsync(walk(root, rules, l, '', performance.now()), l, cancelled);
}

/** The core's query index over a walk. */
export function filesOf(w: WalkResult): ContextFiles {
  return createContextFiles({ paths: w.paths, sizes: w.sizes, dirs: w.dirs, truncated: w.truncated });
}

// ---------------------------------------------------------------------------------------------
// Which folder is the context

export interface ResolvedContext {
  readonly dir: string;
  readonly origin: 'dockerfile' | 'setting' | 'comment';
}

/**
 * The context folder of a Dockerfile: a `# dockwright context=<dir>` comment (relative to the Dockerfile's
 * folder), else the `dockwright.buildContext` setting (relative to the workspace folder; `${workspaceFolder}`
 * is replaced), else the Dockerfile's folder.
 */
export function resolveContextDir(dockerfilePath: string, text: string, setting?: string, workspaceFolder?: string): ResolvedContext {
  const own = dirname(dockerfilePath);
  const comment = contextDirectiveOf(text);
  if (comment) return { dir: resolve(own, comment), origin: 'comment' };
  const s = setting?.trim();
  if (s) {
    const value = workspaceFolder ? s.replace(/\$\{workspaceFolder\}/g, workspaceFolder) : s;
    return { dir: isAbsolute(value) ? resolve(value) : resolve(workspaceFolder ?? own, value), origin: 'setting' };
  }
  return { dir: own, origin: 'dockerfile' };
}

function baseInfo(rules: IgnoreRules, contextDir: string, origin: ResolvedContext['origin']): ContextInfo {
  return {
    hasDockerignore: rules.text !== undefined,
    isIgnored: (p: string) => rules.isIgnored(p),
    dockerignore: rules.file ? { path: rules.file, text: rules.text } : { path: join(contextDir, '.dockerignore') },
    origin,
  };
}

const cliCache = new Map<string, WalkResult>();

/**
 * Context information for the CLI: resolved as the server resolves it, the file index scanned synchronously
 * on first use (only rules that read `files` pay for it) and shared by the Dockerfiles of one context.
 */
export function cliContextInfo(dockerfilePath: string | undefined, text: string, cwd: string, limits: Partial<ScanLimits> = {}): ContextInfo {
  const resolved = dockerfilePath ? resolveContextDir(resolve(dockerfilePath), text) : { dir: cwd, origin: 'dockerfile' as const };
  const rules = loadIgnoreRules(resolved.dir, dockerfilePath ? resolve(dockerfilePath) : undefined);
  const info = baseInfo(rules, resolved.dir, resolved.origin);
  let files: ContextFiles | undefined;
  return {
    ...info,
    get files(): ContextFiles | undefined {
      if (files) return files;
      if (!isDirectory(resolved.dir)) return undefined;
      // The .dockerignore text is part of the key: a changed file means another set of files.
      const key = `${resolved.dir}\0${rules.file ?? ''}\0${rules.text ?? ''}`;
      let w = cliCache.get(key);
      if (!w) {
        w = scanContextSync(resolved.dir, rules, limits);
        cliCache.set(key, w);
      }
      files = filesOf(w);
      return files;
    },
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The server's scanner: cached, incremental, watched.

interface State {
  readonly key: string;
  readonly root: string;
  readonly dockerfilePath: string | undefined;
  rules: IgnoreRules;
  paths: string[];
  sizes: number[];
  dirs: Map<string, boolean>;
  truncated: WalkResult['truncated'];
  files: ContextFiles | undefined;
  /** Bumped by every scan and patch; a scan that finishes after a newer one started is dropped. */
  generation: number;
  scanning: Promise<void> | undefined;
  pending: Set<string>;
  timer: NodeJS.Timeout | undefined;
  watcher: FSWatcher | undefined;
  /** Recency (a counter, not a time): the least recently used context is evicted first. */
  lastUsed: number;
  /** When the last full scan finished, and how long it took. */
  scannedAt: number;
  scanMs: number;
}

export interface ScannerOptions {
  readonly limits?: Partial<ScanLimits>;
  /**
   * 'fs': watch each context with fs.watch (recursive); 'external': the caller reports changes with
   * `fileChanged` (the LSP client's watcher); 'none': never watch.
   */
  readonly watch?: 'fs' | 'external' | 'none';
  /** How long file events are gathered before the index is patched, in milliseconds. */
  readonly debounceMs?: number;
  /** Most contexts kept in memory. */
  readonly maxContexts?: number;
  /**
   * Most contexts kept that no user (see `contextFor`'s `user`) holds any more, most recently used first; the
   * others are dropped with their index and watcher. Contexts asked for without a user count as idle.
   * Unbounded (only `maxContexts` applies) by default.
   */
  readonly maxIdleContexts?: number;
}

/** Above this many changed paths in one batch, a full rescan is cheaper than patching. */
const MAX_PATCH = 2000;

export class ContextScanner {
  private readonly states = new Map<string, State>();
  private readonly listeners = new Set<(root: string) => void>();
  private readonly limits: ScanLimits;
  private watchMode: 'fs' | 'external' | 'none';
  private readonly debounceMs: number;
  private readonly maxContexts: number;
  private readonly maxIdleContexts: number;
  /** Which context each user (an open document's URI) reads: contexts nobody reads are idle. */
  private readonly users = new Map<string, string>();
  private clock = 0;
  /** Roots the external watcher covers (workspace folders); other roots fall back to fs.watch. */
  private externalRoots: string[] = [];

  constructor(options: ScannerOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.watchMode = options.watch ?? 'fs';
    this.debounceMs = options.debounceMs ?? 200;
    this.maxContexts = options.maxContexts ?? 16;
    this.maxIdleContexts = options.maxIdleContexts ?? Infinity;
  }

  /** Switches to external watching (LSP workspace/didChangeWatchedFiles) for the given folders. */
  useExternalWatcher(roots: readonly string[]): void {
    this.watchMode = 'external';
    this.externalRoots = roots.map((r) => resolve(r));
    for (const s of this.states.values()) {
      if (this.externalRoots.some((r) => inside(r, s.root))) {
        s.watcher?.close();
        s.watcher = undefined;
      }
    }
  }

  /** Called after a scan or a patch changed a context's index. */
  onDidUpdate(listener: (root: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Context information for a Dockerfile, immediately: the index as far as it is known (undefined `files`
   * while the first scan runs, which this call starts). `user` (an open document's URI) holds the context
   * until `release(user)` or until the same user asks for another context.
   */
  contextFor(dockerfilePath: string, text: string, setting?: string, workspaceFolder?: string, user?: string): ContextInfo {
    const resolved = resolveContextDir(dockerfilePath, text, setting, workspaceFolder);
    const key = this.keyOf(resolved.dir, dockerfilePath);
    const moved = user !== undefined && this.users.get(user) !== key;
    if (moved) this.users.set(user, key);
    const state = this.state(resolved.dir, dockerfilePath, key);
    state.lastUsed = ++this.clock;
    // The user left another context: that one may be idle now.
    if (moved) this.evict(state);
    return { ...baseInfo(state.rules, state.root, resolved.origin), files: state.files };
  }

  /** The user (a document that was closed) no longer reads its context; idle contexts beyond the limit go. */
  release(user: string): void {
    if (!this.users.delete(user)) return;
    this.evict(undefined);
  }

  /** How many contexts are held in memory, and how many users hold them (tests, benchmarks). */
  size(): { contexts: number; users: number } {
    return { contexts: this.states.size, users: this.users.size };
  }

  /** Resolves when the context's current scan (if any) has finished; gives its index. */
  async ready(dockerfilePath: string, text: string, setting?: string, workspaceFolder?: string): Promise<ContextFiles | undefined> {
    const resolved = resolveContextDir(dockerfilePath, text, setting, workspaceFolder);
    const state = this.state(resolved.dir, dockerfilePath);
    for (let guard = 0; guard < 10 && (state.scanning || state.timer); guard++) {
      if (state.timer) {
        clearTimeout(state.timer);
        state.timer = undefined;
        await this.patch(state);
      }
      await state.scanning;
    }
    return state.files;
  }

  /** Statistics of a context, for benchmarks and logs. */
  stats(dockerfilePath: string, text = ''): { files: number; bytes: number; truncated: WalkResult['truncated']; scanMs: number } | undefined {
    const resolved = resolveContextDir(dockerfilePath, text);
    const s = this.states.get(this.keyOf(resolved.dir, dockerfilePath));
    if (!s?.files) return undefined;
    return { files: s.files.totalFiles, bytes: s.files.totalBytes, truncated: s.truncated, scanMs: s.scanMs };
  }

  /** A file or folder changed on disk (created, changed or deleted: the index checks which). */
  fileChanged(absPath: string): void {
    const p = resolve(absPath);
    for (const s of this.states.values()) {
      if (!inside(s.root, p)) continue;
      if (dockerignoreCandidates(s.root, s.dockerfilePath).includes(p)) {
        this.rescan(s, true);
        continue;
      }
      s.pending.add(p);
      if (!s.timer) s.timer = setTimeout(() => {
        s.timer = undefined;
        void this.patch(s);
      }, this.debounceMs);
    }
  }

  dispose(): void {
    for (const s of this.states.values()) this.drop(s);
    this.states.clear();
    this.users.clear();
    this.listeners.clear();
  }

  private keyOf(root: string, dockerfilePath: string | undefined): string {
    const file = dockerfilePath && existsSync(`${dockerfilePath}.dockerignore`) ? `${dockerfilePath}.dockerignore` : '';
    return `${root}\0${file}`;
  }

  private state(root: string, dockerfilePath: string | undefined, key = this.keyOf(root, dockerfilePath)): State {
    let s = this.states.get(key);
    if (s) return s;
    s = {
      key,
      root,
      dockerfilePath,
      rules: loadIgnoreRules(root, dockerfilePath),
      paths: [],
      sizes: [],
      dirs: new Map(),
      truncated: undefined,
      files: undefined,
      generation: 0,
      scanning: undefined,
      pending: new Set(),
      timer: undefined,
      watcher: undefined,
      lastUsed: ++this.clock,
      scannedAt: 0,
      scanMs: 0,
    };
    this.states.set(key, s);
    this.evict(s);
    this.rescan(s, false);
    return s;
  }

  /**
   * Drops idle contexts beyond `maxIdleContexts` (least recently used first), then any context beyond
   * `maxContexts` (idle ones first). `keep`, the context being handed out, is never dropped.
   */
  private evict(keep: State | undefined): void {
    const idleLimit = this.maxIdleContexts;
    if (this.states.size <= Math.min(this.maxContexts, idleLimit)) return;
    const used = new Set(this.users.values());
    const idle: State[] = [];
    const busy: State[] = [];
    for (const s of this.states.values()) if (s !== keep) (used.has(s.key) ? busy : idle).push(s);
    idle.sort((a, b) => b.lastUsed - a.lastUsed);
    busy.sort((a, b) => b.lastUsed - a.lastUsed);
    const kept = keep ? 1 : 0;
    // Idle contexts beyond their own limit first, then whatever exceeds the total (idle, then busy, oldest first).
    const victims = idle.splice(Number.isFinite(idleLimit) ? idleLimit : idle.length);
    const over = kept + idle.length + busy.length - this.maxContexts;
    if (over > 0) victims.push(...[...idle.reverse(), ...busy.reverse()].slice(0, over));
    for (const s of victims) {
      this.drop(s);
      this.states.delete(s.key);
    }
  }

  private drop(s: State): void {
    s.generation++;
    s.watcher?.close();
    s.watcher = undefined;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
  }

  private rescan(s: State, reloadRules: boolean): void {
    if (reloadRules) s.rules = loadIgnoreRules(s.root, s.dockerfilePath);
    const generation = ++s.generation;
    s.pending.clear();
    const t0 = performance.now();
    const run = (async () => {
      // A Dockerfile at the file system root or in the home folder is a stray file, not a build context worth
      // walking (docker would send all of it; we would spend the whole time budget).
      if (!(await isDirectoryAsync(s.root)) || s.root === parse(s.root).root || s.root === homedir()) {
        if (generation === s.generation) {
          s.files = undefined;
          s.paths = [];
          s.sizes = [];
        }
        return;
      }
      const w = await scanContext(s.root, s.rules, this.limits, () => generation !== s.generation);
      if (!w || generation !== s.generation) return;
      s.paths = w.paths;
      s.sizes = w.sizes;
      s.dirs = new Map(w.dirs.map((d) => [d.path, d.excluded]));
      s.truncated = w.truncated;
      s.files = filesOf(w);
      s.scanMs = performance.now() - t0;
      s.scannedAt = Date.now();
      this.startWatching(s);
      this.emit(s);
    })().finally(() => {
      if (s.scanning === run) s.scanning = undefined;
    });
    s.scanning = run;
  }

  private startWatching(s: State): void {
    if (s.watcher || this.watchMode === 'none') return;
    if (this.watchMode === 'external' && this.externalRoots.some((r) => inside(r, s.root))) return;
    // fs.watch with `recursive` puts a watch on every folder on Linux: not for very large trees.
    if (s.truncated || s.paths.length > 50_000) return;
    try {
      s.watcher = watch(s.root, { recursive: true, persistent: false }, (_event, name) => {
        if (name) this.fileChanged(join(s.root, name.toString()));
      });
      s.watcher.on('error', () => {
        s.watcher?.close();
        s.watcher = undefined;
      });
    } catch {
      s.watcher = undefined;
    }
  }

  private emit(s: State): void {
    for (const l of this.listeners) {
      try {
        l(s.root);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /** Applies gathered changes to the index: deleted paths leave, files are (re)sized, new folders walked. */
  private async patch(s: State): Promise<void> {
    const changed = [...s.pending];
    s.pending.clear();
    if (changed.length === 0) return;
    if (changed.length > MAX_PATCH || s.scanning) {
      this.rescan(s, false);
      return;
    }
    const generation = ++s.generation;
    let touched = false;
    for (const abs of changed.sort()) {
      const rel = relative(s.root, abs).split(sep).join('/');
      if (rel === '' || rel.startsWith('..')) continue;
      if (this.underExcluded(s, rel)) continue;
      let st: Awaited<ReturnType<typeof fsp.lstat>> | undefined;
      try {
        st = await fsp.lstat(abs);
      } catch {
        st = undefined;
      }
      if (generation !== s.generation) return;
      if (!st) {
        touched = this.remove(s, rel) || touched;
        continue;
      }
      if (st.isDirectory()) {
        if (s.rules.isIgnored(rel) && !s.rules.mayReinclude(rel)) {
          touched = this.remove(s, rel) || touched;
          s.dirs.set(rel, true);
          continue;
        }
        const left = this.limits.maxFiles - s.paths.length;
        const w = await runAsync(walk(s.root, s.rules, this.limits, rel, performance.now(), Math.max(0, left)), this.limits, () => generation !== s.generation);
        if (!w || generation !== s.generation) return;
        this.removeRange(s, rel + '/');
        this.insertSorted(s, w.paths, w.sizes);
        for (const d of w.dirs) s.dirs.set(d.path, d.excluded);
        if (w.truncated) s.truncated = w.truncated;
        touched = true;
      } else if (st.isFile() || st.isSymbolicLink()) {
        if (s.rules.isIgnored(rel)) continue;
        touched = this.upsert(s, rel, Number(st.size)) || touched;
        for (let d = parentOf(rel); d !== '' && !s.dirs.has(d); d = parentOf(d)) s.dirs.set(d, false);
      }
    }
    if (!touched) return;
    s.files = filesOf({ paths: s.paths, sizes: s.sizes, dirs: [...s.dirs].map(([path, excluded]) => ({ path, excluded })), ignoredFiles: 0, truncated: s.truncated });
    this.emit(s);
  }

  private underExcluded(s: State, rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (s.dirs.get(parts.slice(0, i).join('/')) === true) return true;
    return false;
  }

  private lower(s: State, key: string): number {
    let lo = 0;
    let hi = s.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.paths[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upsert(s: State, rel: string, size: number): boolean {
    const i = this.lower(s, rel);
    if (s.paths[i] === rel) {
      if (s.sizes[i] === size) return false;
      s.sizes[i] = size;
      return true;
    }
    if (s.paths.length >= this.limits.maxFiles) {
      s.truncated = { reason: 'files', limit: this.limits.maxFiles };
      return false;
    }
    s.paths.splice(i, 0, rel);
    s.sizes.splice(i, 0, size);
    return true;
  }

  /** Removes a file or a whole folder. */
  private remove(s: State, rel: string): boolean {
    let removed = false;
    const i = this.lower(s, rel);
    if (s.paths[i] === rel) {
      s.paths.splice(i, 1);
      s.sizes.splice(i, 1);
      removed = true;
    }
    removed = this.removeRange(s, rel + '/') || removed;
    for (const d of [...s.dirs.keys()]) if (d === rel || d.startsWith(rel + '/')) s.dirs.delete(d);
    return removed;
  }

  private removeRange(s: State, prefix: string): boolean {
    const lo = this.lower(s, prefix);
    const hi = this.lower(s, prefix.slice(0, -1) + '0');
    if (hi <= lo) return false;
    s.paths.splice(lo, hi - lo);
    s.sizes.splice(lo, hi - lo);
    return true;
  }

  private insertSorted(s: State, paths: readonly string[], sizes: readonly number[]): void {
    if (paths.length === 0) return;
    const at = this.lower(s, paths[0]);
    // Array literals, not splice(...spread): a large folder would exceed the argument limit.
    s.paths = [...s.paths.slice(0, at), ...paths, ...s.paths.slice(at)];
    s.sizes = [...s.sizes.slice(0, at), ...sizes, ...s.sizes.slice(at)];
  }
}

/** The folder of a `/`-separated relative path ('' at the root). */
function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i === -1 ? '' : rel.slice(0, i);
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function isDirectoryAsync(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The language server's hook, so documents.ts needs no knowledge of the scanner's configuration.

type DocumentContextProvider = (uri: string, path: string, text: string) => Promise<ContextInfo | undefined> | ContextInfo | undefined;
let provider: DocumentContextProvider | undefined;

/** Installed by the cache module (lsp/handlers/cache.ts) when the server starts. */
export function setDocumentContextProvider(p: DocumentContextProvider | undefined): void {
  provider = p;
}

/**
 * The build context of an open Dockerfile: from the scanner when the cache module is registered (files
 * included once scanned), else the .dockerignore only (host/build-context.ts).
 */
export async function documentContext(uri: string, path: string, text: string): Promise<ContextInfo> {
  const fromScanner = provider ? await provider(uri, path, text) : undefined;
  return fromScanner ?? contextInfo(dirname(path), path);
}

/**
 * Dockerfiles under `root`, asynchronously and bounded (folders visited, depth), skipping dependency and
 * VCS folders: for the cache map, which asks which Dockerfiles read a file.
 */
export async function findDockerfilesAsync(root: string, limits: { maxDirs?: number; maxDepth?: number } = {}): Promise<string[]> {
  const maxDirs = limits.maxDirs ?? 5000;
  const maxDepth = limits.maxDepth ?? 6;
  const out: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < maxDirs) {
    const { dir, depth } = queue.shift()!;
    visited++;
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (depth < maxDepth && !SKIP_FOR_DOCKERFILES.has(e.name)) queue.push({ dir: join(dir, e.name), depth: depth + 1 });
      } else if (e.isFile() && isDockerfileName(e.name)) out.push(join(dir, e.name));
    }
  }
  return out.sort();
}

const SKIP_FOR_DOCKERFILES = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', '.venv', 'venv', '__pycache__', 'dist', 'out', 'target', '.cache', 'build']);
