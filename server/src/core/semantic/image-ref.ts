/**
 * Image references (`[registry/]repository[:tag][@digest]`) parsed with the grammar of the
 * distribution reference library, normalised the way Docker normalises them.
 */

export interface ImageRef {
  readonly raw: string;
  /** Registry host, `docker.io` when none is written. */
  readonly registry: string;
  /** Full repository path, with `library/` for official Docker Hub images. */
  readonly repository: string;
  /** The name as people write it (`python`, `ghcr.io/org/app`). */
  readonly familiar: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
  /** Offsets of the parts inside `raw`. */
  readonly tagStart: number | undefined;
  readonly digestStart: number | undefined;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; error: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export function parseImageRef(raw: string): ImageRefResult {
  if (raw.length === 0) return { ok: false, error: 'empty image reference' };
  if (raw.length > 4096) return { ok: false, error: 'image reference is too long' };
  let rest = raw;
  let digest: string | undefined;
  let digestStart: number | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    digestStart = at + 1;
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, error: `invalid digest "${digest}"` };
  }
  let tag: string | undefined;
  let tagStart: number | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    tagStart = colon + 1;
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, error: `invalid tag "${tag}"` };
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  let pathParts = parts;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    if (!DOMAIN.test(parts[0])) return { ok: false, error: `invalid registry "${parts[0]}"` };
    registry = parts[0];
    pathParts = parts.slice(1);
  }
  if (pathParts.length === 0 || pathParts.some((c) => c.length === 0)) return { ok: false, error: 'invalid repository name' };
  for (const c of pathParts) {
    if (!COMPONENT.test(c)) {
      if (c !== c.toLowerCase()) return { ok: false, error: `repository name must be lowercase: "${rest}"` };
      return { ok: false, error: `invalid repository name component "${c}"` };
    }
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  let repository = pathParts.join('/');
  if (registry === 'docker.io' && pathParts.length === 1) repository = 'library/' + repository;
  const familiar = registry === 'docker.io' ? repository.replace(/^library\//, '') : `${registry}/${repository}`;
  if (rest.length > 255) return { ok: false, error: 'repository name must not be more than 255 characters' };
  return { ok: true, ref: { raw, registry, repository, familiar, tag, digest, tagStart, digestStart } };
}
