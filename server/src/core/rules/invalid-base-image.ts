/**
 * InvalidBaseImage: a FROM whose base, once its ARGs are expanded, is neither `scratch`, nor an earlier
 * stage, nor a valid image reference (upper-case repository, bad tag or digest, blank). BuildKit
 * matches `scratch` and stage names exactly (stage names are stored lower-cased), so `FROM Build` or
 * `FROM SCRATCH` is parsed as an image name and fails (dockerfile2llb: addState, resolveBaseImage).
 * Bases written with ARGs are left to InvalidDefaultArgInFrom (invalid with the defaults) and
 * UndefinedArgInFrom. `FROM node AS node` is not reported: BuildKit looks the base up before
 * the stage gets its name, so it pulls the image.
 */
import { parseImageRef } from '../semantic/image-ref';
import type { Stage } from '../semantic/model';
import { baseStageOf } from '../semantic/stage-graph';
import { defineRule, type Fix } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'InvalidBaseImage',
    title: 'Invalid base image reference',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'The builder parses the base of every FROM as an image reference unless it is `scratch` or the exact name of an earlier stage. Upper-case repository names, malformed tags or digests and empty names stop the build.',
      bad: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM Build AS test\nFROM Alpine:3.20\n',
      good: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM build AS test\nFROM alpine:3.20\n',
    },
  },
  check(ctx) {
    const { model } = ctx;
    // The most recent stage of each name among the stages before the current one.
    const earlier = new Map<string, Stage>();
    for (const stage of model.stages) {
      if (stage.index > 0) {
        const prev = model.stages[stage.index - 1];
        if (prev.name !== undefined) earlier.set(prev.name, prev);
      }
      const base = stage.base;
      // Bases built from ARGs are InvalidDefaultArgInFrom's (their defaults) and UndefinedArgInFrom's.
      if (stage.from.args.length === 0 || base.unresolved || base.raw.includes('$')) continue;
      const name = base.expanded;
      const literal = base.raw === name;
      const shown = literal ? `"${name}"` : `"${base.raw}" (= "${name}")`;
      if (name === '') {
        ctx.report(base.range, `FROM ${base.raw}: the base name is empty (BuildKit: base name should not be blank).`);
        continue;
      }
      if (name === 'scratch' || baseStageOf(model, stage)) continue;
      if (name.toLowerCase() === 'scratch') {
        ctx.report(base.range, `FROM ${shown}: only lower-case "scratch" means the empty image; this is parsed as an image name and fails (repository name must be lowercase).`, {
          fixes: literal ? [replaceFix('Change to scratch', base.range, 'scratch')] : [],
        });
        continue;
      }
      const lower = name.toLowerCase();
      const stageMatch = earlier.get(lower);
      if (stageMatch) {
        ctx.report(
          base.range,
          `FROM ${shown}: stage names are matched exactly and stored in lower case, so this is parsed as an image name and fails (repository name must be lowercase). Write "${lower}" to use stage "${stageMatch.nameRaw}".`,
          { fixes: literal ? [replaceFix(`Change to ${lower}`, base.range, lower)] : [] },
        );
        continue;
      }
      const error = /^[a-f0-9]{64}$/.test(name) ? `invalid repository name (${name}), cannot specify 64-byte hexadecimal strings` : parseError(name);
      if (!error) continue;
      const fixes: Fix[] = [];
      const repaired = lowerRepository(name);
      if (literal && repaired !== name && parseError(repaired) === undefined) fixes.push(replaceFix(`Change to ${repaired}`, base.range, repaired));
      ctx.report(base.range, `Failed to parse base image ${shown}: invalid reference format: ${error}.`, { fixes });
    }
  },
});

function parseError(name: string): string | undefined {
  const r = parseImageRef(name);
  return r.ok ? undefined : r.error;
}

/** The reference with its repository (not its tag or digest) in lower case. */
function lowerRepository(ref: string): string {
  const at = ref.indexOf('@');
  const beforeDigest = at === -1 ? ref : ref.slice(0, at);
  const colon = beforeDigest.indexOf(':', beforeDigest.lastIndexOf('/') + 1);
  const end = colon === -1 ? beforeDigest.length : colon;
  const repo = ref.slice(0, end);
  // Keep a registry host as written (hosts are case-insensitive and may be upper case).
  const slash = repo.indexOf('/');
  const host = slash !== -1 && /[.:]|^localhost$/.test(repo.slice(0, slash)) ? repo.slice(0, slash + 1) : '';
  return host + repo.slice(host.length).toLowerCase() + ref.slice(end);
}
