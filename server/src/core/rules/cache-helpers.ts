/**
 * Helpers shared by the layer-cache rules (category 'cache'): which RUN commands install dependencies from
 * manifests (npm/yarn/pnpm, pip/poetry/pipenv/uv, go, cargo, maven/gradle, bundler, composer, dotnet), the
 * manifests and lockfiles each reads, the package caches each writes, and the working directory and
 * COPY destinations of a stage. Not a rule (no `defineRule`): gen-rule-index skips it.
 *
 * Pure. Must not: decide what to report (the rules do).
 */
import type { Instruction, Word } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';
import { commandName, effectiveCommand, scriptsOf, type InstructionScript } from '../shell/index';
import type { ShCommand, ShWord } from '../shell/types';
import { packageCommand } from '../semantic/packages';
import { cleanPath, expandInScope } from './util';

export type Ecosystem = 'npm' | 'yarn' | 'pnpm' | 'pip' | 'poetry' | 'pipenv' | 'uv' | 'go' | 'cargo' | 'maven' | 'gradle' | 'bundler' | 'composer' | 'dotnet';

/** A manifest or lockfile an install reads, relative to its working directory. */
export interface Manifest {
  /** A file name (`package.json`), or a pattern for file kinds (`*.csproj`). */
  readonly name: string;
  /** The install cannot work without it (the lockfile of `npm ci`...). */
  readonly required: boolean;
  /** A folder to copy as a whole (`.mvn`, `gradle`): copied with its own COPY line. */
  readonly dir?: boolean;
}

export interface DependencyStep {
  readonly ecosystem: Ecosystem;
  /**
   * 'install': the command only installs dependencies (it can run before the sources are copied);
   * 'build': it compiles the sources and downloads dependencies on the way (`cargo build`, `mvn package`):
   * a dependency-only command (`prefetch`) can run first.
   */
  readonly kind: 'install' | 'build';
  readonly command: ShCommand;
  readonly script: InstructionScript;
  /** The RUN (the instruction in the file). */
  readonly ins: Instruction;
  /** What people call it: `npm ci`, `go mod download`, `mvn package`. */
  readonly label: string;
  /** Manifests, primary first (the one whose presence says the install reads from there). */
  readonly manifests: readonly Manifest[];
  /** For 'build': the dependency-only command to run before the sources are copied. */
  readonly prefetch?: string;
  /**
   * For installs that also install the project itself (poetry, uv sync, composer): the option that skips it,
   * so the early run needs only the manifests; the original command runs again after the sources are copied.
   */
  readonly skipProject?: string;
}

const args = (words: readonly ShWord[]) => words.map((w) => w.value);
const positional = (words: readonly string[]) => words.filter((w) => !w.startsWith('-'));

/** The words of a command as the cases of dependencyStep read them. */
function stepParts(command: ShCommand, script: InstructionScript, ins: Instruction, words: readonly ShWord[]) {
  const a = args(words);
  return {
    a,
    pos: positional(a),
    base: { command, script, ins },
    has: (...opts: string[]) => a.some((x) => opts.includes(x) || opts.some((o) => o.startsWith('--') && x.startsWith(o + '='))),
  };
}

