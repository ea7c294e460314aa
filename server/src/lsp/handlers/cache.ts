/**
 * The layer-cache module (issue 6): build-context awareness for the server, the layer hover section and the
 * `dockwright/cacheMap` request.
 * - Owns the context scanner (host/context-scan.ts) and installs it as the provider documents.ts asks for a
 *   document's ContextInfo; the `dockwright.buildContext` setting (resource scope) is read here.
 * - File watching: the client's watcher (workspace/didChangeWatchedFiles, registered for `**\/*` on the first
 *   open document, so VS Code does the watching) when it supports dynamic registration; fs.watch otherwise.
 * - When a scan or a change lands, analyses are invalidated and diagnostics refreshed (pull: refresh request;
 *   push: republished for open documents).
 * - `cacheHoverSection` is what the hover handler (handlers/hover.ts, another module's) appends.
 * - `recordKnownLayers` / the `dockwright/knownLayers` notification let the build feature say which image was
 *   built from a Dockerfile, so the hover shows real layers.
 * Memory: per-document state (the build-context setting, the document's hold on its context) lives while the
 * document is open; a closed document's context is kept only among the few most recent idle ones
 * (MAX_IDLE_CONTEXTS), and known layers are bounded (MAX_KNOWN).
 * Must not: block a request on a scan (hover and cacheMap use what is known, the scan goes on behind).
 */
import { existsSync, promises as fsp } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, type Connection, type WorkspaceFolder } from 'vscode-languageserver/node';
import { analyzeSyntax, type Analysis } from '../../core/analyze';
import { layerHoverSection, shortText } from '../../core/features/layers';
import { cacheMap } from '../../core/features/cache-graph';
import type { KnownImageLayers } from '../../core/features/known-layers';
import type { Span } from '../../core/syntax/ast';
import type { ContextInfo } from '../../core/rules/types';
import { ContextScanner, findDockerfilesAsync, loadIgnoreRules, resolveContextDir, setDocumentContextProvider } from '../../host/context-scan';
import type { HandlerModule, ServerContext } from '../context';
import type { DocumentAnalysis, DocumentStore } from '../documents';
import { filePathOf } from '../documents';
import { diagnosticsOf } from './diagnostics';
import { knownLayersFor } from './build-info';
import { safe, safeNotify } from '../safe';
import { setBounded } from '../../host/lru';
import { lineIndexFor } from '../convert';

export const CACHE_MAP_REQUEST = 'dockwright/cacheMap';
export const KNOWN_LAYERS_NOTIFICATION = 'dockwright/knownLayers';

export interface CacheMapParams {
  /** A file or folder: a path, or a `file:` URI. */
  readonly path?: string;
  readonly uri?: string;
  /** Folders to search for Dockerfiles besides the workspace folders (paths). */
  readonly roots?: readonly string[];
}

export interface CacheMapStep {
  /** 0-based line of the instruction. */
  readonly line: number;
  readonly text: string;
  /** Stage name or index. */
  readonly stage: string;
}

export interface CacheMapEntry {
  readonly dockerfile: string;
  /** The context folder (absolute) and the path relative to it. */
  readonly context: string;
  readonly relativePath: string;
  readonly ignored: boolean;
  /** The instruction the file busts first; undefined when no instruction reads it. */
  readonly first?: CacheMapStep & { readonly via: string };
  /** Every instruction that reads it. */
  readonly busts: readonly CacheMapStep[];
  /** Build steps that re-run when it changes (the busted ones included), and the first few of them. */
  readonly rebuilt: number;
  readonly next: readonly CacheMapStep[];
}

export interface CacheMapResult {
  readonly path: string;
  readonly results: readonly CacheMapEntry[];
}

/** Contexts kept after their last document closed, so that reopening it does not scan again. */
const MAX_IDLE_CONTEXTS = 2;
/** Images recorded with `dockwright/knownLayers`, least recently recorded dropped first. */
const MAX_KNOWN = 128;

interface CacheState {
  readonly scanner: ContextScanner;
  readonly resolvedSetting: Map<string, string | undefined>;
  readonly known: Map<string, KnownImageLayers>;
  readonly ctx: ServerContext;
}

const states = new WeakMap<DocumentStore, CacheState>();

/** Tells the hover which image was built from a Dockerfile (by its URI); undefined forgets it. */
export function recordKnownLayers(store: DocumentStore, dockerfileUri: string, layers: KnownImageLayers | undefined): void {
  const st = states.get(store);
  if (!st) return;
  if (layers) setBounded(st.known, dockerfileUri, layers, MAX_KNOWN);
  else st.known.delete(dockerfileUri);
}

