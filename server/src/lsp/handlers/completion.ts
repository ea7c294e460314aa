/**
 * textDocument/completion: the core's proposals at the cursor, converted. The host supplies what the pure
 * core may not read itself: folders of the build context (only in trusted workspaces) and image names.
 */
import { dirname } from 'node:path';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver/node';
import {
  BUILTIN_IMAGE_SOURCE,
  complete,
  imageCompletions,
  type CompletionEntry,
  type CompletionKind,
  type ImageCompletionSource,
} from '../../core/features/completion';
import { listContextDir } from '../../host/context-files';
import type { ServerContext } from '../context';
import { filePathOf } from '../documents';
import { lineIndexFor, toOffset, toRange } from '../convert';
import type { LineIndex } from '../../core/text';

const KINDS: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  flag: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  variable: CompletionItemKind.Variable,
  stage: CompletionItemKind.Reference,
  image: CompletionItemKind.Module,
  tag: CompletionItemKind.Constant,
  file: CompletionItemKind.File,
  folder: CompletionItemKind.Folder,
  directive: CompletionItemKind.Keyword,
  rule: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
};

const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

export async function completion(ctx: ServerContext, params: CompletionParams, images: ImageCompletionSource = BUILTIN_IMAGE_SOURCE): Promise<CompletionList | null> {
  const pending = ctx.store.syntaxAnalysis(params.textDocument.uri);
  if (!pending) return null;
  const da = await pending;
  const a = da.analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  const offset = toOffset(idx, params.position);
  const path = filePathOf(params.textDocument.uri);
  const contextDir = path ? dirname(path) : undefined;
  // Reading the file system is off in untrusted workspaces.
  const listDir = contextDir && ctx.store.trusted ? (rel: string) => listContextDir(contextDir, path, rel) : undefined;
  const result = complete(a, offset, { listDir, triggerCharacter: params.context?.triggerCharacter });
  const entries = result.imageQuery ? [...result.items, ...(await imageCompletions(result.imageQuery, images))] : result.items;
  // An image source still fetching (a registry's tag list) makes the editor ask again as the user types.
  const incomplete = result.imageQuery !== undefined && (images as { pending?: (q: typeof result.imageQuery) => boolean }).pending?.(result.imageQuery) === true;
  const snippets = ctx.clientCapabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  return { isIncomplete: incomplete, items: entries.map((e) => toItem(idx, e, snippets)) };
}

function toItem(idx: LineIndex, e: CompletionEntry, snippets: boolean): CompletionItem {
  const useSnippet = snippets && e.snippet !== undefined;
  const item: CompletionItem = {
    label: e.label,
    kind: KINDS[e.kind],
    sortText: e.sortText,
    filterText: e.filterText ?? e.label,
    insertTextFormat: useSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: toRange(idx, e.range), newText: useSnippet ? e.snippet! : e.insertText },
  };
  if (e.detail) item.detail = e.detail;
  if (e.documentation) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
  if (e.retrigger) item.command = RETRIGGER;
  if (e.deprecated) item.tags = [CompletionItemTag.Deprecated];
  return item;
}
