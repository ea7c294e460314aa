/**
 * Lists one folder of a build context for path completion. Bounded (never reads more than `limit`
 * entries), .dockerignore-aware (through build-context.ts), and confined to the context: `..` is refused
 * and symbolic links that resolve outside the context are neither followed nor listed.
 * Host code: the pure completion core receives the result through its `listDir` callback.
 */
import { opendirSync, realpathSync, statSync, type Dir } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { contextInfo } from './build-context';

export interface ContextEntry {
  readonly name: string;
  readonly dir: boolean;
}

/** The most directory entries read for one completion request. */
export const MAX_CONTEXT_ENTRIES = 2000;

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Entries of `relDir` (`/`-separated, relative to `contextDir`, '' for the root) that .dockerignore keeps,
 * folders first, then by name. Undefined when the folder is outside the context or cannot be read.
 */
export function listContextDir(contextDir: string, dockerfilePath: string | undefined, relDir: string, limit = MAX_CONTEXT_ENTRIES): ContextEntry[] | undefined {
  const segments = relDir.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return undefined;
  let root: string;
  let dirReal: string;
  try {
    root = realpathSync(contextDir);
    dirReal = realpathSync(join(root, ...segments));
  } catch {
    return undefined;
  }
  if (!inside(root, dirReal)) return undefined;
  const info = contextInfo(contextDir, dockerfilePath);
  const out: ContextEntry[] = [];
  let dir: Dir | undefined;
  try {
    dir = opendirSync(dirReal);
    for (let read = 0; read < limit; read++) {
      const e = dir.readSync();
      if (!e) break;
      const rel = [...segments, e.name].join('/');
      if (info.isIgnored?.(rel)) continue;
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          const target = realpathSync(join(dirReal, e.name));
          if (!inside(root, target)) continue;
          isDir = statSync(target).isDirectory();
        } catch {
          continue;
        }
      }
      out.push({ name: e.name, dir: isDir });
    }
  } catch {
    return out.length > 0 ? sortEntries(out) : undefined;
  } finally {
    try {
      dir?.closeSync();
    } catch {
      // already closed
    }
  }
  return sortEntries(out);
}

function sortEntries(entries: ContextEntry[]): ContextEntry[] {
  return entries.sort((a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? -1 : 1));
}
