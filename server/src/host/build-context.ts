/**
 * The build context as the rules see it: .dockerignore matching with Docker's own semantics (via
 * @balena/dockerignore, a port of Docker's matcher), read from disk.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ignore from '@balena/dockerignore';
import { setBounded, touch } from './lru';
import type { ContextInfo } from '../core/rules/types';

/** Parsed .dockerignore files by path, least recently used dropped first. */
const MAX_CACHED = 64;
const cache = new Map<string, { mtime: number; info: ContextInfo }>();

/**
 * Context information for a context folder. BuildKit reads `<Dockerfile>.dockerignore` next to the
 * Dockerfile first, then `.dockerignore` at the context root.
 */
export function contextInfo(contextDir: string, dockerfilePath?: string): ContextInfo {
  const candidates = [dockerfilePath ? `${dockerfilePath}.dockerignore` : undefined, join(contextDir, '.dockerignore')].filter(
    (p): p is string => p !== undefined,
  );
  const file = candidates.find((p) => existsSync(p));
  if (!file) return { hasDockerignore: false, isIgnored: () => false };
  let mtime = 0;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return { hasDockerignore: false, isIgnored: () => false };
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) {
    touch(cache, file, hit);
    return hit.info;
  }
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    lines = [];
  }
  const ig = ignore().add(lines);
  const info: ContextInfo = {
    hasDockerignore: true,
    isIgnored: (p: string) => {
      const rel = p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
      if (rel === '' || rel === '.') return false;
      return ig.ignores(rel);
    },
  };
  setBounded(cache, file, { mtime, info }, MAX_CACHED);
  return info;
}
