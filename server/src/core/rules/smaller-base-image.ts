/**
 * SmallerBaseImage: the final image is built on a full variant (python:3.12, node:22, nginx:1.27...) when a
 * smaller variant of the same image and version would do (python:3.12-slim, nginx:1.27-alpine). Sizes come
 * from the bundled table only (core/data/image-sizes.ts), so the rule stays pure and deterministic, and it
 * never suggests a variant the table does not list.
 *
 * It knows the caveats: slim variants lack compilers, git, curl and wget, so a stage that installs build
 * tools (build-essential, gcc, -dev packages) or runs such tools without installing them keeps its image;
 * alpine is musl, not glibc, and has no apt, so a stage that uses apt gets no alpine suggestion, and an
 * alpine suggestion says what musl means. For build toolchains (golang, rust, the .NET SDK, a JDK) the
 * advice is a multi-stage build onto a minimal runtime, as text: that is a rewrite, not an edit.
 * Only stages that end up in a build result are considered: a builder stage's size does not ship.
 */
import { defineRule, type Fix, type RuleContext } from './types';
import type { Stage } from '../semantic/model';
import type { ImageRef } from '../semantic/image-ref';
import { IMAGE_SIZES } from '../data/image-sizes';
import { imageStages, runPackageCommands, runScripts, type RunPackageCommand, type RunScripts } from './util';
import type { SemanticModel } from '../semantic/model';
import type { Instruction } from '../syntax/ast';
import { commandName, effectiveCommand } from '../shell/index';
import { canonicalPlatform, parsePlatform } from '../features/image-info';

/** Only suggest what saves at least this much, absolutely and relatively. */
const MIN_SAVING_MB = 10;
const MIN_SAVING_RATIO = 0.25;

/** Tools the full (buildpack-deps based) images have and slim/alpine variants lack. */
const FULL_ONLY_TOOLS = new Set(['gcc', 'g++', 'cc', 'c++', 'make', 'cmake', 'git', 'curl', 'wget', 'ssh', 'scp', 'svn', 'hg', 'autoconf', 'automake', 'libtool', 'pkg-config', 'patch', 'bzr', 'xz', 'unzip', 'gpg', 'file']);

/** apt packages that mean "this stage compiles native code". */
const BUILD_PACKAGES = /^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|clang(-\d+)?|make|cmake|autoconf|automake|libtool|pkg-config|.+-dev)$/;

const APT = new Set(['apt-get', 'apt', 'aptitude']);

interface Toolchain {
  readonly what: string;
  /** Runtime images to suggest (each must be in the table to be named). */
  readonly runtimes: (tag: string) => string[];
  readonly how: string;
}

const TOOLCHAINS: Readonly<Record<string, Toolchain>> = {
  golang: {
    what: 'the Go toolchain',
    runtimes: () => ['gcr.io/distroless/static-debian12:latest', 'alpine:3.22'],
    how: 'build the binary in this stage (with CGO_ENABLED=0 it needs no libc), then copy it into a second stage',
  },
  rust: {
    what: 'the Rust toolchain',
    runtimes: () => ['gcr.io/distroless/cc-debian12:latest', 'debian:bookworm-slim'],
    how: 'build with `cargo build --release` in this stage, then copy the binary into a second stage',
  },
  'mcr.microsoft.com/dotnet/sdk': {
    what: 'the .NET SDK',
    runtimes: (tag) => [`mcr.microsoft.com/dotnet/aspnet:${versionOf(tag)}`, `mcr.microsoft.com/dotnet/runtime:${versionOf(tag)}`],
    how: 'run `dotnet publish` in this stage, then copy the output into a second stage',
  },
  'eclipse-temurin': {
    what: 'a full JDK',
    runtimes: (tag) => [`eclipse-temurin:${versionOf(tag)}-jre`, `eclipse-temurin:${versionOf(tag)}-jre-alpine`],
    how: 'compile and package in this stage, then copy the jar into a second stage',
  },
};

function versionOf(tag: string): string {
  return tag.split('-')[0];
}

function isFullTag(tag: string): boolean {
  return !/(slim|alpine|distroless|chiseled|minimal|musl|uclibc|nonroot)/.test(tag);
}

/** Same image and version, smaller flavour: `3.12` -> `3.12-slim`, `3.12-bookworm` -> `3.12-slim-bookworm`. */
function candidateTags(tag: string): string[] {
  const out: string[] = [];
  if (tag === 'latest') out.push('slim', 'alpine');
  const codename = /^(.*?)-?(bookworm|bullseye|trixie)$/.exec(tag);
  if (codename && codename[1]) out.push(`${codename[1]}-slim-${codename[2]}`, `${codename[1]}-${codename[2]}-slim`);
  out.push(`${tag}-slim`, `${tag}-alpine`);
  return [...new Set(out)];
}