/** Reads a command as a dependency install or build, or undefined. */
export function dependencyStep(ins: Instruction, script: InstructionScript, command: ShCommand): DependencyStep | undefined {
  const eff = effectiveCommand(command);
  if (!eff) return undefined;
  const name = commandName(eff.name);
  // The argument lists are built in the cases that read them: most commands are none of these.
  switch (name) {
    case 'npm': {
      const { has, base } = stepParts(command, script, ins, eff.args);
      const pc = packageCommand(command);
      if (!pc || (pc.action !== 'install' && pc.action !== 'ci') || has('-g', '--global')) return undefined;
      if (pc.packages.length > 0) return undefined;
      const ci = pc.action === 'ci';
      return { ...base, ecosystem: 'npm', kind: 'install', label: `npm ${pc.actionWord?.value ?? 'install'}`, manifests: [m('package.json', true), m('package-lock.json', ci), m('npm-shrinkwrap.json', false), m('.npmrc', false)] };
    }
    case 'yarn': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      const action = pos[0];
      if (action !== undefined && action !== 'install') return undefined;
      const frozen = has('--frozen-lockfile', '--immutable');
      return { ...base, ecosystem: 'yarn', kind: 'install', label: 'yarn install', manifests: [m('package.json', true), m('yarn.lock', frozen), m('.yarnrc.yml', false), m('.yarnrc', false), m('.npmrc', false)] };
    }
    case 'pnpm': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] !== 'install' && pos[0] !== 'i' && pos[0] !== 'fetch') return undefined;
      if (pos.length > 1) return undefined;
      return { ...base, ecosystem: 'pnpm', kind: 'install', label: `pnpm ${pos[0]}`, manifests: [m(pos[0] === 'fetch' ? 'pnpm-lock.yaml' : 'package.json', true), m('pnpm-lock.yaml', has('--frozen-lockfile')), m('pnpm-workspace.yaml', false), m('.npmrc', false)] };
    }
    case 'uv': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] === 'sync') {
        const skip = has('--no-install-project', '--only-deps') ? undefined : '--no-install-project';
        return { ...base, ecosystem: 'uv', kind: 'install', label: 'uv sync', manifests: [m('pyproject.toml', true), m('uv.lock', has('--locked', '--frozen')), m('.python-version', false)], skipProject: skip };
      }
      if (pos[0] === 'pip' && pos[1] === 'install') return requirementsStep(base, eff.args.slice(2), 'uv pip install', 'uv');
      return undefined;
    }
    case 'poetry': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] !== 'install') return undefined;
      const skip = has('--no-root', '--only-root') ? undefined : '--no-root';
      return { ...base, ecosystem: 'poetry', kind: 'install', label: 'poetry install', manifests: [m('pyproject.toml', true), m('poetry.lock', false), m('poetry.toml', false)], skipProject: skip };
    }
    case 'pipenv': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] !== 'install' && pos[0] !== 'sync') return undefined;
      if (pos.length > 1) return undefined;
      return { ...base, ecosystem: 'pipenv', kind: 'install', label: `pipenv ${pos[0]}`, manifests: [m('Pipfile', true), m('Pipfile.lock', has('--deploy') || pos[0] === 'sync')] };
    }
    case 'go': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] === 'mod' && pos[1] === 'download') return { ...base, ecosystem: 'go', kind: 'install', label: 'go mod download', manifests: [m('go.mod', true), m('go.sum', false)] };
      if ((pos[0] === 'build' || pos[0] === 'install' || pos[0] === 'test' || pos[0] === 'vet') && !pos.slice(1).some((p) => p.includes('@'))) {
        if (has('-mod=vendor')) return undefined;
        return { ...base, ecosystem: 'go', kind: 'build', label: `go ${pos[0]}`, manifests: [m('go.mod', true), m('go.sum', false)], prefetch: 'go mod download' };
      }
      return undefined;
    }
    case 'cargo': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] === 'fetch') return { ...base, ecosystem: 'cargo', kind: 'install', label: 'cargo fetch', manifests: [m('Cargo.toml', true), m('Cargo.lock', has('--locked'))] };
      if (pos[0] === 'build' || pos[0] === 'test' || (pos[0] === 'install' && has('--path'))) {
        if (has('--offline', '--frozen')) return undefined;
        return { ...base, ecosystem: 'cargo', kind: 'build', label: `cargo ${pos[0]}`, manifests: [m('Cargo.toml', true), m('Cargo.lock', has('--locked'))], prefetch: 'cargo fetch' };
      }
      return undefined;
    }
    case 'mvn':
    case 'mvnw': {
      const { a, pos, has, base } = stepParts(command, script, ins, eff.args);
      const tool = eff.name.value;
      const wrapper = name === 'mvnw';
      const manifests = [m('pom.xml', true), ...(wrapper ? [m('mvnw', true), m('.mvn', true, true)] : [])];
      if (a.some((x) => /^dependency:(go-offline|resolve|resolve-plugins)$/.test(x))) return { ...base, ecosystem: 'maven', kind: 'install', label: `${tool} dependency:go-offline`, manifests };
      if (has('-o', '--offline')) return undefined;
      const phase = pos.find((p) => /^(package|install|verify|compile|test|deploy)$/.test(p));
      if (!phase) return undefined;
      const batch = has('-B', '--batch-mode') ? ' -B' : '';
      return { ...base, ecosystem: 'maven', kind: 'build', label: `${tool} ${phase}`, manifests, prefetch: `${tool}${batch} dependency:go-offline` };
    }
    case 'gradle':
    case 'gradlew': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      const tool = eff.name.value;
      const wrapper = name === 'gradlew';
      if (has('--offline')) return undefined;
      const gradleManifests = [m('build.gradle*', true), m('settings.gradle*', false), m('gradle.properties', false), ...(wrapper ? [m('gradlew', true), m('gradle', true, true)] : [])];
      if (pos.includes('dependencies') || pos.includes('downloadDependencies')) return { ...base, ecosystem: 'gradle', kind: 'install', label: `${tool} dependencies`, manifests: gradleManifests };
      const task = pos.find((p) => /^(build|assemble|bootJar|jar|shadowJar|installDist|war|test|compileJava)$/.test(p) || /:(build|assemble|bootJar|jar|shadowJar|installDist)$/.test(p));
      if (!task) return undefined;
      return { ...base, ecosystem: 'gradle', kind: 'build', label: `${tool} ${task}`, manifests: gradleManifests, prefetch: `${tool} dependencies --no-daemon` };
    }
    case 'bundle': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] !== 'install') return undefined;
      return { ...base, ecosystem: 'bundler', kind: 'install', label: 'bundle install', manifests: [m('Gemfile', true), m('Gemfile.lock', has('--frozen', '--deployment'))] };
    }
    case 'composer': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      if (pos[0] !== 'install') return undefined;
      const skips = ['--no-scripts', '--no-autoloader'].filter((o) => !has(o));
      return { ...base, ecosystem: 'composer', kind: 'install', label: 'composer install', manifests: [m('composer.json', true), m('composer.lock', false), m('auth.json', false)], skipProject: skips.length > 0 ? skips.join(' ') : undefined };
    }
    case 'dotnet': {
      const { pos, has, base } = stepParts(command, script, ins, eff.args);
      const manifests = [m('*.csproj', true), m('*.fsproj', false), m('*.sln', false), m('nuget.config', false), m('NuGet.Config', false), m('Directory.Build.props', false), m('Directory.Packages.props', false), m('global.json', false)];
      if (pos[0] === 'restore') return { ...base, ecosystem: 'dotnet', kind: 'install', label: 'dotnet restore', manifests };
      if ((pos[0] === 'publish' || pos[0] === 'build' || pos[0] === 'test') && !has('--no-restore')) return { ...base, ecosystem: 'dotnet', kind: 'build', label: `dotnet ${pos[0]}`, manifests, prefetch: 'dotnet restore' };
      return undefined;
    }
    default: {
      const pc = packageCommand(command);
      if (pc?.manager === 'pip' && pc.action === 'install') return requirementsStep({ command, script, ins }, pc.words, `${commandName(pc.tool)} install`, 'pip');
      return undefined;
    }
  }
}

