/**
 * Settings under `dockwright.*`, per resource (a folder or file can override them), fetched with
 * workspace/configuration when the client supports it and cached until the configuration changes.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Level } from '../core/rules/types';

export interface Settings {
  readonly rules: Readonly<Record<string, Level>>;
  readonly lint: { readonly enableAll: boolean };
  readonly hadolint: { readonly configFile: string };
  readonly format: { readonly instructionCasing: 'upper' | 'lower' | 'preserve'; readonly continuationIndent: number };
  readonly images: ImageSettings;
  /** `dockwright.buildContext`: the build-context folder (empty: the Dockerfile's folder). */
  readonly buildContext: string;
}

/** `dockwright.images.*`: where image sizes, digests and tags may come from. */
export interface ImageSettings {
  /** Ask registries (and the local engine) at all. */
  readonly online: boolean;
  /** Deadline of one registry exchange. */
  readonly timeoutMs: number;
  /** How long a tag's digest, a tag list or a fault is believed before it is checked again. */
  readonly cacheTtlHours: number;
  /** The platform sizes are shown for when FROM has no --platform. */
  readonly defaultPlatform: string;
  /** Registry hosts (`host[:port]`) that may be reached over plain http, besides localhost/127.0.0.1. */
  readonly extraRegistries: readonly string[];
}

export const DEFAULT_IMAGE_SETTINGS: ImageSettings = { online: true, timeoutMs: 5000, cacheTtlHours: 24, defaultPlatform: 'linux/amd64', extraRegistries: [] };

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  lint: { enableAll: false },
  hadolint: { configFile: '' },
  format: { instructionCasing: 'upper', continuationIndent: 4 },
  images: DEFAULT_IMAGE_SETTINGS,
  buildContext: '',
};

const LEVELS = new Set(['off', 'hint', 'info', 'warning', 'error']);

/** Validates whatever the client sent into complete settings. */
export function normalizeSettings(raw: unknown): Settings {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, Level> = {};
  if (o.rules && typeof o.rules === 'object') {
    for (const [k, v] of Object.entries(o.rules as Record<string, unknown>)) {
      const level = typeof v === 'string' ? v.toLowerCase().replace(/^information$/, 'info') : '';
      if (LEVELS.has(level)) rules[k] = level as Level;
    }
  }
  const lint = (o.lint && typeof o.lint === 'object' ? o.lint : {}) as Record<string, unknown>;
  const hadolint = (o.hadolint && typeof o.hadolint === 'object' ? o.hadolint : {}) as Record<string, unknown>;
  const format = (o.format && typeof o.format === 'object' ? o.format : {}) as Record<string, unknown>;
  const images = (o.images && typeof o.images === 'object' ? o.images : {}) as Record<string, unknown>;
  const casing = format.instructionCasing;
  const indent = Number(format.continuationIndent);
  return {
    rules,
    lint: { enableAll: lint.enableAll === true },
    hadolint: { configFile: typeof hadolint.configFile === 'string' ? hadolint.configFile : '' },
    format: {
      instructionCasing: casing === 'lower' || casing === 'preserve' ? casing : 'upper',
      continuationIndent: Number.isInteger(indent) && indent >= 0 && indent <= 16 ? indent : 4,
    },
    images: normalizeImageSettings(images),
    buildContext: typeof o.buildContext === 'string' ? o.buildContext.trim() : '',
  };
}

function normalizeImageSettings(o: Record<string, unknown>): ImageSettings {
  const d = DEFAULT_IMAGE_SETTINGS;
  const timeout = Number(o.timeoutMs);
  const ttl = Number(o.cacheTtlHours);
  const platform = typeof o.defaultPlatform === 'string' && /^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_]+)?$/i.test(o.defaultPlatform.trim()) ? o.defaultPlatform.trim().toLowerCase() : d.defaultPlatform;
  const hosts = Array.isArray(o.extraRegistries)
    ? o.extraRegistries.filter((h): h is string => typeof h === 'string' && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(h.trim())).map((h) => h.trim().toLowerCase())
    : [];
  return {
    online: typeof o.online === 'boolean' ? o.online : d.online,
    timeoutMs: Number.isFinite(timeout) && timeout >= 100 && timeout <= 120_000 ? Math.round(timeout) : d.timeoutMs,
    cacheTtlHours: Number.isFinite(ttl) && ttl >= 0 && ttl <= 24 * 365 ? ttl : d.cacheTtlHours,
    defaultPlatform: platform,
    extraRegistries: hosts,
  };
}

/**
 * Settings per scope. Dockwright's settings are resource-scoped, so they can differ per workspace folder but not
 * per file: one workspace/configuration round trip serves every document of a folder (and one serves every
 * document outside the folders), instead of one per opened file.
 */
export class SettingsStore {
  private readonly perScope = new Map<string, Promise<Settings>>();
  private global: Settings = DEFAULT_SETTINGS;
  /** Workspace folder URIs, longest first (a nested folder wins over its parent). */
  private folders: string[] = [];
  /** Bumped on every configuration change so cached analyses know they are stale. */
  generation = 0;

  constructor(
    private readonly connection: Connection,
    private readonly pull: boolean,
  ) {}

  setGlobal(raw: unknown): void {
    this.global = normalizeSettings(raw);
    this.changed();
  }

  /** The workspace folders (at start and after each change): they decide which documents share settings. */
  setFolders(uris: readonly string[]): void {
    this.folders = uris.map((u) => (u.endsWith('/') ? u : u + '/')).sort((a, b) => b.length - a.length);
    this.changed();
  }

  changed(): void {
    this.perScope.clear();
    this.generation++;
  }

  /** The scope whose settings apply to `uri`: its workspace folder, or '' outside every folder. */
  scopeOf(uri: string): string {
    for (const f of this.folders) if (uri.startsWith(f)) return f;
    return '';
  }

  get(uri: string): Promise<Settings> {
    if (!this.pull) return Promise.resolve(this.global);
    const scope = this.scopeOf(uri);
    let p = this.perScope.get(scope);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'dockwright' })
        .then(normalizeSettings, () => this.global);
      this.perScope.set(scope, p);
    }
    return p;
  }
}