function sizeMB(image: string, tag: string, column: number): number | undefined {
  const tags = IMAGE_SIZES.images[image];
  if (!tags || !Object.prototype.hasOwnProperty.call(tags, tag)) return undefined;
  const v = tags[tag][column as 0 | 1];
  return v === null ? undefined : v;
}

function splitImage(ref: string): { image: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return { image: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

function mb(n: number): string {
  return n >= 100 ? `${Math.round(n)} MB` : `${Math.round(n * 10) / 10} MB`;
}

interface StageUse {
  readonly apt: boolean;
  readonly buildPackages: readonly string[];
  /** Tools run but never installed (they come with the full image). */
  readonly borrowedTools: readonly string[];
}

/** The RUNs' package commands and scripts by instruction, to read a few stages without going through the file. */
interface RunIndex {
  readonly packages: ReadonlyMap<Instruction, RunPackageCommand[]>;
  readonly scripts: ReadonlyMap<Instruction, RunScripts>;
}

function runIndex(model: SemanticModel): RunIndex {
  const packages = new Map<Instruction, RunPackageCommand[]>();
  for (const rp of runPackageCommands(model)) {
    const list = packages.get(rp.ins);
    if (list) list.push(rp);
    else packages.set(rp.ins, [rp]);
  }
  return { packages, scripts: new Map(runScripts(model).map((r) => [r.ins, r])) };
}

/** The stage and every stage built on it (directly or not), in file order. */
function descendantsOf(model: SemanticModel, stage: Stage): Stage[] {
  const out = new Set<Stage>([stage]);
  // A stage's base comes before it.
  for (let i = stage.index + 1; i < model.stages.length; i++) {
    const s = model.stages[i];
    if (s.base.stage && out.has(s.base.stage)) out.add(s);
  }
  return [...out];
}

/** What the stage, and the stages built on it, do with the base's tools. */
function stageUse(stages: readonly Stage[], index: RunIndex): StageUse {
  // Stages are in file order, so are their instructions: the RUNs are read in the order of the file.
  const own = stages.flatMap((s) => s.instructions);
  let apt = false;
  const buildPackages: string[] = [];
  const installed = new Set<string>();
  for (const { pc } of own.flatMap((ins) => index.packages.get(ins) ?? [])) {
    if (APT.has(pc.manager)) apt = true;
    if (pc.action !== 'install' && pc.action !== 'add') continue;
    for (const p of pc.packages) {
      installed.add(p.name);
      if (APT.has(pc.manager) && BUILD_PACKAGES.test(p.name)) buildPackages.push(p.name);
    }
  }
  if (installed.has('build-essential')) for (const t of ['gcc', 'g++', 'cc', 'c++', 'make']) installed.add(t);
  const borrowed = new Set<string>();
  for (const ins of own) {
    const run = index.scripts.get(ins);
    if (!run) continue;
    for (const s of run.scripts) {
      for (const cmd of s.script.commands) {
        const eff = effectiveCommand(cmd);
        const name = eff ? commandName(eff.name) : '';
        if (FULL_ONLY_TOOLS.has(name) && !installed.has(name)) borrowed.add(name);
      }
    }
  }
  return { apt, buildPackages, borrowedTools: [...borrowed].sort() };
}

export default defineRule({
  meta: {
    id: 'SmallerBaseImage',
    title: 'A smaller variant of the base image would do',
    category: 'image',
    severity: 'info',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'Full variants of official images carry compilers, headers and tools most images never use: python:3.12 is about ten times the size of python:3.12-slim. A smaller base pulls faster, stores cheaper and has fewer packages to patch. Sizes come from the bundled table of popular official images; alpine is musl, not glibc, and slim has no build tools, so those are only suggested where the stage does not need what they lack.',
      bad: 'FROM python:3.12\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n',
      good: 'FROM python:3.12-slim\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n',
    },
  },
  check(ctx) {
    const model = ctx.model;
    const shipped = imageStages(model);
    let index: RunIndex | undefined;
    for (const stage of model.stages) {
      const base = stage.base;
      const ref = base.image;
      if (!ref || base.stage || base.scratch || base.unresolved || ref.digest !== undefined) continue;
      if (!shipped.has(stage)) continue;
      const tag = ref.tag ?? 'latest';
      if (!isFullTag(tag)) continue;
      const platform = stage.platform && !stage.platform.unresolved && parsePlatform(stage.platform.expanded) ? canonicalPlatform(stage.platform.expanded) : IMAGE_SIZES.platforms[0];
      const column = IMAGE_SIZES.platforms.indexOf(platform);
      if (column === -1) continue;
      const current = sizeMB(ref.familiar, tag, column);
      if (current === undefined) continue;
      const toolchain = TOOLCHAINS[ref.familiar];
      if (toolchain) {
        if (ref.familiar === 'eclipse-temurin' && /jre/.test(tag)) continue;
        reportToolchain(ctx, stage, ref, tag, current, column, platform, toolchain);
        continue;
      }
      const use = stageUse(descendantsOf(model, stage), (index ??= runIndex(model)));
      const fits: { tag: string; size: number; kind: 'slim' | 'alpine' }[] = [];
      for (const cand of candidateTags(tag)) {
        const size = sizeMB(ref.familiar, cand, column);
        if (size === undefined) continue;
        if (current - size < MIN_SAVING_MB || (current - size) / current < MIN_SAVING_RATIO) continue;
        const kind = cand.includes('alpine') ? 'alpine' : 'slim';
        if (use.buildPackages.length > 0 || use.borrowedTools.length > 0) continue;
        if (kind === 'alpine' && use.apt) continue;
        if (!fits.some((f) => f.tag === cand)) fits.push({ tag: cand, size, kind });
      }
      if (fits.length === 0) continue;
      // Prefer a glibc variant: it runs the same binaries and wheels; alpine is offered as the alternative.
      fits.sort((a, b) => (a.kind === b.kind ? a.size - b.size : a.kind === 'slim' ? -1 : 1));
      const best = fits[0];
      const name = `${ref.familiar}:${tag}`;
      const on = platform === IMAGE_SIZES.platforms[0] ? '' : ` for ${platform}`;
      let message = `${name} is about ${mb(current)} compressed${on}; ${ref.familiar}:${best.tag} is about ${mb(best.size)}, saving about ${mb(current - best.size)}.`;
      message += best.kind === 'slim' ? ' slim has no compilers, headers, git or curl: fine for a stage that only copies files and runs the program.' : ' alpine uses musl instead of glibc: binaries and Python wheels built for glibc may not run, and packages come from apk.';
      const alpine = fits.find((f) => f.kind === 'alpine' && f !== best);
      if (alpine) message += ` ${ref.familiar}:${alpine.tag} (about ${mb(alpine.size)}) is smaller still, but is musl-based.`;
      message += ` (Sizes: bundled table, ${IMAGE_SIZES.measured ? 'measured' : 'estimates'} of ${IMAGE_SIZES.date}.)`;
      const fixes: Fix[] = [];
      const literal = base.raw === base.expanded && base.range.end - base.range.start === base.raw.length;
      if (literal) {
        for (const f of fits) {
          const newText = ref.tagStart !== undefined ? base.raw.slice(0, ref.tagStart) + f.tag : `${base.raw}:${f.tag}`;
          fixes.push({ title: `Use ${ref.familiar}:${f.tag} (saves about ${mb(current - f.size)}${f.kind === 'alpine' ? '; musl, not glibc' : ''})`, edits: [{ range: base.range, newText }], preferred: false });
        }
      }
      ctx.report(base.range, message, { fixes });
    }
  },
});

function reportToolchain(
  ctx: RuleContext,
  stage: Stage,
  ref: ImageRef,
  tag: string,
  current: number,
  column: number,
  platform: string,
  toolchain: Toolchain,
): void {
  const runtimes = toolchain
    .runtimes(tag)
    .map((r) => ({ r, ...splitImage(r) }))
    .map((x) => ({ ref: x.r.endsWith(':latest') ? x.image : x.r, size: sizeMB(x.image, x.tag, column) }))
    .filter((x): x is { ref: string; size: number } => x.size !== undefined && current - x.size >= MIN_SAVING_MB);
  if (runtimes.length === 0) return;
  const first = runtimes[0];
  const others = runtimes.slice(1).map((x) => `${x.ref} (about ${mb(x.size)})`);
  const stageName = stage.nameRaw ?? 'build';
  const on = platform === IMAGE_SIZES.platforms[0] ? '' : ` for ${platform}`;
  ctx.report(
    stage.base.range,
    `${ref.familiar}:${tag} (about ${mb(current)} compressed${on}) ships ${toolchain.what} in the final image. Make it a build stage instead: ${toolchain.how} that starts \`FROM ${first.ref}\` (about ${mb(first.size)})${others.length ? ` or ${others.join(' or ')}` : ''} with \`COPY --from=${stageName} ...\`${stage.nameRaw ? '' : ' (after naming this stage `AS build`)'}. (Sizes: bundled table, ${IMAGE_SIZES.measured ? 'measured' : 'estimates'} of ${IMAGE_SIZES.date}.)`,
  );
}
