/**
 * workspace/symbol: stages and ARGs of every Dockerfile in the workspace folders. Open documents use their
 * cached analysis; files on disk are found with findDockerfiles (bounded), parsed lazily on the first
 * query and cached by modification time. Untrusted workspaces are not read from disk.
 */
import { statSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type CancellationToken, type SymbolInformation, SymbolKind, type WorkspaceSymbolParams } from 'vscode-languageserver/node';
import { matchesQuery, workspaceSymbols, type WorkspaceSymbolEntry } from '../../core/features/document-symbols';
import { buildModel } from '../../core/semantic/model';
import { parse } from '../../core/syntax/parser';
import { findDockerfiles } from '../../host/find-dockerfiles';
import type { ServerContext } from '../context';
import { lineIndexFor, toRange } from '../convert';
import { filePathOf, looksBinary, MAX_ANALYSED_BYTES } from '../documents';

/** At most this many Dockerfiles per workspace folder are read. */
export const MAX_WORKSPACE_FILES = 2000;
/** At most this many symbols are returned. */
export const MAX_WORKSPACE_RESULTS = 1000;
/** The list of files is re-scanned at most this often (files' contents are checked on every query). */
const LIST_TTL_MS = 10_000;

interface FileSymbols {
  readonly mtimeMs: number;
  readonly size: number;
  readonly symbols: readonly SymbolInformation[];
}

const KIND: Readonly<Record<WorkspaceSymbolEntry['kind'], SymbolKind>> = { stage: SymbolKind.Module, variable: SymbolKind.Variable };

function toInformation(uri: string, owner: object, text: string, lineStarts: readonly number[], entries: readonly WorkspaceSymbolEntry[]): SymbolInformation[] {
  const idx = lineIndexFor(owner, text, lineStarts);
  return entries.map((e) => ({ name: e.name, kind: KIND[e.kind], location: { uri, range: toRange(idx, e.span) }, ...(e.container ? { containerName: e.container } : {}) }));
}

export class WorkspaceSymbols {
  private readonly files = new Map<string, FileSymbols>();
  private lists = new Map<string, { at: number; paths: string[] }>();

  constructor(private readonly ctx: ServerContext) {}

  private list(dir: string): string[] {
    const hit = this.lists.get(dir);
    if (hit && Date.now() - hit.at < LIST_TTL_MS) return hit.paths;
    const paths = findDockerfiles(dir, MAX_WORKSPACE_FILES);
    this.lists.set(dir, { at: Date.now(), paths });
    return paths;
  }

  private fromDisk(path: string): readonly SymbolInformation[] {
    let st;
    try {
      st = statSync(path);
    } catch {
      this.files.delete(path);
      return [];
    }
    const hit = this.files.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.symbols;
    let symbols: SymbolInformation[] = [];
    if (st.size <= MAX_ANALYSED_BYTES) {
      try {
        const text = readFileSync(path, 'utf8');
        if (!looksBinary(text)) {
          const ast = parse(text);
          symbols = toInformation(pathToFileURL(path).href, ast, text, ast.lineStarts, workspaceSymbols(buildModel(ast)));
        }
      } catch {
        symbols = [];
      }
    }
    this.files.set(path, { mtimeMs: st.mtimeMs, size: st.size, symbols });
    return symbols;
  }

  async query(params: WorkspaceSymbolParams, token: CancellationToken | undefined): Promise<SymbolInformation[]> {
    const query = params.query ?? '';
    const out: SymbolInformation[] = [];
    const push = (list: readonly SymbolInformation[]) => {
      for (const s of list) {
        if (out.length >= MAX_WORKSPACE_RESULTS) return;
        if (matchesQuery(query, s.name)) out.push(s);
      }
    };
    const openPaths = new Set<string>();
    for (const doc of this.ctx.store.documents.all()) {
      if (token?.isCancellationRequested) return out;
      const path = filePathOf(doc.uri);
      if (path) openPaths.add(path);
      const pending = this.ctx.store.analysis(doc.uri);
      if (!pending) continue;
      const a = (await pending).analysis;
      push(toInformation(doc.uri, a, a.ast.text, a.ast.lineStarts, workspaceSymbols(a.model)));
    }
    if (!this.ctx.store.trusted) return out;
    for (const folder of this.ctx.workspaceFolders) {
      const dir = filePathOf(folder.uri);
      if (!dir) continue;
      for (const path of this.list(dir)) {
        if (token?.isCancellationRequested || out.length >= MAX_WORKSPACE_RESULTS) return out;
        if (openPaths.has(path)) continue;
        push(this.fromDisk(path));
      }
    }
    return out;
  }
}
