/**
 * Build contexts for tests, on disk. Fixture folders hold a real context under `context/`; git cannot hold a
 * `.git` folder and this repository's .gitignore drops `node_modules/` and `dist/`, so a path component that
 * ends in `.fixture` (`.git.fixture`, `node_modules.fixture`) loses that suffix when the context is copied to a
 * temporary folder. The copy is what the host scanner (server/src/host/context-scan.ts) reads.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliContextInfo } from '../../server/src/host/context-scan';
import type { ContextInfo } from '../../server/src/core/rules/types';

const SUFFIX = '.fixture';
const made: string[] = [];

process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const name = e.name.endsWith(SUFFIX) ? e.name.slice(0, -SUFFIX.length) : e.name;
    if (e.isDirectory()) copyTree(join(from, e.name), join(to, name));
    else if (e.isFile()) writeFileSync(join(to, name), readFileSync(join(from, e.name)));
  }
}

/** Copies a fixture context to a new temporary folder (removed at exit) and returns that folder. */
export function materializeContext(fixtureContext: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockwright-ctx-'));
  made.push(dir);
  copyTree(fixtureContext, dir);
  return dir;
}

/** Writes a context from a map of relative paths to contents (sizes by repeating `x` when a number). */
export function writeContext(files: Record<string, string | number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockwright-ctx-'));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, ...rel.split('/'));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, typeof content === 'number' ? 'x'.repeat(content) : content);
  }
  return dir;
}

const infos = new Map<string, ContextInfo>();

/**
 * ContextInfo for a fixture's `context/` folder, as the CLI builds it (the context is the folder of a
 * Dockerfile placed at its root), scanned once per test process.
 */
export function fixtureContextInfo(fixtureContext: string): ContextInfo {
  let info = infos.get(fixtureContext);
  if (!info) {
    const dir = materializeContext(fixtureContext);
    info = cliContextInfo(join(dir, 'Dockerfile'), '', dir);
    infos.set(fixtureContext, info);
  }
  return info;
}
