/**
 * The navigation and structure handlers (registered by server.ts through MODULES): definition, references,
 * highlights, rename, document and workspace symbols, folding, selection ranges, semantic tokens and
 * formatting. Each LSP method has its own file; this module announces the capabilities and wires them,
 * every handler wrapped in `safe`.
 */
import type { ClientCapabilities, ServerCapabilities } from 'vscode-languageserver/node';
import type { HandlerModule, ServerContext } from '../context';
import { safe } from '../safe';
import { definition } from './definition';
import { documentHighlight } from './document-highlight';
import { documentSymbol } from './document-symbol';
import { foldingRange } from './folding-range';
import { formatting } from './formatting';
import { ON_TYPE_TRIGGER, onTypeFormatting } from './on-type-formatting';
import { prepareRename } from './prepare-rename';
import { rangeFormatting } from './range-formatting';
import { references } from './references';
import { rename } from './rename';
import { selectionRange } from './selection-range';
import { SEMANTIC_TOKENS_LEGEND, SemanticTokensState, semanticTokensDelta, semanticTokensFull, semanticTokensRange } from './semantic-tokens';
import { WorkspaceSymbols } from './workspace-symbol';

export const navigationModule: HandlerModule = {
  capabilities: (client: ClientCapabilities): ServerCapabilities => ({
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
    documentSymbolProvider: { label: 'Dockerfile' },
    workspaceSymbolProvider: true,
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: { delta: true }, range: true },
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    documentOnTypeFormattingProvider: { firstTriggerCharacter: ON_TYPE_TRIGGER },
  }),

  register(ctx: ServerContext): void {
    const c = ctx.connection;
    c.onDefinition(safe(c, 'textDocument/definition', [], (p) => definition(ctx, p)));
    c.onReferences(safe(c, 'textDocument/references', [], (p) => references(ctx, p)));
    c.onDocumentHighlight(safe(c, 'textDocument/documentHighlight', [], (p) => documentHighlight(ctx, p)));
    c.onPrepareRename(safe(c, 'textDocument/prepareRename', null, (p) => prepareRename(ctx, p)));
    c.onRenameRequest(safe(c, 'textDocument/rename', null, (p) => rename(ctx, p)));
    c.onDocumentSymbol(safe(c, 'textDocument/documentSymbol', [], (p) => documentSymbol(ctx, p)));
    const workspace = new WorkspaceSymbols(ctx);
    c.onWorkspaceSymbol(safe(c, 'workspace/symbol', [], (p, token) => workspace.query(p, token)));
    c.onFoldingRanges(safe(c, 'textDocument/foldingRange', [], (p) => foldingRange(ctx, p)));
    c.onSelectionRanges(safe(c, 'textDocument/selectionRange', [], (p) => selectionRange(ctx, p)));
    const tokens = new SemanticTokensState();
    ctx.store.documents.onDidClose((e) => tokens.forget(e.document.uri));
    c.languages.semanticTokens.on(safe(c, 'textDocument/semanticTokens/full', { data: [] }, (p) => semanticTokensFull(ctx, tokens, p)));
    c.languages.semanticTokens.onDelta(safe(c, 'textDocument/semanticTokens/full/delta', { data: [] }, (p) => semanticTokensDelta(ctx, tokens, p)));
    c.languages.semanticTokens.onRange(safe(c, 'textDocument/semanticTokens/range', { data: [] }, (p) => semanticTokensRange(ctx, p)));
    c.onDocumentFormatting(safe(c, 'textDocument/formatting', [], (p) => formatting(ctx, p)));
    c.onDocumentRangeFormatting(safe(c, 'textDocument/rangeFormatting', [], (p) => rangeFormatting(ctx, p)));
    c.onDocumentOnTypeFormatting(safe(c, 'textDocument/onTypeFormatting', [], (p) => onTypeFormatting(ctx, p)));
  },
};
