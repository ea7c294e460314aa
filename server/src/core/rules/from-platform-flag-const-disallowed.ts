/** FromPlatformFlagConstDisallowed: BuildKit's check for a constant `FROM --platform` value. */
import { expand } from '../semantic/expand';
import { defineRule } from './types';
import { formatPlatform, parsePlatform } from './util';

export default defineRule({
  meta: {
    id: 'FromPlatformFlagConstDisallowed',
    title: 'FROM --platform flag should not use a constant value',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:FromPlatformFlagConstDisallowed', 'hadolint:DL3029'],
    fixable: false,
    docs: {
      rationale:
        'A constant `--platform` pins the stage to one platform whatever the build asks for, so a multi-platform build (or a build on another machine) silently gets a foreign-architecture stage, run under emulation or shipped in the wrong image. Use `$BUILDPLATFORM` for stages that only run build tools, or leave the flag out. As in BuildKit, a stage whose name contains the OS or architecture (`AS build-amd64`) is taken as deliberately platform-specific.',
      bad: 'FROM --platform=linux/amd64 golang:1.22 AS build\nRUN go build -o /out/app .\n',
      good: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build -o /out/app .\n',
    },
  },
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      if (!flag || flag.value === undefined || !flag.valueRange) continue;
      const ex = expand(flag.value, () => undefined, ctx.ast.escape);
      if (ex.error || ex.uses.length > 0) continue;
      const value = ex.words.join(' ');
      const p = parsePlatform(value);
      if (!p) continue;
      const name = stage.name ?? '';
      if (name.includes(p.os) || (p.arch !== undefined && name.includes(p.arch))) continue;
      ctx.report(flag.valueRange, `FROM --platform should not use the constant value "${value}": the stage is always built for ${formatPlatform(p)}, whatever platform the build targets. Use $BUILDPLATFORM or $TARGETPLATFORM, or name the stage after the platform.`);
    }
  },
});
