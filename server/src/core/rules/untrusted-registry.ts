/**
 * UntrustedRegistry: an image pulled from a registry that is not in the configured list of trusted
 * registries (hadolint DL3026, `trustedRegistries`). Off while the list is empty.
 */
import type { ImageRef } from '../semantic/image-ref';
import { parseMount } from '../semantic/mount';
import type { Span } from '../syntax/ast';
import { defineRule, type RuleContext } from './types';
import { expandInScope } from './util';

const DOCKER_HUB = new Set(['docker.io', 'hub.docker.com', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export default defineRule({
  meta: {
    id: 'UntrustedRegistry',
    title: 'Image from a registry that is not trusted',
    category: 'security',
    severity: 'warning',
    upstreamSeverity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3026'],
    fixable: false,
    docs: {
      rationale:
        'When the organisation lists the registries it trusts (`trustedRegistries`), every base image, and every image that COPY --from or RUN --mount from= reads, should come from one of them. The rule does nothing until the list is configured.',
      bad: '# Configured: trustedRegistries: [ghcr.io]\nFROM quay.io/prometheus/busybox:latest\n',
      good: '# Configured: trustedRegistries: [ghcr.io]\nFROM ghcr.io/acme/base:1.4\n',
    },
  },
  check(ctx) {
    const trusted = (ctx.options.trustedRegistries ?? []).map((r) => r.trim().toLowerCase()).filter(Boolean);
    if (trusted.length === 0) return;
    for (const stage of ctx.model.stages) {
      const base = stage.base;
      if (base.stage || base.scratch || base.unresolved || !base.image) continue;
      checkRef(ctx, trusted, base.image, base.range, base.raw === base.expanded && base.range.end - base.range.start === base.raw.length);
    }
    // Images read by COPY --from and RUN --mount from= are pulled from a registry as well.
    for (const ins of ctx.ast.instructions) {
      if (ins.trigger) continue;
      const from = ctx.model.copyFrom(ins);
      const flag = ins.flags.find((f) => f.name === 'from');
      if (from?.kind === 'image' && flag?.valueRange && flag.value !== undefined) {
        const literal = expandInScope(ctx.model, ins, flag.value) === flag.value && flag.rawValue === flag.value;
        checkRef(ctx, trusted, from.ref, flag.valueRange, literal);
      }
      if (ins.keyword !== 'RUN') continue;
      for (const f of ins.flags) {
        if (f.name !== 'mount' || f.value === undefined) continue;
        const opt = parseMount(ins, f).options.find((o) => o.key === 'from');
        if (!opt?.value || !opt.valueRange) continue;
        const value = opt.value.includes('$') ? expandInScope(ctx.model, ins, opt.value) : opt.value;
        if (value === undefined) continue;
        const t = ctx.model.fromTarget(ins, value, opt.range);
        if (t.kind === 'image') checkRef(ctx, trusted, t.ref, opt.valueRange, value === opt.value);
      }
    }
  },
});

/** Whether `registry` (normalised, `docker.io` for Docker Hub) matches an entry: exact, `*`, or `*.example.com`. */
export function isTrusted(registry: string, trusted: readonly string[]): boolean {
  const r = registry.toLowerCase();
  return trusted.some((t) => t === '*' || t === r || (DOCKER_HUB.has(t) && r === 'docker.io') || (t.startsWith('*.') && r.endsWith(t.slice(1))));
}

function checkRef(ctx: RuleContext, trusted: readonly string[], ref: ImageRef, range: Span, literal: boolean): void {
  if (isTrusted(ref.registry, trusted)) return;
  // Underline the registry host when it is written at the start of the word.
  let at = range;
  if (literal && ref.raw.toLowerCase().startsWith(ref.registry.toLowerCase() + '/')) at = { start: range.start, end: range.start + ref.registry.length };
  const name = ref.registry === 'docker.io' ? 'Docker Hub (docker.io)' : `"${ref.registry}"`;
  ctx.report(at, `${ref.familiar} comes from ${name}, which is not a trusted registry (trusted: ${trusted.join(', ')}).`);
}
