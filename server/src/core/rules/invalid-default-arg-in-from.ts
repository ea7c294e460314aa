/** InvalidDefaultArgInFrom: BuildKit's check that FROM gives a valid image with the ARG defaults alone. */
import { expand } from '../semantic/expand';
import { parseImageRef } from '../semantic/image-ref';
import { defineRule } from './types';

/**
 * What BuildKit's predefined platform ARGs hold during a check: the builder's platform (a typical
 * linux/amd64 host here, whose variant is empty).
 */
const PLATFORM_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['TARGETPLATFORM', 'linux/amd64'],
  ['TARGETOS', 'linux'],
  ['TARGETARCH', 'amd64'],
  ['TARGETVARIANT', ''],
  ['BUILDPLATFORM', 'linux/amd64'],
  ['BUILDOS', 'linux'],
  ['BUILDARCH', 'amd64'],
  ['BUILDVARIANT', ''],
]);

export default defineRule({
  meta: {
    id: 'InvalidDefaultArgInFrom',
    title: 'Default value for global ARG results in an empty or invalid base image name',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:InvalidDefaultArgInFrom'],
    fixable: false,
    docs: {
      rationale:
        'When a FROM image is built from global ARGs, the Dockerfile should still build without any `--build-arg`: with the defaults alone, `FROM node:$NODE_VERSION` with `ARG NODE_VERSION` (no default) becomes `node:`, which is not an image reference. Give the ARG a default value.',
      bad: 'ARG NODE_VERSION\nFROM node:${NODE_VERSION}-alpine\n',
      good: 'ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n',
    },
  },
  check(ctx) {
    // BuildKit builds the global ARGs from their defaults only (no build arguments), in order.
    const values = new Map(PLATFORM_DEFAULTS);
    const lookup = (name: string) => values.get(name);
    for (const decl of ctx.model.globalArgs) {
      if (decl.pair?.value === undefined) continue;
      const ex = expand(decl.pair.value, lookup, ctx.ast.escape);
      if (ex.error) return; // BuildKit gives up the check; the build fails on the ARG anyway.
      values.set(decl.name, ex.words.join(' '));
    }
    for (const stage of ctx.model.stages) {
      const raw = stage.base.raw;
      if (!raw.includes('$')) continue; // a literal invalid name is a plain build error, reported elsewhere
      const ex = expand(raw, lookup, ctx.ast.escape);
      if (ex.error) return;
      const name = ex.words.join(' ');
      const ref = parseImageRef(name);
      if (ref.ok) continue;
      const unset = [...new Set(ex.uses.filter((u) => !values.has(u.name) || values.get(u.name) === '').map((u) => u.name))];
      const cause = unset.length > 0 ? ` (${unset.map((n) => `${n} is ${values.has(n) ? 'empty' : 'unset'}`).join(', ')})` : '';
      const result = name === '' ? 'an empty image name' : `"${name}", which is not a valid image reference`;
      ctx.report(stage.base.range, `With the default values of the global ARGs${cause}, "${raw}" expands to ${result}: give the ARG a default so that the Dockerfile builds without --build-arg.`);
    }
  },
});
