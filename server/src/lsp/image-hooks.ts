/**
 * The seam through which the image module (handlers/images.ts) adds to handlers that other modules own:
 * hover, inlay hints, code actions and image/tag completion. Those handlers ask `imageHooks(store)` and
 * use whatever is registered; without the image module everything works as before. This avoids a second
 * handler for the same LSP method (the protocol allows one).
 *
 * Must not: hold state of its own beyond the registration.
 */
import type { Span } from '../core/syntax/ast';
import type { Fix } from '../core/rules/types';
import type { InlayHintData } from '../core/features/inlay-hints';
import type { PendingAwareImageSource } from '../host/images/completion-source';
import type { DocumentAnalysis, DocumentStore } from './documents';

export type { PendingAwareImageSource };

export interface ImageHooks {
  /** Markdown to add to the hover at `offset` (size, platforms, digest, source). */
  hoverSection(da: DocumentAnalysis, offset: number): { contents: string; range: Span } | undefined;
  /** Size hints for the image references in `span`. */
  inlayHints(da: DocumentAnalysis, span: Span): InlayHintData[];
  /** Refactorings for the image references in `span` (pin to digest). */
  codeActions(da: DocumentAnalysis, span: Span): Fix[];
  /** Image names and tags for completion. */
  readonly completionSource: PendingAwareImageSource;
}

const registered = new WeakMap<DocumentStore, ImageHooks>();

export function setImageHooks(store: DocumentStore, hooks: ImageHooks): void {
  registered.set(store, hooks);
}

/** The image hooks of this server, when the image module is registered. */
export function imageHooks(store: DocumentStore): ImageHooks | undefined {
  return registered.get(store);
}
