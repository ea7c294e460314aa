/**
 * The image module: size hints, hover details, digest pinning and image/tag completion, backed by the image
 * service (host/images). It registers no LSP method of its own: hover, inlay hints, code actions and
 * completion belong to other modules, which call the hooks it installs (lsp/image-hooks.ts). What it adds:
 * - background lookups for every image reference of an open document (on open and edit, debounced);
 * - `workspace/inlayHint/refresh` when lookups land, so the editor asks for the hints again.
 * Settings (`dockwright.images.*`) are read per document; workspace trust is honoured by the service
 * (untrusted: no network, no docker CLI; the cache and the bundled table still answer).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { imageHoverSection, imageInlayHints, imageUses, pinDigestFixes } from '../../core/features/images';
import type { ImageLookup } from '../../core/features/image-info';
import { ImageService } from '../../host/images/service';
import { imageCompletionSource } from '../../host/images/completion-source';
import type { HandlerModule, ServerContext } from '../context';
import type { DocumentAnalysis } from '../documents';
import { setImageHooks } from '../image-hooks';
import type { ImageSettings } from '../settings';

/** A zero TTL would turn every refresh into a new lookup; below this, "always check" means "check often". */
const MIN_TTL_MS = 30_000;
const PREFETCH_DELAY_MS = 150;

/** Where the on-disk cache lives: $DOCKWRIGHT_CACHE_DIR, else the user's cache folder. */
export function defaultImageCacheDir(): string {
  if (process.env.DOCKWRIGHT_CACHE_DIR) return process.env.DOCKWRIGHT_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || join(homedir(), '.cache');
  return join(base, 'dockwright', 'images');
}

function serviceOptions(s: ImageSettings, trusted: boolean) {
  return {
    online: s.online,
    trusted,
    timeoutMs: s.timeoutMs,
    ttlMs: Math.max(MIN_TTL_MS, s.cacheTtlHours * 3600_000),
    httpHosts: s.extraRegistries,
    // The local engine is asked in trusted workspaces whatever `online` says (the service checks trust).
    docker: 'docker' as const,
  };
}

export const imagesModule: HandlerModule = {
  // Hover, inlay hints, code actions and completion are announced by the modules that own them.
  capabilities: () => ({}),

  register(ctx: ServerContext): void {
    const store = ctx.store;
    const service = new ImageService({ cacheDir: defaultImageCacheDir(), ...serviceOptions({ online: true, timeoutMs: 5000, cacheTtlHours: 24, defaultPlatform: 'linux/amd64', extraRegistries: [] }, store.trusted) });
    const lookupFor = (da: DocumentAnalysis): ImageLookup => {
      service.configure(serviceOptions(da.settings.images, store.trusted));
      return (ref, platform) => service.peek(ref, platform);
    };
    setImageHooks(store, {
      hoverSection: (da, offset) => imageHoverSection(da.analysis, offset, lookupFor(da), da.settings.images.defaultPlatform),
      inlayHints: (da, span) => imageInlayHints(da.analysis, span, lookupFor(da), da.settings.images.defaultPlatform),
      codeActions: (da, span) => pinDigestFixes(da.analysis, span, lookupFor(da), da.settings.images.defaultPlatform),
      completionSource: imageCompletionSource(service),
    });

    // Start lookups as soon as a document is opened or edited, so the hints are ready when asked for.
    const timers = new Map<string, NodeJS.Timeout>();
    const prefetch = (uri: string) => {
      clearTimeout(timers.get(uri));
      timers.set(
        uri,
        setTimeout(() => {
          timers.delete(uri);
          // The syntax-only analysis: image references need no rule findings.
          const pending = store.syntaxAnalysis(uri);
          if (!pending) return;
          pending
            .then((da) => {
              const lookup = lookupFor(da);
              const platform = da.settings.images.defaultPlatform;
              for (const use of imageUses(da.analysis)) lookup(use.ref, use.platform ?? platform);
            })
            .catch((e: unknown) => ctx.connection.console.error(`image prefetch for ${uri} failed: ${String(e)}`));
        }, PREFETCH_DELAY_MS),
      );
    };
    store.documents.onDidOpen((e) => prefetch(e.document.uri));
    store.documents.onDidChangeContent((e) => prefetch(e.document.uri));
    store.documents.onDidClose((e) => {
      clearTimeout(timers.get(e.document.uri));
      timers.delete(e.document.uri);
    });

    const canRefresh = ctx.clientCapabilities.workspace?.inlayHint?.refreshSupport === true;
    service.onDidChange(() => {
      if (!canRefresh) return;
      ctx.connection.languages.inlayHint.refresh().catch(() => undefined);
    });
  },
};
