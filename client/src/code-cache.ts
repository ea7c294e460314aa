// Loads a CommonJS bundle with V8's code cache: the first activation compiles the bundle and saves the compiled
// code next to the extension's other caches; later activations (every window reload) skip most of the compiling.
// V8 checks the cache against the source and its own version and rejects a stale one (then it is rebuilt).
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

export type CodeCacheState = 'hit' | 'miss' | 'rejected' | 'off';

export interface LoadedBundle {
  readonly exports: unknown;
  readonly state: CodeCacheState;
  /** Writes the code cache when there was none (or it was stale); call once the bundle's code has run. */
  save(): void;
}

/** Cache file of a bundle: its name, size and modification time, and the V8 version are part of the name. */
function cacheFileOf(file: string, cacheDir: string): string {
  const st = fs.statSync(file);
  const key = `${path.basename(file)}-${st.size}-${Math.round(st.mtimeMs)}-v8-${process.versions.v8}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(cacheDir, `${key}.code-cache`);
}

/**
 * Runs `file` as a CommonJS module (its `require` resolves as a normal require from that file would, so `vscode`
 * still comes from the extension host) with the code cache in `cacheDir` when it can. Without a cache folder,
 * or if compiling with the cache fails, the bundle is simply required.
 */
export function loadWithCodeCache(file: string, cacheDir: string | undefined): LoadedBundle {
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  let script: vm.Script | undefined;
  let source: string | undefined;
  try {
    if (cacheDir) {
      cacheFile = cacheFileOf(file, cacheDir);
      if (fs.existsSync(cacheFile)) cachedData = fs.readFileSync(cacheFile);
    }
    source = fs.readFileSync(file, 'utf8');
    script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  } catch {
    script = undefined;
  }
  if (!script || !cacheFile) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plain path: Node's own loader
    return { exports: require(file), state: 'off', save: () => undefined };
  }
  const state: CodeCacheState = cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext({ displayErrors: true }) as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const compiled = script;
  const target = cacheFile;
  return {
    exports: mod.exports,
    state,
    save: () => {
      if (state === 'hit') return;
      try {
        // Taken after the code ran: the functions compiled by then are in the cache too.
        const data = compiled.createCachedData();
        fs.mkdirSync(path.dirname(target), { recursive: true });
        for (const old of fs.readdirSync(path.dirname(target))) {
          if (old.endsWith('.code-cache') && old.startsWith(path.basename(file) + '-')) fs.rmSync(path.join(path.dirname(target), old), { force: true });
        }
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, target);
      } catch {
        // A cache that cannot be written only costs the next activation its speed.
      }
    },
  };
}
