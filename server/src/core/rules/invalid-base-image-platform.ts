/**
 * InvalidBaseImagePlatform: BuildKit's warning when the base image does not provide the platform the
 * stage is built for. BuildKit compares the pulled image's platform with the expected one; here that
 * needs image metadata from the host, plus one case that is certain from the names alone.
 */
import { expand } from '../semantic/expand';
import type { Stage } from '../semantic/model';
import { defineRule, type RuleContext, type RuleOptions } from './types';
import { formatPlatform, parsePlatform, type PlatformSpec } from './util';

/**
 * Image metadata a host may pass in the rule options (a host that resolves registries or reads the
 * local image store). Without it only the name-based check runs.
 */
export interface ImagePlatformOptions {
  /** Platforms (`os/arch[/variant]`) each base image provides, keyed by the image reference as written after ARG expansion. */
  readonly imagePlatforms?: Readonly<Record<string, readonly string[]>>;
  /** Platform the build targets (BuildKit's default: the builder's own platform). */
  readonly targetPlatform?: string;
  /** Platform of the builder, for `$BUILDPLATFORM`. */
  readonly buildPlatform?: string;
}

/** Images that exist only for Windows: Microsoft's Windows base images and the official `*-nanoserver` / `*-windowsservercore` tags. */
function windowsOnly(stage: Stage): boolean {
  const ref = stage.base.image;
  if (!ref) return false;
  if (ref.registry === 'mcr.microsoft.com' && /^windows(\/|$)/.test(ref.repository)) return true;
  return ref.tag !== undefined && /(^|-)(nanoserver|windowsservercore|servercore)(-|$)/i.test(ref.tag);
}

export default defineRule({
  meta: {
    id: 'InvalidBaseImagePlatform',
    title: 'Base image platform does not match expected target platform',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:InvalidBaseImagePlatform'],
    fixable: false,
    docs: {
      rationale:
        "When a base image is not available for the platform a stage is built for, the builder pulls another platform's image (which then runs under emulation or fails) or stops with \"no match for platform in manifest\". BuildKit checks this against the registry. Statically, Dockwright reports the case that is certain from the names: a Windows-only image (mcr.microsoft.com/windows/*, `*-nanoserver*` and `*-windowsservercore*` tags) in a stage whose constant `--platform` is not Windows. A host that knows the platforms of each image can pass them as the `imagePlatforms` rule option (with `targetPlatform` and `buildPlatform`) to get BuildKit's full check.",
      bad: 'FROM --platform=linux/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe /app/\n',
      good: 'FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe /app/\n',
    },
  },
  check(ctx) {
    const opts = ctx.options as RuleOptions & ImagePlatformOptions;
    for (const stage of ctx.model.stages) {
      if (!stage.base.image || stage.base.stage || stage.base.scratch || stage.base.unresolved) continue;
      const expected = expectedPlatform(ctx, stage, opts);
      const provided = opts.imagePlatforms?.[stage.base.expanded] ?? opts.imagePlatforms?.[stage.base.raw];
      if (provided && expected && expected.arch !== undefined) {
        const platforms = provided.map(parsePlatform).filter((p): p is PlatformSpec => p !== undefined);
        if (platforms.length > 0 && !platforms.some((p) => p.os === expected.os && p.arch === expected.arch)) {
          ctx.report(stage.base.range, `Base image ${stage.base.expanded} is available for ${platforms.map(formatPlatform).join(', ')}, not for ${formatPlatform(expected)}, the platform this stage is built for.`);
        }
        continue;
      }
      if (expected && expected.os !== 'windows' && windowsOnly(stage)) {
        const why = stage.platform ? ` (--platform=${stage.platform.raw})` : '';
        ctx.report(stage.base.range, `Base image ${stage.base.expanded} is a Windows image, but the stage is built for ${formatPlatform(expected)}${why}: the image has no ${expected.os} variant.`);
      }
    }
  },
});

/** The platform a stage is built for: its `--platform` (with the platform ARGs the host knows), else the target. */
function expectedPlatform(ctx: RuleContext, stage: Stage, opts: ImagePlatformOptions): PlatformSpec | undefined {
  if (!stage.platform) return opts.targetPlatform ? parsePlatform(opts.targetPlatform) : undefined;
  const known = new Map<string, string | undefined>([
    ['TARGETPLATFORM', opts.targetPlatform],
    ['BUILDPLATFORM', opts.buildPlatform],
  ]);
  for (const d of ctx.model.globalArgs) if (d.pair?.value !== undefined) known.set(d.name, d.value);
  let unknown = false;
  const ex = expand(stage.platform.raw, (name) => {
    const v = known.get(name);
    if (v === undefined) unknown = true;
    return v;
  }, ctx.ast.escape);
  if (ex.error || unknown) return undefined;
  return parsePlatform(ex.words.join(' '));
}
