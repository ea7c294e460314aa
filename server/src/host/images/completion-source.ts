/**
 * Image names and tags for completion, through completion's `ImageCompletionSource` seam: names of popular
 * official images (completion's own list, then the bundled size table) and of images in the local engine;
 * tags of a named repository from its registry's tag list (fetched in the background, cached), merged with
 * the tags the bundled data knows. Answers never wait long: what is not known yet is reported as pending,
 * so the editor asks again while the user types.
 */
import { BUILTIN_IMAGE_SOURCE, type ImageCompletionSource, type ImageQuery, type ImageSuggestion } from '../../core/features/completion';
import { IMAGE_SIZES } from '../../core/data/image-sizes';
import { parseImageRef } from '../../core/semantic/image-ref';
import type { ImageService } from './service';

/** An image source that can say its answer is still being fetched (the editor should ask again). */
export interface PendingAwareImageSource extends ImageCompletionSource {
  pending?(query: ImageQuery): boolean;
}

const MAX_TAGS = 300;
/** How long completion may wait for the local engine's image list (it is cached afterwards). */
const LOCAL_LIST_BUDGET_MS = 300;

function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(fallback);
      },
    );
  });
}

/** Compares tags so that newer versions come first (`3.13` before `3.12`, `3.12` before `3.12-slim`). */
export function compareTags(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(y) - Number(x);
    if (x === '') return -1;
    if (y === '') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function imageCompletionSource(service: ImageService): PendingAwareImageSource {
  const repoOf = (repository: string) => {
    const r = parseImageRef(repository.toLowerCase());
    return r.ok ? r.ref : undefined;
  };
  return {
    async images(prefix) {
      const p = prefix.toLowerCase();
      const out: ImageSuggestion[] = [...(await BUILTIN_IMAGE_SOURCE.images(prefix))];
      const seen = new Set(out.map((s) => s.label));
      for (const name of Object.keys(IMAGE_SIZES.images).sort()) {
        if (seen.has(name) || (p && !name.includes(p))) continue;
        seen.add(name);
        const tags = Object.keys(IMAGE_SIZES.images[name]).sort(compareTags);
        out.push({ label: name, detail: 'official image', documentation: `Tags include: ${tags.slice(0, 8).map((t) => `\`${t}\``).join(', ')}` });
      }
      const local = await within(service.localImages(), LOCAL_LIST_BUDGET_MS, [] as string[]);
      for (const name of local) {
        if (seen.has(name) || (p && !name.toLowerCase().includes(p))) continue;
        seen.add(name);
        out.push({ label: name, detail: 'local engine', documentation: `\`${name}\` is in the local Docker engine.` });
      }
      return out;
    },
    async tags(repository, prefix) {
      const ref = repoOf(repository);
      if (!ref) return [];
      const builtin = await BUILTIN_IMAGE_SOURCE.tags(repository, prefix);
      const table = Object.keys(IMAGE_SIZES.images[ref.familiar] ?? {}).filter((t) => t.startsWith(prefix)).sort(compareTags);
      const known = service.tags(ref.registry, ref.repository);
      const out: ImageSuggestion[] = [];
      const seen = new Set<string>();
      const add = (s: ImageSuggestion) => {
        if (seen.has(s.label) || out.length >= MAX_TAGS) return;
        seen.add(s.label);
        out.push(s);
      };
      for (const s of builtin) add(s);
      for (const t of table) add({ label: t, detail: `${ref.familiar}:${t}` });
      const remote = (known.tags ?? []).filter((t) => t.startsWith(prefix)).sort(compareTags);
      for (const t of remote) add({ label: t, detail: `${ref.familiar}:${t} (registry)` });
      return out;
    },
    pending(query: ImageQuery) {
      if (query.kind !== 'tags') return false;
      const ref = repoOf(query.repository);
      return ref ? service.tags(ref.registry, ref.repository).pending !== undefined : false;
    },
  };
}