function m(name: string, required: boolean, dir = false): Manifest {
  return dir ? { name, required, dir } : { name, required };
}

/** `pip install -r requirements.txt` (and `uv pip install -r`): the requirement and constraint files. */
function requirementsStep(base: Pick<DependencyStep, 'command' | 'script' | 'ins'>, words: readonly ShWord[], label: string, ecosystem: Ecosystem): DependencyStep | undefined {
  const files: string[] = [];
  let other = false;
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    const eq = /^--(requirement|constraint)=(.+)$/.exec(v);
    if (eq) files.push(eq[2]);
    else if (v === '-r' || v === '--requirement' || v === '-c' || v === '--constraint') {
      if (words[i + 1]) files.push(words[++i].value);
    } else if (/^-[rc]./.test(v)) files.push(v.slice(2));
    else if (v === '-e' || v === '--editable' || v === '.' || v.startsWith('./') || v === '..') other = true;
  }
  if (files.length === 0 || other || words.some((w) => w.hasExpansion)) return undefined;
  return { ...base, ecosystem: ecosystem === 'uv' ? 'uv' : 'pip', kind: 'install', label: `${label} -r`, manifests: files.map((f) => m(f, true)) };
}

/** Every dependency install or build of a RUN, in script order. */
export function dependencySteps(model: SemanticModel, ins: Instruction): DependencyStep[] {
  const out: DependencyStep[] = [];
  for (const script of scriptsOf(model, ins)) {
    if (script.dialect === 'skip') continue;
    for (const c of script.script.commands) {
      if (c.inSubstitution) continue;
      const d = dependencyStep(ins, script, c);
      if (d) out.push(d);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Working directories and COPY destinations

/** `?` stands for the base image's working directory, which the Dockerfile does not show. */
export const UNKNOWN_DIR = '?';

function join(dir: string, rel: string): string {
  if (rel.startsWith('/')) return cleanPath(rel);
  if (dir === UNKNOWN_DIR) return cleanPath(rel) === '.' ? UNKNOWN_DIR : `${UNKNOWN_DIR}/${cleanPath(rel)}`;
  return cleanPath(`${dir}/${rel}`);
}

const workdirCache = new WeakMap<SemanticModel, Map<Instruction, string>>();

/** The working directory each instruction of the model runs in (`?` and `?/x` when it depends on the base image). */
export function workdirs(model: SemanticModel): Map<Instruction, string> {
  let map = workdirCache.get(model);
  if (map) return map;
  map = new Map();
  const finals = new Map<Stage, string>();
  for (const stage of model.stages) {
    let cur = stage.base.stage ? (finals.get(stage.base.stage) ?? UNKNOWN_DIR) : UNKNOWN_DIR;
    for (const ins of stage.instructions) {
      map.set(ins, cur);
      if (ins.keyword === 'WORKDIR' && !ins.trigger && ins.args.length > 0) {
        const v = expandInScope(model, ins, ins.argsText);
        cur = v === undefined ? `${UNKNOWN_DIR}${stage.index}:${ins.range.start}` : join(cur, v);
      }
    }
    finals.set(stage, cur);
  }
  workdirCache.set(model, map);
  return map;
}

/** A COPY/ADD from the build context: its sources and where they land. */
export interface ContextCopy {
  readonly ins: Instruction;
  readonly sources: readonly { readonly word: Word; readonly value: string }[];
  /** The destination word and its absolute (or `?`-relative) folder. */
  readonly destWord: Word;
  readonly destDir: string;
}

/** Reads a COPY/ADD from the build context (no `--from`, no URL, no heredoc); undefined otherwise. */
export function contextCopy(model: SemanticModel, ins: Instruction): ContextCopy | undefined {
  if (ins.trigger || (ins.keyword !== 'COPY' && ins.keyword !== 'ADD')) return undefined;
  if (ins.flags.some((f) => f.name === 'from')) return undefined;
  const words: readonly Word[] = ins.json ? ins.json.items : ins.args;
  if (words.length < 2) return undefined;
  const sources: { word: Word; value: string }[] = [];
  for (const w of words.slice(0, -1)) {
    if (w.value.startsWith('<<')) return undefined;
    const v = ins.json ? w.value : expandInScope(model, ins, w.value);
    if (v === undefined || /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i.test(v)) return undefined;
    sources.push({ word: w, value: v });
  }
  const destWord = words[words.length - 1];
  const dest = ins.json ? destWord.value : expandInScope(model, ins, destWord.value);
  if (dest === undefined) return undefined;
  const cwd = workdirs(model).get(ins) ?? UNKNOWN_DIR;
  return { ins, sources, destWord, destDir: join(cwd, dest) };
}

/** The context path of the file a COPY of `source` to `destDir` put at `target` (both absolute), or undefined. */
export function contextPathFor(source: string, destDir: string, target: string): string | undefined {
  if (target === destDir) return cleanPath(source);
  if (!target.startsWith(destDir === '/' ? '/' : destDir + '/')) return undefined;
  const rel = target.slice(destDir === '/' ? 1 : destDir.length + 1);
  const src = cleanPath(source.replace(/^\/+/, ''));
  return src === '.' ? rel : `${src}/${rel}`;
}

export { join as joinWorkdir };

// ---------------------------------------------------------------------------------------------
// Package caches

/**
 * Where each ecosystem keeps downloads, for the usual images (official images set GOPATH=/go,
 * CARGO_HOME=/usr/local/cargo, COMPOSER_HOME=/tmp...) and for root's home otherwise. The first entry is the
 * mount target a fix uses for that image family; the rest are recognised as already covered.
 */
export const CACHE_DIRS: Readonly<Record<Ecosystem, readonly string[]>> = {
  npm: ['/root/.npm'],
  yarn: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn/berry/cache'],
  pnpm: ['/root/.local/share/pnpm/store', '/pnpm/store', '/root/.pnpm-store'],
  pip: ['/root/.cache/pip'],
  poetry: ['/root/.cache/pypoetry'],
  pipenv: ['/root/.cache/pipenv', '/root/.cache/pip'],
  uv: ['/root/.cache/uv'],
  go: ['/go/pkg/mod', '/root/go/pkg/mod', '/root/.cache/go-build'],
  cargo: ['/usr/local/cargo/registry', '/root/.cargo/registry'],
  maven: ['/root/.m2'],
  gradle: ['/root/.gradle', '/home/gradle/.gradle'],
  bundler: ['/usr/local/bundle/cache', '/root/.bundle/cache'],
  composer: ['/tmp/cache', '/root/.composer/cache', '/root/.cache/composer'],
  dotnet: ['/root/.nuget/packages'],
};

// ---------------------------------------------------------------------------------------------
// Volatile values

const VOLATILE_EXACT = new Set([
  'SHA', 'REV', 'REVISION', 'COMMIT', 'VERSION', 'RELEASE', 'DATE', 'TIMESTAMP', 'BUILDTIME', 'BUILDDATE', 'CACHEBUST', 'CACHEBUSTER', 'NOCACHE',
  'BUST', 'RANDOM', 'NONCE', 'NOW', 'TODAY', 'CREATED',
]);

const VOLATILE_PATTERNS: readonly RegExp[] = [
  /(^|_)BUILD_?(DATE|TIME|TIMESTAMP|TS|NUMBER|NUM|ID)$/,
  /(^|_)(GIT|VCS|SOURCE|SRC|COMMIT|BUILD|APP|IMAGE)_?(SHA|REF|COMMIT|HASH|REV|REVISION|DESCRIBE)$/,
  /(^|_)COMMIT_?(SHA|HASH|ID)$/,
  /(^|_)CACHE_?BUST(ER)?$/,
  /(^|_)NO_CACHE$/,
  /(^|_)(CREATED|TIMESTAMP)(_AT)?$/,
  /(^|_)(RUN|PIPELINE|JOB)_?(ID|NUMBER|NUM)$/,
  /^GITHUB_(SHA|REF|RUN_ID|RUN_NUMBER|RUN_ATTEMPT)$/,
  /^CI_(COMMIT_SHA|COMMIT_SHORT_SHA|COMMIT_REF_NAME|COMMIT_TAG|PIPELINE_ID|PIPELINE_IID|JOB_ID)$/,
  /^(APP|BUILD|RELEASE|IMAGE|PROJECT|SERVICE|PACKAGE|ARTIFACT|APPLICATION|GIT)_VERSION$/,
  /^(IMAGE|BUILD|RELEASE|DOCKER)_TAG$/,
];

/**
 * Whether a build argument's name says its value changes from build to build: a build date or time, a commit,
 * a CI run number, the application's own version, a cache buster. Tool versions (`NODE_VERSION`) and pinned
 * checksums (`TINI_SHA256`) are stable and do not count.
 */
export function isVolatileName(name: string): boolean {
  const n = name.toUpperCase();
  return VOLATILE_EXACT.has(n) || VOLATILE_PATTERNS.some((re) => re.test(n));
}

/** OCI and Label Schema labels whose value is, by definition, per build. */
export const VOLATILE_LABELS = new Set([
  'org.opencontainers.image.created',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.version',
  'org.label-schema.build-date',
  'org.label-schema.vcs-ref',
  'org.label-schema.version',
  'build-date',
  'build_date',
  'vcs-ref',
]);