function folderFor(folders: readonly WorkspaceFolder[], path: string): string | undefined {
  let best: string | undefined;
  for (const f of folders) {
    const dir = filePathOf(f.uri);
    if (!dir) continue;
    const rel = relative(dir, path);
    if (!rel.startsWith('..') && !isAbsolute(rel) && (!best || dir.length > best.length)) best = dir;
  }
  return best;
}

/**
 * `dockwright.buildContext` for a document: part of the document's settings (one workspace/configuration round
 * trip per workspace folder, lsp/settings.ts). Remembered per open document for `contextNow`, which cannot wait.
 */
function buildContextSetting(st: CacheState, uri: string): Promise<string | undefined> {
  const { settings, store } = st.ctx;
  return settings.get(uri).then(
    (s) => {
      const value = s.buildContext !== '' ? s.buildContext : undefined;
      // Closed meanwhile (or never open, as cacheMap's candidates): nothing to remember.
      if (store.get(uri)) st.resolvedSetting.set(uri, value);
      return value;
    },
    () => undefined,
  );
}

/** The document's context right now (no waiting): the scanner's index as far as it goes. */
function contextNow(st: CacheState, uri: string, text: string): ContextInfo | undefined {
  const path = filePathOf(uri);
  if (!path || !st.ctx.store.trusted) return undefined;
  void buildContextSetting(st, uri);
  return st.scanner.contextFor(path, text, st.resolvedSetting.get(uri), folderFor(st.ctx.workspaceFolders, path), userOf(st, uri));
}

/** The document holds its context while it is open (a late analysis of a closed one does not). */
function userOf(st: CacheState, uri: string): string | undefined {
  return st.ctx.store.get(uri) ? uri : undefined;
}

/** The layer section of the hover at `offset` (undefined without the module or where it has nothing to say). */
export function cacheHoverSection(ctx: ServerContext, da: DocumentAnalysis, offset: number): { contents: string; range: Span } | undefined {
  const st = states.get(ctx.store);
  if (!st) return undefined;
  // The image built from this file: recorded here, or by the build module (handlers/build-info.ts).
  const known = st.known.get(da.uri) ?? knownLayersFor(ctx.store, da.uri);
  return layerHoverSection(da.analysis, offset, { context: contextNow(st, da.uri, da.analysis.text), known });
}

function stageLabel(analysis: Analysis, line: number): string {
  const ins = analysis.ast.instructions.find((i) => i.startLine === line);
  const stage = ins ? analysis.model.stageOf(ins) : undefined;
  return stage ? (stage.nameRaw ?? String(stage.index)) : '';
}

async function cacheMapRequest(st: CacheState, params: CacheMapParams): Promise<CacheMapResult> {
  const raw = params.uri ?? params.path ?? '';
  const target = raw.startsWith('file:') ? fileURLToPath(raw) : resolve(raw);
  if (!st.ctx.store.trusted || raw === '') return { path: target, results: [] };
  let folder = false;
  try {
    folder = (await fsp.stat(target)).isDirectory();
  } catch {
    folder = false;
  }
  // Candidate Dockerfiles: open ones, those in the file's ancestor folders, and those of the workspace.
  const candidates = new Map<string, { uri: string; text: string | undefined }>();
  for (const doc of st.ctx.store.documents.all()) {
    const p = filePathOf(doc.uri);
    if (p && doc.languageId === 'dockerfile') candidates.set(p, { uri: doc.uri, text: doc.getText() });
  }
  const roots = [...(params.roots ?? []), ...st.ctx.workspaceFolders.map((f) => filePathOf(f.uri)).filter((p): p is string => p !== undefined)];
  // No workspace folder (a bare LSP client): the highest of the nearest ancestors that looks like a project root.
  if (roots.length === 0) {
    let top: string | undefined;
    for (let d = folder ? target : dirname(target), guard = 0; guard < 6 && dirname(d) !== d; guard++, d = dirname(d)) {
      if (existsSync(join(d, '.git')) || existsSync(join(d, 'Dockerfile'))) top = d;
    }
    if (top) roots.push(top);
  }
  const ancestorsTop = folderFor(st.ctx.workspaceFolders, target) ?? dirname(target);
  for (let d = folder ? target : dirname(target), guard = 0; guard < 30; guard++) {
    for (const f of await findDockerfilesAsync(d, { maxDepth: 0 })) if (!candidates.has(f)) candidates.set(f, { uri: pathToFileURL(f).href, text: undefined });
    if (d === ancestorsTop || dirname(d) === d) break;
    d = dirname(d);
  }
  for (const root of roots) {
    for (const f of await findDockerfilesAsync(root, { maxDirs: 3000, maxDepth: 5 })) if (!candidates.has(f)) candidates.set(f, { uri: pathToFileURL(f).href, text: undefined });
  }
  const results: CacheMapEntry[] = [];
  for (const [path, c] of [...candidates].sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, 200)) {
    let text = c.text;
    if (text === undefined) {
      try {
        text = await fsp.readFile(path, 'utf8');
      } catch {
        continue;
      }
    }
    if (text.length > 2 * 1024 * 1024) continue;
    const setting = await buildContextSetting(st, c.uri);
    const ctxDir = resolveContextDir(path, text, setting, folderFor(st.ctx.workspaceFolders, path)).dir;
    const rel = relative(ctxDir, target);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    const relPath = rel === '' ? '.' : rel.split(sep).join('/');
    const analysis = analyzeSyntax(text);
    const rules = existsSync(ctxDir) ? loadIgnoreRules(ctxDir, path) : undefined;
    const map = cacheMap(analysis, relPath, { folder, isIgnored: rules ? (p) => rules.isIgnored(p) : undefined });
    const idx = lineIndexFor(analysis, analysis.text, analysis.ast.lineStarts);
    const step = (ins: (typeof map.busts)[number]['instruction']): CacheMapStep => {
      const line = idx.lineAt(ins.range.start);
      return { line, text: shortText(analysis, ins), stage: stageLabel(analysis, line) };
    };
    const first = map.busts[0];
    results.push({
      dockerfile: c.uri,
      context: ctxDir,
      relativePath: relPath,
      ignored: map.ignored,
      first: first ? { ...step(first.instruction), via: first.via } : undefined,
      busts: map.busts.map((b) => step(b.instruction)),
      rebuilt: map.rebuilt.length,
      next: map.rebuilt.filter((i) => !map.busts.some((b) => b.instruction === i)).slice(0, 5).map(step),
    });
  }
  return { path: target, results };
}

