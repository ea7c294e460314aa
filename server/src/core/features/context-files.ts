/**
 * The build context as the core sees it: a read-only index of the files the host found on disk (after
 * .dockerignore), answering what a COPY/ADD source matches, totals, and which heavy or generated folders
 * (.git, node_modules, virtualenvs, build outputs) are present. Also reads the `# dockwright context=<dir>`
 * comment that points a Dockerfile at another context folder.
 *
 * Pure: the host (host/context-scan.ts) walks the disk and hands over plain arrays; nothing here does I/O.
 * Must not: know about file systems, LSP or absolute paths.
 */
import type { DockerfileAst, Span } from '../syntax/ast';
import type { ContextFileEntry, ContextFiles, ContextHeavyDir, ContextMatch } from '../rules/types';

/** What the host collected: every sent file, sorted, and the folders it saw. */
export interface ContextFilesData {
  /** Sent files, relative and `/`-separated, sorted by UTF-16 code units (plain `<`). */
  readonly paths: readonly string[];
  /** Size in bytes of `paths[i]`. */
  readonly sizes: ArrayLike<number>;
  /** Folders seen during the walk; `excluded` ones were skipped because .dockerignore excludes them. */
  readonly dirs: readonly { readonly path: string; readonly excluded: boolean }[];
  readonly truncated?: { readonly reason: 'files' | 'time'; readonly limit: number };
}

