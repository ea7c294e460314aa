/**
 * InvalidCopyFrom: `COPY --from` and `RUN --mount=...,from=` sources BuildKit cannot use
 * (dockerfile2llb: toCommand, validateCircularDependency, dispatch, detectRunMount):
 * - a variable (never expanded there: an error);
 * - the stage itself (circular dependency), a stage index out of range;
 * - a stage defined later in the file: BuildKit dispatches stages in file order and stops with
 *   "cannot copy from stage ..., it needs to be defined before current stage" (the classic builder
 *   rejects it too). Only stages the build reaches fail: elsewhere it is a warning;
 * - an invalid image reference;
 * - a bare name that is no stage: BuildKit pulls an image of that name (a warning, with the closest
 *   stage as a fix); mounts take no stage index either.
 */
import type { Stage } from '../semantic/model';
import { reachableStages, stageSources, type StageSource } from '../semantic/stage-graph';
import { defineRule, type Fix, type RuleContext } from './types';
import { replaceFix, suggest } from './util';

export default defineRule({
  meta: {
    id: 'InvalidCopyFrom',
    title: 'Invalid --from source',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3022', 'hadolint:DL3023'],
    upstreamSeverity: 'error',
    fixable: true,
    docs: {
      rationale:
        '`COPY --from` and `RUN --mount from=` take an earlier stage (by name, or by index for COPY) or an image. The builder stops on the current stage itself, a stage defined further down, a variable or a malformed reference; a name that is no stage is pulled as an image, usually a typo.',
      bad: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=biuld /out/app /usr/local/bin/app\n',
      good: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n',
    },
  },
  check(ctx) {
    const reachable = reachableStages(ctx.model);
    for (const stage of ctx.model.stages) {
      for (const src of stageSources(ctx.model, stage)) checkSource(ctx, stage, src, reachable.has(stage));
    }
  },
});

function checkSource(ctx: RuleContext, stage: Stage, src: StageSource, inBuild: boolean): void {
  const what = src.via === 'copy' ? 'COPY --from' : 'RUN --mount from=';
  const t = src.target;
  const stageLabel = (s: Stage) => (s.nameRaw !== undefined ? `"${s.nameRaw}"` : `${s.index}`);
  const closest = (name: string): Stage | undefined => {
    const earlier = ctx.model.stages.filter((s) => s.index < stage.index && s.name !== undefined);
    const g = suggest(name, earlier.map((s) => s.name!));
    return g !== undefined ? [...earlier].reverse().find((s) => s.name === g) : undefined;
  };
  const renameFix = (to: Stage | undefined): Fix[] =>
    to && to.nameRaw !== undefined && src.exact ? [replaceFix(`Change to ${to.nameRaw}`, src.valueRange, to.nameRaw)] : [];

  switch (t.kind) {
    case 'variable':
      ctx.report(
        src.valueRange,
        src.via === 'copy'
          ? `Variable expansion is not supported for --from: declare the ARG before the first FROM, add a stage "FROM ${src.value} AS <name>" and copy from <name>.`
          : `'from' doesn't support variable expansion: declare the ARG before the first FROM, add a stage "FROM ${src.value} AS <name>" and mount from <name>.`,
      );
      return;
    case 'badIndex':
      ctx.report(src.valueRange, `Invalid stage index ${t.index}: the file has ${ctx.model.stages.length} stage${ctx.model.stages.length === 1 ? '' : 's'} (0-${ctx.model.stages.length - 1}).`);
      return;
    case 'invalid':
      ctx.report(src.valueRange, `${what} "${src.value}" is neither a stage nor a valid image reference: ${t.error}.`, { fixes: renameFix(closest(src.value)) });
      return;
    case 'stage': {
      if (t.self) {
        ctx.report(src.valueRange, `${what} ${stageLabel(t.stage)} refers to the stage it is in: circular dependency detected on stage ${stageLabel(stage)}.`);
        return;
      }
      if (t.later) {
        const msg =
          src.via === 'copy'
            ? `Cannot copy from stage ${stageLabel(t.stage)}, it needs to be defined before current stage ${stageLabel(stage)}: move that stage up.`
            : `Cannot mount from stage ${stageLabel(t.stage)}, stage needs to be defined before the current command: move that stage up.`;
        ctx.report(
          src.valueRange,
          inBuild ? msg : `${msg} (Only builds of a target that includes stage ${stageLabel(stage)} fail; the default target does not.)`,
          { severity: inBuild ? undefined : 'warning' },
        );
      }
      return;
    }
    case 'image': {
      if (t.scratch || !t.ref) return;
      if (src.via === 'mount' && /^\d+$/.test(src.value)) {
        const byIndex = ctx.model.stages[Number(src.value)];
        const fix = byIndex && byIndex.index < stage.index ? renameFix(byIndex) : [];
        ctx.report(src.valueRange, `RUN --mount from= takes a stage name, not an index: BuildKit will try to pull the image docker.io/library/${src.value}.`, {
          severity: 'warning',
          fixes: fix,
        });
        return;
      }
      // A bare name that looks like a stage name (no registry, path, tag or digest).
      if (/[/:@.]/.test(src.value)) return;
      const guess = closest(src.value);
      ctx.report(
        src.valueRange,
        `No stage named "${src.value}": the builder will try to pull the image ${t.ref.registry}/${t.ref.repository}` +
          (guess ? `. Did you mean ${guess.nameRaw}?` : ' (or use a build context passed with --build-context).'),
        { severity: 'warning', fixes: renameFix(guess) },
      );
      return;
    }
    default:
      return;
  }
}
