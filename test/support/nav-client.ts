/**
 * Helpers for the navigation/structure server tests: a client that announces what a modern editor
 * announces (hierarchical symbols, prepareRename, workspace folders), text markup for cursors and
 * expected ranges, and edit application. Positions always come from markers, never from counting.
 */
import { pathToFileURL } from 'node:url';
import { RULES } from '../../server/src/core/rules/index';
import { LspClient } from './lsp-client';

/** `dockwright.rules` turning every rule off: for tests of editor features over many files, where linting is only cost. */
export const ALL_RULES_OFF: Readonly<Record<string, 'off'>> = Object.fromEntries(RULES.map((r) => [r.meta.id, 'off' as const]));

export interface Pos {
  line: number;
  character: number;
}
export interface Rng {
  start: Pos;
  end: Pos;
}
export interface Edit {
  range: Rng;
  newText: string;
}

export interface NavOptions {
  settings?: unknown;
  /** Folders (paths) announced as workspace folders. */
  folders?: string[];
  initializationOptions?: unknown;
  /** Client capabilities under textDocument to leave out (e.g. 'documentSymbol'). */
  without?: string[];
}

export type NavClient = LspClient & { capabilities: Record<string, unknown> };

/** Starts the real server over stdio and initializes it like a full-featured editor. */
export async function startNav(opts: NavOptions = {}): Promise<NavClient> {
  const c = new LspClient({ settings: opts.settings, initializationOptions: opts.initializationOptions });
  const textDocument: Record<string, unknown> = {
    synchronization: { didSave: true },
    publishDiagnostics: { versionSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    rename: { prepareSupport: true },
    foldingRange: { lineFoldingOnly: true },
    selectionRange: {},
    semanticTokens: {
      requests: { full: { delta: true }, range: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
  };
  for (const k of opts.without ?? []) delete textDocument[k];
  const folders = (opts.folders ?? []).map((f, i) => ({ uri: pathToFileURL(f).href, name: `folder${i}` }));
  const init = await c.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: folders[0]?.uri ?? null,
    workspaceFolders: folders.length > 0 ? folders : null,
    capabilities: { workspace: { configuration: true, workspaceFolders: true, symbol: {} }, textDocument },
    initializationOptions: opts.initializationOptions,
  });
  await c.conn.sendNotification('initialized', {});
  return Object.assign(c, { capabilities: init.capabilities });
}

export interface Marked {
  text: string;
  /** Where `|` was (the first one). */
  cursor: Pos;
  /** Every `|` marker, in order. */
  cursors: Pos[];
  /** Ranges marked «like this» (declarations, writes). */
  writes: Rng[];
  /** Ranges marked ‹like this› (references, reads). */
  reads: Rng[];
}

/**
 * Reads markers out of a text: `|` cursors, «write» and ‹read› ranges. The markers are removed and every
 * position refers to the clean text.
 */
export function mark(src: string): Marked {
  let text = '';
  let line = 0;
  let character = 0;
  const cursors: Pos[] = [];
  const writes: Rng[] = [];
  const reads: Rng[] = [];
  let openW: Pos | undefined;
  let openR: Pos | undefined;
  for (const ch of src) {
    const here = { line, character };
    if (ch === '|') cursors.push(here);
    else if (ch === '«') openW = here;
    else if (ch === '»') {
      writes.push({ start: openW!, end: here });
      openW = undefined;
    } else if (ch === '‹') openR = here;
    else if (ch === '›') {
      reads.push({ start: openR!, end: here });
      openR = undefined;
    } else {
      text += ch;
      if (ch === '\n') {
        line++;
        character = 0;
      } else character += ch.length;
    }
  }
  return { text, cursor: cursors[0] ?? { line: 0, character: 0 }, cursors, writes, reads };
}

/** Offset of a position in a text (lines split at "\n"). */
export function offsetOf(text: string, p: Pos): number {
  let off = 0;
  for (let l = 0; l < p.line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl === -1) return text.length;
    off = nl + 1;
  }
  return off + p.character;
}

/** Applies LSP text edits to a text. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const withOffsets = edits.map((e) => ({ s: offsetOf(text, e.range.start), e: offsetOf(text, e.range.end), t: e.newText }));
  withOffsets.sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  let last = Number.MAX_SAFE_INTEGER;
  for (const e of withOffsets) {
    if (e.e > last) throw new Error(`overlapping edits at offset ${e.s}`);
    out = out.slice(0, e.s) + e.t + out.slice(e.e);
    last = e.s;
  }
  return out;
}

/** The text a range covers. */
export function textAt(text: string, r: Rng): string {
  return text.slice(offsetOf(text, r.start), offsetOf(text, r.end));
}

export const sortRanges = (rs: readonly Rng[]): Rng[] =>
  [...rs].sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character || a.end.line - b.end.line || a.end.character - b.end.character);

let docCounter = 0;
/** A fresh document URI (one per test case, so cases never share state). */
export function docUri(name = 'Dockerfile'): string {
  return `file:///tmp/dockwright-nav/${++docCounter}/${name}`;
}
