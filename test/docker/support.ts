/**
 * Shared by the docker test group: a real dockerd (started through scripts/env/docker.sh, which also makes
 * the local base image `local/busybox:1`), unique image names, temporary build contexts and clean-up.
 * Tests call `await dockerReady(t)` first: it returns false (and marks the test skipped with the reason)
 * only when the engine cannot be started on this machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';

export const ROOT = join(__dirname, '..', '..');
/** The 20.10 client that has BuildKit built in (the newer /usr/local/bin/docker lacks buildx). */
export const DOCKER = process.env.DOCKWRIGHT_TEST_DOCKER ?? '/usr/bin/docker';
export const BASE_IMAGE = 'local/busybox:1';

let ready: Promise<string | undefined> | undefined;

/** Starts dockerd if needed. Resolves with why it cannot run, or undefined when it is up. */
export function startDocker(): Promise<string | undefined> {
  ready ??= new Promise((resolve) => {
    const r = spawnSync('bash', [join(ROOT, 'scripts', 'env', 'docker.sh'), 'start'], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) {
      resolve(`dockerd could not be started (scripts/env/docker.sh start: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' / ')})`);
      return;
    }
    const v = spawnSync(DOCKER, ['image', 'inspect', BASE_IMAGE], { encoding: 'utf8', timeout: 30_000 });
    resolve(v.status === 0 ? undefined : `the base image ${BASE_IMAGE} is missing after scripts/env/docker.sh start`);
  });
  return ready;
}

/** Call first in every test: false means skipped (with the reason printed). */
export async function dockerReady(t: TestContext): Promise<boolean> {
  const reason = await startDocker();
  if (reason) {
    t.skip(`SKIPPED: no Docker engine: ${reason}`);
    return false;
  }
  return true;
}

let counter = 0;
const made: string[] = [];

/** A fresh image name for this test process; removed by `cleanup`. */
export function uniqueTag(name: string): string {
  const tag = `dockwright-test/${name}:${process.pid}-${++counter}`;
  made.push(tag);
  return tag;
}

/** A temporary folder with these files (paths relative to it). */
export function makeContext(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockwright-ctx-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  contexts.push(dir);
  return dir;
}
const contexts: string[] = [];

export function dockerSync(args: string[], opts: { allowFail?: boolean } = {}): string {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Removes the images and folders this process made (images by tag; dangling intermediates are pruned by label). */
export function cleanup(): void {
  for (const tag of made.splice(0)) spawnSync(DOCKER, ['image', 'rm', '-f', tag], { timeout: 60_000 });
  for (const dir of contexts.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Processes whose command line contains `needle` (for "nothing left behind" checks). */
export function processesMatching(needle: string): string[] {
  const r = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

export async function waitFor<T>(fn: () => T | undefined | false, timeoutMs: number, stepMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
