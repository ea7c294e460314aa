/**
 * Reads the configuration people already have: `.hadolint.yaml` / `.hadolint.yml` (nearest ancestor of the
 * Dockerfile, or an explicit file), mapped onto analysis options. Unknown keys are ignored; a broken file
 * is reported, never fatal.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { setBounded } from './lru';
import type { Level, Severity } from '../core/rules/types';

export interface LoadedConfig {
  /** The file read, if any. */
  readonly file: string | undefined;
  readonly levels: Record<string, Level>;
  readonly trustedRegistries: string[] | undefined;
  readonly labelSchema: Record<string, string> | undefined;
  readonly strictLabels: boolean;
  readonly disableIgnorePragma: boolean;
  readonly failureThreshold: Severity | 'none' | undefined;
  /** Problems reading the file (shown to the user, analysis goes on with defaults). */
  readonly errors: string[];
}

const NAMES = ['.hadolint.yaml', '.hadolint.yml'];

export const EMPTY_CONFIG: LoadedConfig = {
  file: undefined,
  levels: {},
  trustedRegistries: undefined,
  labelSchema: undefined,
  strictLabels: false,
  disableIgnorePragma: false,
  failureThreshold: undefined,
  errors: [],
};

/**
 * What was found in each folder (the config file's path, or null for none), and when. The server asks on every
 * analysis, i.e. on every keystroke: a folder's answer is reused for a short while instead of asking the file
 * system for every name in every parent folder again. A config file created or deleted is seen within this time.
 */
const FOUND_TTL_MS = 2000;
/** Folders remembered, least recently asked dropped first. */
const FOUND_MAX = 512;
const found = new Map<string, { path: string | null; at: number }>();

function configIn(dir: string, names: readonly string[], now: number): string | undefined {
  const key = dir + '\0' + names[0];
  const hit = found.get(key);
  if (hit && now - hit.at < FOUND_TTL_MS) return hit.path ?? undefined;
  let path: string | null = null;
  for (const n of names) {
    const p = join(dir, n);
    if (existsSync(p)) {
      path = p;
      break;
    }
  }
  setBounded(found, key, { path, at: now }, FOUND_MAX);
  return path ?? undefined;
}

/** The nearest `.hadolint.yaml`/`.yml` from `startDir` upwards, then the user's config folder. */
export function findHadolintConfig(startDir: string, now = Date.now()): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const p = configIn(dir, NAMES, now);
    if (p) return p;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return configIn(xdg, XDG_NAMES, now);
}

const XDG_NAMES = ['hadolint.yaml', 'hadolint.yml'];

const LEVEL_OF: Record<string, Level> = { error: 'error', warning: 'warning', info: 'info', style: 'info', ignore: 'off', none: 'off' };

/** Parses hadolint configuration text. */
export function parseHadolintConfig(text: string, file?: string): LoadedConfig {
  const errors: string[] = [];
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { ...EMPTY_CONFIG, file, errors: [`${file ?? 'config'}: invalid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (doc === null || doc === undefined) return { ...EMPTY_CONFIG, file };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { ...EMPTY_CONFIG, file, errors: [`${file ?? 'config'}: expected a mapping at the top level`] };
  const o = doc as Record<string, unknown>;
  const levels: Record<string, Level> = {};
  const list = (v: unknown, key: string): string[] => {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v.map(String);
    errors.push(`${key}: expected a list`);
    return [];
  };
  const override = o.override;
  if (override && typeof override === 'object') {
    for (const [lvl, ids] of Object.entries(override as Record<string, unknown>)) {
      const level = LEVEL_OF[lvl.toLowerCase()];
      if (!level) {
        errors.push(`override: unknown level "${lvl}"`);
        continue;
      }
      for (const id of list(ids, `override.${lvl}`)) levels[id] = level;
    }
  }
  for (const id of list(o.ignored, 'ignored')) levels[id] = 'off';
  let failureThreshold: LoadedConfig['failureThreshold'];
  const ft = o['failure-threshold'];
  if (typeof ft === 'string') {
    const l = ft.toLowerCase();
    if (l === 'none') failureThreshold = 'none';
    else if (l === 'style' || l === 'info') failureThreshold = 'info';
    else if (l === 'warning' || l === 'error') failureThreshold = l;
    else errors.push(`failure-threshold: unknown level "${ft}"`);
  }
  const trusted = o.trustedRegistries ?? o['trusted-registries'];
  const labelSchema = o['label-schema'];
  return {
    file,
    levels,
    trustedRegistries: trusted === undefined ? undefined : list(trusted, 'trustedRegistries'),
    labelSchema: labelSchema && typeof labelSchema === 'object' && !Array.isArray(labelSchema) ? Object.fromEntries(Object.entries(labelSchema as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : undefined,
    strictLabels: o['strict-labels'] === true,
    disableIgnorePragma: o['disable-ignore-pragma'] === true,
    failureThreshold,
    errors,
  };
}

const cache = new Map<string, { mtime: number; config: LoadedConfig }>();

/** Loads a config file (cached by modification time). */
export function loadHadolintConfig(file: string): LoadedConfig {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return { ...EMPTY_CONFIG, file, errors: [`${file}: cannot be read`] };
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.config;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ...EMPTY_CONFIG, file, errors: [`${file}: ${(e as Error).message}`] };
  }
  const config = parseHadolintConfig(text, file);
  cache.set(file, { mtime, config });
  return config;
}
