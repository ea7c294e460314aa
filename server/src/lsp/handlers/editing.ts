/**
 * The editing handlers: completion, hover, signature help, inlay hints and document links (registered by
 * server.ts through MODULES). Each handler is wrapped in the safe runner; each lives in its own file.
 */
import type { HandlerModule } from '../context';
import { safe } from '../safe';
import { completion } from './completion';
import { imageHooks } from '../image-hooks';
import { documentLink } from './document-link';
import { hover } from './hover';
import { inlayHint } from './inlay-hint';
import { signatureHelp } from './signature-help';

/** Characters after which a value is expected: flags, flag values, mount options, variables, tags, paths. */
const COMPLETION_TRIGGERS = [' ', '-', '=', '$', '{', ',', ':', '/', '@', '"'];

export const editingModule: HandlerModule = {
  capabilities: () => ({
    completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
    hoverProvider: true,
    signatureHelpProvider: { triggerCharacters: [' '], retriggerCharacters: [','] },
    inlayHintProvider: { resolveProvider: false },
    documentLinkProvider: { resolveProvider: false },
  }),
  register: (ctx) => {
    const c = ctx.connection;
    // Image names and tags come from the image module (handlers/images.ts) when it is registered.
    c.onCompletion(safe(c, 'textDocument/completion', null, (p) => completion(ctx, p, imageHooks(ctx.store)?.completionSource)));
    c.onHover(safe(c, 'textDocument/hover', null, (p) => hover(ctx, p)));
    c.onSignatureHelp(safe(c, 'textDocument/signatureHelp', null, (p) => signatureHelp(ctx, p)));
    c.languages.inlayHint.on(safe(c, 'textDocument/inlayHint', null, (p) => inlayHint(ctx, p)));
    c.onDocumentLinks(safe(c, 'textDocument/documentLink', null, (p) => documentLink(ctx, p)));
  },
};
