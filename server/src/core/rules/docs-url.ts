/** Where a rule's documentation lives: the upstream page for BuildKit and hadolint checks, ours otherwise. */
import type { Rule } from './types';

/** Documentation of our own rules, served by the extension (a URI handler) and written to docs/rules. */
export const OWN_DOCS_BASE = 'vscode://dockwright.dockwright/rule/';

function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export function ruleSlug(id: string): string {
  return kebab(id);
}

export function ruleDocUrl(rule: Rule): string {
  const bk = rule.meta.equivalents.find((e) => e.startsWith('buildkit:'));
  if (bk) return `https://docs.docker.com/reference/build-checks/${kebab(bk.slice('buildkit:'.length))}/`;
  const dl = rule.meta.equivalents.find((e) => e.startsWith('hadolint:'));
  if (dl) return `https://github.com/hadolint/hadolint/wiki/${dl.slice('hadolint:'.length)}`;
  const sc = rule.meta.equivalents.find((e) => e.startsWith('shellcheck:'));
  if (sc) return `https://www.shellcheck.net/wiki/${sc.slice('shellcheck:'.length)}`;
  return OWN_DOCS_BASE + kebab(rule.meta.id);
}
