/** Finds Dockerfiles in folders the way people name them. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', '.venv', 'venv', '__pycache__', 'dist', 'out', 'target', '.cache']);

/** True for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, *.dockerfile, *.containerfile (any case). */
export function isDockerfileName(name: string): boolean {
  const n = name.toLowerCase();
  if (n.endsWith('.dockerignore')) return false;
  return (
    n === 'dockerfile' ||
    n === 'containerfile' ||
    n.startsWith('dockerfile.') ||
    n.startsWith('containerfile.') ||
    n.endsWith('.dockerfile') ||
    n.endsWith('.containerfile')
  );
}

/** All Dockerfiles under `dir` (sorted), skipping dependency and VCS folders. */
export function findDockerfiles(dir: string, limit = 100_000): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    entries.sort();
    for (const name of entries) {
      if (out.length >= limit) return;
      const p = join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(p);
      } else if (st.isFile() && isDockerfileName(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