/** Go's path.Clean of a COPY source, made relative to the context root: `./a//b/` -> `a/b`, `/` -> `.`. */
export function normalizeSource(source: string): string {
  const parts: string[] = [];
  for (const part of source.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // BuildKit never leaves the context: `..` at the root stays at the root.
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

const WILDCARD = /[*?[\\]/;

/** Whether a path component pattern has `filepath.Match` meta characters. */
export function hasWildcard(pattern: string): boolean {
  return WILDCARD.test(pattern);
}

const componentCache = new Map<string, RegExp | null>();

/** Go's `filepath.Match` for one path component, as a RegExp; null when the pattern is malformed. */
export function componentPattern(pattern: string): RegExp | null {
  const hit = componentCache.get(pattern);
  if (hit !== undefined) return hit;
  let re = '^';
  let ok = true;
  for (let i = 0; i < pattern.length && ok; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      i++;
      if (i >= pattern.length) ok = false;
      else re += escapeRe(pattern[i]);
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        ok = false;
        break;
      }
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? '^' : ''}${body.replace(/\\(.)/g, (_, c: string) => escapeRe(c)).replace(/[\]^]/g, '\\$&')}]`;
      i = close;
    } else re += escapeRe(ch);
  }
  let out: RegExp | null = null;
  if (ok) {
    try {
      out = new RegExp(re + '$');
    } catch {
      out = null;
    }
  }
  if (componentCache.size > 500) componentCache.clear();
  componentCache.set(pattern, out);
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Whether a COPY/ADD source (relative to the context) copies `path` (a file, relative): the same path, a
 * folder above it, or a wildcard that matches the path or one of its folders.
 */
export function sourceMatchesPath(source: string, path: string): boolean {
  const src = normalizeSource(source);
  if (src === '.') return true;
  const p = normalizeSource(path);
  if (!hasWildcard(src)) return p === src || p.startsWith(src + '/');
  const pats = src.split('/');
  const parts = p.split('/');
  if (parts.length < pats.length) return false;
  for (let i = 0; i < pats.length; i++) {
    const re = componentPattern(pats[i]);
    if (!re || !re.test(parts[i])) return false;
  }
  return true;
}

/** Whether a COPY/ADD source copies anything from inside `folder` (relative), or the folder itself. */
export function sourceTouchesFolder(source: string, folder: string): boolean {
  const src = normalizeSource(source);
  const dir = normalizeSource(folder);
  if (src === '.' || dir === '.') return true;
  if (sourceMatchesPath(src, dir)) return true;
  // The source is inside the folder (`COPY src/app.js` touches `src`).
  const pats = src.split('/');
  const parts = dir.split('/');
  if (pats.length <= parts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const re = componentPattern(pats[i]);
    if (!re || !re.test(parts[i])) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The index

/** Index of the first path >= `key` (paths sorted by code units). */
function lowerBound(paths: readonly string[], key: string, lo = 0, hi = paths.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (paths[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Builds the query object over the host's data. O(files) once; queries are O(log n) or O(matched). */
export function createContextFiles(data: ContextFilesData): ContextFiles {
  const paths = data.paths;
  const n = paths.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (data.sizes[i] ?? 0);
  const bytesIn = (lo: number, hi: number) => prefix[hi] - prefix[lo];
  /** [lo, hi) of the files under `dir` ('.' for all). */
  const rangeOf = (dir: string): [number, number] => {
    if (dir === '.' || dir === '') return [0, n];
    const key = dir + '/';
    const lo = lowerBound(paths, key);
    // Everything starting with `dir/` sorts before `dir0` ('0' follows '/').
    const hi = lowerBound(paths, dir + '0', lo);
    return [lo, hi];
  };
  const has = (path: string): boolean => {
    const p = normalizeSource(path);
    const i = lowerBound(paths, p);
    return i < n && paths[i] === p;
  };
  const hasDir = (path: string): boolean => {
    const [lo, hi] = rangeOf(normalizeSource(path));
    return hi > lo;
  };
  /** `largest` is O(matched files): remember the longest answer (the hover asks on every request). */
  const memoLargest = (compute: (count: number) => ContextFileEntry[]) => {
    let memo: ContextFileEntry[] | undefined;
    let memoCount = 0;
    return (count: number): readonly ContextFileEntry[] => {
      if (!memo || count > memoCount) {
        memoCount = Math.max(count, 5);
        memo = compute(memoCount);
      }
      return memo.slice(0, count);
    };
  };
  const rangeMatch = (lo: number, hi: number): ContextMatch => ({
    files: hi - lo,
    bytes: bytesIn(lo, hi),
    largest: memoLargest((count) => topBySize(lo, hi, undefined, count)),
  });
  const topBySize = (lo: number, hi: number, indexes: readonly number[] | undefined, count: number): ContextFileEntry[] => {
    const best: number[] = [];
    const consider = (i: number) => {
      const size = data.sizes[i] ?? 0;
      if (best.length === count && size <= (data.sizes[best[best.length - 1]] ?? 0)) return;
      let at = best.length;
      while (at > 0 && (data.sizes[best[at - 1]] ?? 0) < size) at--;
      best.splice(at, 0, i);
      if (best.length > count) best.pop();
    };
    if (count <= 0) return [];
    if (indexes) for (const i of indexes) consider(i);
    else for (let i = lo; i < hi; i++) consider(i);
    return best.map((i) => ({ path: paths[i], size: data.sizes[i] ?? 0 }));
  };
  const matchCache = new Map<string, ContextMatch>();
  const match = (source: string): ContextMatch => {
    const src = normalizeSource(source);
    const hit = matchCache.get(src);
    if (hit) return hit;
    let result: ContextMatch;
    if (!hasWildcard(src)) {
      if (has(src)) {
        const i = lowerBound(paths, src);
        result = rangeMatch(i, i + 1);
      } else {
        const [lo, hi] = rangeOf(src);
        result = rangeMatch(lo, hi);
      }
    } else {
      const pats = src.split('/');
      const first = pats.findIndex((p) => hasWildcard(p));
      const literal = pats.slice(0, first).join('/');
      const [lo, hi] = rangeOf(literal === '' ? '.' : literal);
      const res = pats.map((p) => componentPattern(p));
      const indexes: number[] = [];
      let bytes = 0;
      if (res.every((r) => r !== null)) {
        for (let i = lo; i < hi; i++) {
          const parts = paths[i].split('/', pats.length);
          if (parts.length < pats.length) continue;
          let ok = true;
          for (let k = first; k < pats.length && ok; k++) ok = (res[k] as RegExp).test(parts[k]);
          if (!ok) continue;
          indexes.push(i);
          bytes += data.sizes[i] ?? 0;
        }
      }
      result = { files: indexes.length, bytes, largest: memoLargest((count) => topBySize(0, 0, indexes, count)) };
    }
    if (matchCache.size > 200) matchCache.clear();
    matchCache.set(src, result);
    return result;
  };
  const find = (dir: string, name: string, skip: readonly string[] = []): string[] => {
    const [lo, hi] = rangeOf(normalizeSource(dir));
    const re = componentPattern(name);
    const out: string[] = [];
    if (!re) return out;
    for (let i = lo; i < hi; i++) {
      const p = paths[i];
      const slash = p.lastIndexOf('/');
      if (!re.test(p.slice(slash + 1))) continue;
      if (skip.length > 0 && p.split('/').slice(0, -1).some((c) => skip.includes(c))) continue;
      out.push(p);
    }
    return out;
  };
  let heavy: ContextHeavyDir[] | undefined;
  const files: ContextFiles = {
    totalFiles: n,
    totalBytes: prefix[n],
    truncated: data.truncated,
    has,
    hasDir,
    find,
    match,
    heavyDirs: () => (heavy ??= classifyDirs(data.dirs, files, (dir) => {
      const [lo, hi] = rangeOf(dir);
      return { files: hi - lo, bytes: bytesIn(lo, hi) };
    })),
  };
  return files;
}

/** An empty context (nothing scanned yet, or an empty folder). */
export const EMPTY_CONTEXT_FILES: ContextFiles = createContextFiles({ paths: [], sizes: [], dirs: [] });

// ---------------------------------------------------------------------------------------------
// Heavy folders

type Kind = ContextHeavyDir['kind'];

const ALWAYS: Readonly<Record<string, Kind>> = {
  '.git': 'vcs',
  '.hg': 'vcs',
  '.svn': 'vcs',
  node_modules: 'dependencies',
  bower_components: 'dependencies',
  jspm_packages: 'dependencies',
  '.pnpm-store': 'dependencies',
  '.venv': 'virtualenv',
  venv: 'virtualenv',
  '.virtualenv': 'virtualenv',
  __pypackages__: 'virtualenv',
  __pycache__: 'cache',
  '.pytest_cache': 'cache',
  '.mypy_cache': 'cache',
  '.ruff_cache': 'cache',
  '.tox': 'cache',
  '.nox': 'cache',
  '.gradle': 'cache',
  '.parcel-cache': 'cache',
  '.turbo': 'cache',
  '.sass-cache': 'cache',
  '.next': 'build-output',
  '.nuxt': 'build-output',
  '.svelte-kit': 'build-output',
  '.terraform': 'build-output',
  coverage: 'build-output',
};

/** Output folders that are only outputs next to the manifest that produces them. */
const BESIDE: Readonly<Record<string, readonly string[]>> = {
  dist: ['package.json', 'pyproject.toml', 'setup.py'],
  build: ['package.json', 'build.gradle', 'build.gradle.kts', 'setup.py', 'pyproject.toml', 'CMakeLists.txt'],
  out: ['package.json'],
  target: ['Cargo.toml', 'pom.xml'],
  bin: ['*.csproj', '*.fsproj'],
  obj: ['*.csproj', '*.fsproj'],
};

function classifyDirs(
  dirs: ContextFilesData['dirs'],
  files: ContextFiles,
  count: (dir: string) => { files: number; bytes: number },
): ContextHeavyDir[] {
  const sorted = [...dirs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const out: ContextHeavyDir[] = [];
  const taken: string[] = [];
  for (const d of sorted) {
    if (taken.some((t) => d.path.startsWith(t + '/'))) continue;
    const slash = d.path.lastIndexOf('/');
    const name = d.path.slice(slash + 1);
    const parent = slash === -1 ? '' : d.path.slice(0, slash);
    let kind: Kind | undefined = ALWAYS[name];
    if (!kind && name === 'env' && files.has(`${d.path}/pyvenv.cfg`)) kind = 'virtualenv';
    if (!kind && BESIDE[name]) {
      const beside = BESIDE[name].some((m) => (m.includes('*') ? files.find(parent, m).some((f) => f.split('/').length === (parent ? parent.split('/').length + 1 : 1)) : files.has(parent ? `${parent}/${m}` : m)));
      if (beside) kind = 'build-output';
    }
    if (!kind) continue;
    taken.push(d.path);
    const c = d.excluded ? { files: 0, bytes: 0 } : count(d.path);
    // A folder without sent files is either excluded or empty: nothing to report.
    if (!d.excluded && c.files === 0) continue;
    out.push({ path: d.path, kind, excluded: d.excluded, files: c.files, bytes: c.bytes, pattern: slash === -1 ? name : `**/${name}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// `# dockwright context=<dir>`

const CONTEXT_RE = /^\s*dockwright\s+context\s*=\s*(\S+)\s*$/i;

/**
 * The build context folder a `# dockwright context=../..` comment names (relative to the Dockerfile's
 * folder, or absolute), with the range of the value. The first such comment outside instructions wins.
 */
export function contextDirective(ast: DockerfileAst): { value: string; range: Span } | undefined {
  for (const c of ast.comments) {
    if (c.insideInstruction) continue;
    const m = CONTEXT_RE.exec(c.text);
    if (!m) continue;
    const at = c.range.start + 1 + c.text.indexOf(m[1]);
    return { value: m[1], range: { start: at, end: at + m[1].length } };
  }
  return undefined;
}

/** Same as `contextDirective`, for a text the host has not parsed (cheap: only comment lines are read). */
export function contextDirectiveOf(text: string): string | undefined {
  if (!/dockwright\s+context\s*=/i.test(text)) return undefined;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trimStart();
    if (!t.startsWith('#')) continue;
    const m = CONTEXT_RE.exec(t.slice(1));
    if (m) return m[1];
  }
  return undefined;
}

/** `1,234 files (12.3 MB)`. */
export function formatFilesBytes(files: number, bytes: number, atLeast = false): string {
  const pre = atLeast ? 'at least ' : '';
  return `${pre}${formatCount(files)} file${files === 1 ? '' : 's'} (${formatBytes(bytes)})`;
}

/**
 * `12,345`. Not `toLocaleString`: its first call loads ICU data (about 100 ms), which would stall the
 * server the first time a scanned context reaches the rules.
 */
export function formatCount(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in decimal units, as docker prints them: `532 B`, `1.4 kB`, `12.3 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
