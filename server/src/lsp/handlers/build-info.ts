/**
 * The build module: what the client's Build Image command and layer features need from the server.
 * - `dockwright/stages` request ({ uri }) -> the file's stages and build arguments (core/features/build-info);
 * - `dockwright/builtImage` notification: an image built from a Dockerfile (id, tag, target, its history and
 *   diff ids, read by the client with the docker CLI); `history: null` forgets it;
 * - `textDocument/codeLens`: each instruction that made a layer of that image shows the layer's size;
 * - `knownLayersFor(store, uri)`: the same image as `KnownImageLayers` for the layer hover (known-layers.ts).
 * The mapping of history entries to instructions (core/features/layer-map) is redone per document version, so
 * lenses follow edits and stay on the instructions that made the layers.
 *
 * Memory: the mapping (which holds the document's analysis) is dropped when the document closes; at most
 * MAX_RECORDS images are remembered (the client sends each once, so a closed Dockerfile's image is kept for when
 * it is opened again).
 *
 * Must not: run docker (the client does, in trusted workspaces only).
 */
import { CodeLensRefreshRequest, type CodeLens, type CodeLensParams } from 'vscode-languageserver/node';
import { analyzeSyntax, type Analysis } from '../../core/analyze';
import { buildInfo, type BuildInfo } from '../../core/features/build-info';
import { formatBytes } from '../../core/features/context-files';
import type { KnownImageLayers } from '../../core/features/known-layers';
import { instructionLayers, mapLayers, toKnownImageLayers, type HistoryEntry, type LayerMapping } from '../../core/features/layer-map';
import type { HandlerModule, ServerContext } from '../context';
import { lineIndexFor, toRange } from '../convert';
import type { DocumentStore } from '../documents';
import { setBounded } from '../../host/lru';
import { safe, safeNotify } from '../safe';

export const STAGES_REQUEST = 'dockwright/stages';
export const BUILT_IMAGE_NOTIFICATION = 'dockwright/builtImage';
/** The command the layer lenses run (the client's Inspect Image). */
export const INSPECT_COMMAND = 'dockwright.inspectImage';

export interface StagesParams {
  readonly uri: string;
  /** The text to analyse when the document is not open in the server. */
  readonly text?: string;
}

export interface BuiltImageParams {
  /** The Dockerfile's URI. */
  readonly uri: string;
  readonly image: { readonly id: string; readonly tag?: string; readonly created?: string; readonly target?: string };
  /** Oldest first; null forgets the image. */
  readonly history: readonly HistoryEntry[] | null;
  readonly diffIds?: readonly string[];
}

interface Record_ {
  readonly params: BuiltImageParams;
  cache: { analysis: Analysis; mapping: LayerMapping } | undefined;
}

/** Images remembered, least recently recorded dropped first (the client keeps 100 records). */
const MAX_RECORDS = 128;

const registries = new WeakMap<DocumentStore, Map<string, Record_>>();

function recordsOf(store: DocumentStore): Map<string, Record_> {
  let m = registries.get(store);
  if (!m) {
    m = new Map();
    registries.set(store, m);
  }
  return m;
}

function mappingFor(store: DocumentStore, uri: string): { mapping: LayerMapping; params: BuiltImageParams; analysis: Analysis } | undefined {
  const rec = recordsOf(store).get(uri);
  const analysis = store.syntax(uri);
  if (!rec || !rec.params.history || !analysis) return undefined;
  if (rec.cache?.analysis !== analysis) {
    rec.cache = { analysis, mapping: mapLayers(analysis, rec.params.history, { target: rec.params.image.target, diffIds: rec.params.diffIds }) };
  }
  return { mapping: rec.cache.mapping, params: rec.params, analysis };
}

function imageName(p: BuiltImageParams): string {
  return p.image.tag || p.image.id.replace(/^sha256:/, '').slice(0, 12);
}

/** The image last built from this Dockerfile, mapped to its current text: the layer hover's input. */
export function knownLayersFor(store: DocumentStore, uri: string): KnownImageLayers | undefined {
  const m = mappingFor(store, uri);
  if (!m) return undefined;
  return toKnownImageLayers(m.mapping, imageName(m.params), m.params.image.created);
}

/** The stages and build args of a document (open, or given as text). */
export function stagesOf(store: DocumentStore, params: StagesParams, analyze: (text: string) => Analysis): BuildInfo {
  const a = store.syntax(params.uri) ?? (params.text !== undefined ? analyze(params.text) : undefined);
  return a ? buildInfo(a) : { stages: [], args: [], defaultTarget: undefined };
}

export function layerCodeLenses(store: DocumentStore, uri: string): CodeLens[] {
  const m = mappingFor(store, uri);
  if (!m) return [];
  const a = m.analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  const name = imageName(m.params);
  const lenses: CodeLens[] = [];
  const seen = new Set<object>();
  for (const e of instructionLayers(m.mapping)) {
    const ins = e.instruction!;
    if (seen.has(ins)) continue;
    seen.add(ins);
    const note = e.exact ? '' : ', changed since';
    lenses.push({
      range: toRange(idx, ins.keywordRange),
      command: {
        title: `${formatBytes(e.entry.size)} layer (${name}${note})`,
        command: INSPECT_COMMAND,
        arguments: [{ image: m.params.image.id, dockerfile: uri, label: name }],
      },
    });
  }
  return lenses;
}

export const buildInfoModule: HandlerModule = {
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),

  register(ctx: ServerContext): void {
    const { connection, store } = ctx;
    const canRefresh = ctx.clientCapabilities.workspace?.codeLens?.refreshSupport === true;
    connection.onRequest(
      STAGES_REQUEST,
      safe(connection, STAGES_REQUEST, { stages: [], args: [], defaultTarget: undefined } as BuildInfo, (params: StagesParams) => stagesOf(store, params, analyzeSyntax)),
    );
    connection.onNotification(
      BUILT_IMAGE_NOTIFICATION,
      safeNotify(connection, BUILT_IMAGE_NOTIFICATION, (params: BuiltImageParams) => {
        if (!params || typeof params.uri !== 'string' || !params.image || typeof params.image.id !== 'string') return;
        const records = recordsOf(store);
        if (Array.isArray(params.history)) setBounded(records, params.uri, { params, cache: undefined }, MAX_RECORDS);
        else records.delete(params.uri);
        if (canRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      }),
    );
    // A closed document's analysis is not kept alive by its layer mapping.
    store.documents.onDidClose((e) => {
      const rec = recordsOf(store).get(e.document.uri);
      if (rec) rec.cache = undefined;
    });
    connection.onCodeLens(safe(connection, 'textDocument/codeLens', [] as CodeLens[], (params: CodeLensParams) => layerCodeLenses(store, params.textDocument.uri)));
  },
};
