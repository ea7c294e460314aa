/**
 * Document links: image references in FROM, `COPY --from` and `RUN --mount=...,from=` open the image's
 * page on its registry (Docker Hub, GHCR, Quay, MCR, GCR, ECR Public). Stage names, unresolved references
 * and registries without a public web page get no link. Pure.
 */
import type { Analysis } from '../analyze';
import type { Span } from '../syntax/ast';
import type { ImageRef } from '../semantic/image-ref';
import { parseMount } from '../semantic/mount';

export interface DocumentLinkData {
  readonly range: Span;
  readonly target: string;
  readonly tooltip: string;
}

/** The web page of an image's repository, when its registry has one. */
export function imagePageUrl(ref: ImageRef): { url: string; site: string } | undefined {
  const repo = ref.repository;
  const registry = ref.registry.toLowerCase();
  if (registry === 'docker.io') {
    return repo.startsWith('library/') && repo.split('/').length === 2
      ? { url: `https://hub.docker.com/_/${repo.slice('library/'.length)}`, site: 'Docker Hub' }
      : { url: `https://hub.docker.com/r/${repo}`, site: 'Docker Hub' };
  }
  if (registry === 'ghcr.io') return { url: `https://ghcr.io/${repo}`, site: 'GitHub Container Registry' };
  if (registry === 'quay.io') return { url: `https://quay.io/repository/${repo}`, site: 'Quay' };
  if (registry === 'mcr.microsoft.com') return { url: `https://mcr.microsoft.com/artifact/mar/${repo}`, site: 'Microsoft Artifact Registry' };
  if (registry === 'gcr.io' || registry.endsWith('.gcr.io')) return { url: `https://${registry}/${repo}`, site: 'Google Container Registry' };
  if (registry === 'public.ecr.aws') return { url: `https://gallery.ecr.aws/${repo}`, site: 'Amazon ECR Public Gallery' };
  return undefined;
}

/** Links for every image reference of the file, in document order. */
export function documentLinks(analysis: Analysis): DocumentLinkData[] {
  const model = analysis.model;
  const out: DocumentLinkData[] = [];
  const add = (range: Span, ref: ImageRef) => {
    const page = imagePageUrl(ref);
    if (page && range.end > range.start) out.push({ range, target: page.url, tooltip: `Open ${ref.familiar} on ${page.site}` });
  };
  for (const st of model.stages) {
    const b = st.base;
    if (b.image && !b.unresolved && !b.stage) add(b.range, b.image);
  }
  for (const ins of analysis.ast.instructions) {
    const target = ins.trigger ?? ins;
    if (target.keyword === 'COPY') {
      const t = model.copyFrom(ins);
      const flag = target.flags.find((f) => f.name === 'from');
      if (t?.kind === 'image' && flag?.valueRange) add(flag.valueRange, t.ref);
    } else if (target.keyword === 'RUN') {
      for (const f of target.flags) {
        if (f.name !== 'mount' || f.value === undefined) continue;
        const from = parseMount(target, f).options.find((o) => o.key === 'from');
        if (!from?.value || !from.valueRange || from.value.includes('$')) continue;
        const t = model.fromTarget(ins, from.value, from.range);
        if (t.kind === 'image') add(from.valueRange, t.ref);
      }
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}