export const cacheModule: HandlerModule = {
  // Hover is announced by the editing module; the custom request needs no capability.
  capabilities: () => ({}),

  register(ctx: ServerContext): void {
    const c: Connection = ctx.connection;
    const caps = ctx.clientCapabilities;
    const scanner = new ContextScanner({ watch: 'fs', maxIdleContexts: MAX_IDLE_CONTEXTS });
    const st: CacheState = { scanner, resolvedSetting: new Map(), known: new Map(), ctx };
    states.set(ctx.store, st);

    setDocumentContextProvider(async (uri, path, text) => {
      const setting = await buildContextSetting(st, uri);
      return scanner.contextFor(path, text, setting, folderFor(ctx.workspaceFolders, path), userOf(st, uri));
    });
    ctx.store.documents.onDidClose((e) => {
      const uri = e.document.uri;
      st.resolvedSetting.delete(uri);
      scanner.release(uri);
    });

    // Let the client watch the workspace (VS Code already does, honouring files.watcherExclude).
    const dynamic = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    let registered = false;
    ctx.store.documents.onDidOpen(() => {
      if (!dynamic || registered) return;
      registered = true;
      const roots = ctx.workspaceFolders.map((f) => filePathOf(f.uri)).filter((p): p is string => p !== undefined);
      scanner.useExternalWatcher(roots);
      void c.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
    });
    c.onDidChangeWatchedFiles(
      safeNotify(c, 'workspace/didChangeWatchedFiles', (params) => {
        for (const change of params.changes) {
          const p = filePathOf(change.uri);
          if (p) scanner.fileChanged(p);
        }
      }),
    );

    // A finished scan or patch changes what the rules see: analyse again and refresh diagnostics.
    let timer: NodeJS.Timeout | undefined;
    scanner.onDidUpdate(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        ctx.store.invalidateAll();
        if (caps.textDocument?.diagnostic) {
          if (caps.workspace?.diagnostics?.refreshSupport) void c.languages.diagnostics.refresh();
          return;
        }
        for (const doc of ctx.store.documents.all()) {
          const pending = ctx.store.analysis(doc.uri);
          pending
            ?.then((da) => {
              if (ctx.store.get(doc.uri)?.version !== da.version) return;
              return c.sendDiagnostics({ uri: doc.uri, version: da.version, diagnostics: diagnosticsOf(da) });
            })
            .catch((e: unknown) => c.console.error(`diagnostics after a context scan failed: ${String(e)}`));
        }
      }, 50);
    });

    c.onRequest(CACHE_MAP_REQUEST, safe(c, CACHE_MAP_REQUEST, { path: '', results: [] } as CacheMapResult, (params: CacheMapParams) => cacheMapRequest(st, params)));
    c.onNotification(
      KNOWN_LAYERS_NOTIFICATION,
      safeNotify(c, KNOWN_LAYERS_NOTIFICATION, (params: { uri: string; image?: KnownImageLayers }) => recordKnownLayers(ctx.store, params.uri, params.image)),
    );
  },
};
