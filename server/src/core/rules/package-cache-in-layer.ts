/**
 * PackageCacheInLayer: a package manager writes its download cache into the layer (apt, npm, pnpm, go, cargo,
 * maven, gradle, composer, uv) where a `RUN --mount=type=cache` would keep it out of the image and reuse it
 * across builds. Fix: add the cache mount (to every RUN of the stage that uses that tool, when later steps
 * read the cache: go, cargo, maven, gradle).
 *
 * Coordination: pip is PipNoCacheDir's, yarn is YarnCacheCleanMissing's, apk/dnf/yum/zypper have their own
 * cleanup rules. For apt, AptListsNotRemoved reports the lists on `apt-get update` (fix: rm -rf); this rule
 * reports on `apt-get install` and offers the other remedy, a locked cache mount.
 */
import type { Instruction } from '../syntax/ast';
import type { SemanticModel, Stage } from '../semantic/model';
import { commandName, effectiveCommand, scriptsOf } from '../shell/index';
import type { ShCommand } from '../shell/types';
import { packageCommand, rmTargets } from '../semantic/packages';
import { defineRule, type Fix, type RuleContext } from './types';
import { cacheMountTargets, fix, imageStages } from './util';

type Tool = 'apt' | 'npm' | 'pnpm' | 'go' | 'cargo' | 'maven' | 'gradle' | 'composer' | 'uv';

interface Writer {
  readonly tool: Tool;
  readonly ins: Instruction;
  /** Script offsets of what to underline (tool..action) and the script's mapping. */
  readonly range: { start: number; end: number };
  readonly label: string;
}

/** Tools whose cache later RUNs of the stage also read (modules, crates, jars): mount it on all of them. */
const SHARED: ReadonlySet<Tool> = new Set(['go', 'cargo', 'maven', 'gradle']);

export default defineRule({
  meta: {
    id: 'PackageCacheInLayer',
    title: 'Package manager cache written into the layer',
    category: 'cache',
    severity: 'info',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'Package managers keep what they download (npm in ~/.npm, go in the module and build caches, cargo in its registry, maven in ~/.m2, apt in /var/cache/apt and /var/lib/apt). In a RUN that cache becomes part of the layer, makes the image bigger, and is thrown away with the layer on the next rebuild, so everything is downloaded again. `RUN --mount=type=cache,target=<dir>` keeps it out of the image and reuses it across builds. For apt the mount needs `sharing=locked` (apt locks its directories), and on Debian/Ubuntu images /etc/apt/apt.conf.d/docker-clean must go or it empties the cache after every install. pip and yarn are covered by PipNoCacheDir and YarnCacheCleanMissing; for apt, AptListsNotRemoved reports the lists on `apt-get update` with the rm -rf remedy, and this rule reports the install with the cache-mount remedy.',
      bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n',
      good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    },
  },
  check(ctx) {
    const images = imageStages(ctx.model);
    for (const stage of ctx.model.stages) {
      const writers = stageWriters(ctx.model, stage);
      const done = new Set<Tool>();
      for (const w of writers) {
        if (done.has(w.tool)) continue;
        done.add(w.tool);
        const targets = mountTargets(ctx.model, stage, w);
        if (!targets) continue;
        // Later RUNs that only read the cache (`mvn -o`, `go build` after `go mod download`) need it too.
        const fixRuns = SHARED.has(w.tool) ? stage.instructions.filter((i) => i.keyword === 'RUN' && !i.trigger && i.range.start >= w.ins.range.start && usesTool(ctx.model, i, w.tool)) : [w.ins];
        const uncovered = fixRuns.filter((ins) => !covered(ins, targets.all));
        if (!uncovered.includes(w.ins)) continue;
        const where = images.has(stage) ? 'stays in the image' : 'stays in the layer';
        const apt = w.tool === 'apt' ? ' On Debian and Ubuntu images also delete /etc/apt/apt.conf.d/docker-clean in an earlier RUN, or it empties the cache after every install.' : '';
        const f = SHARED.has(w.tool) && readLater(ctx.model, stage, w.tool, targets.all) ? undefined : mountFix(ctx, stage, uncovered, targets.mounts, w.tool);
        const others = uncovered.length - 1;
        const many = others > 0 ? ` (the ${others} later RUN${others > 1 ? 's' : ''} of this stage using ${w.tool} read${others > 1 ? '' : 's'} the same cache and get${others > 1 ? '' : 's'} the mount too)` : '';
        ctx.report(
          scriptRange(ctx.model, w),
          `${w.label} writes its download cache (${targets.mounts.map((m) => m.target).join(', ')}) into the layer: it ${where} and is downloaded again whenever this step re-runs. A cache mount keeps it out and reuses it across builds${many}.${apt}`,
          { fixes: f ? [f] : [] },
        );
      }
    }
  },
});

function scriptRange(model: SemanticModel, w: Writer) {
  const script = scriptsOf(model, w.ins).find((s) => s.script.commands.some((c) => c.start <= w.range.start && w.range.end <= c.end));
  return script ? script.toSource(w.range.start, w.range.end) : w.ins.keywordRange;
}

function covered(ins: Instruction, dirs: readonly string[]): boolean {
  return cacheMountTargets(ins).some((t) => {
    const p = t.replace(/\/+$/, '');
    return dirs.some((d) => p === d || d.startsWith(p + '/') || p.startsWith(d + '/'));
  });
}

const TOOL_COMMANDS: Readonly<Partial<Record<Tool, readonly string[]>>> = { go: ['go'], cargo: ['cargo'], maven: ['mvn', 'mvnw'], gradle: ['gradle', 'gradlew'] };

/** Whether a RUN runs the tool at all (reading its cache counts). */
function usesTool(model: SemanticModel, ins: Instruction, tool: Tool): boolean {
  const names = TOOL_COMMANDS[tool] ?? [];
  return scriptsOf(model, ins).some((s) => s.script.commands.some((c) => {
    const eff = effectiveCommand(c);
    return eff !== undefined && names.includes(commandName(eff.name));
  }));
}

/**
 * Whether something after this stage reads the cache from its filesystem: a stage built on it that runs the
 * tool, or a `COPY --from` of the cache folder. A mount would take the files away from them.
 */
function readLater(model: SemanticModel, stage: Stage, tool: Tool, dirs: readonly string[]): boolean {
  for (const s of model.stages) {
    let base = s.base.stage;
    for (let guard = 0; base && base !== stage && guard < 50; guard++) base = base.base.stage;
    if (base === stage && s.instructions.some((i) => i.keyword === 'RUN' && usesTool(model, i, tool))) return true;
    for (const i of s.instructions) {
      if (i.keyword !== 'COPY' || model.copyFrom(i)?.kind !== 'stage' || (model.copyFrom(i) as { stage: Stage }).stage !== stage) continue;
      const words = i.json ? i.json.items : i.args;
      if (words.slice(0, -1).some((w) => dirs.some((d) => w.value.replace(/\/+$/, '') === d || w.value.startsWith(d + '/') || d.startsWith(w.value.replace(/\/+$/, '') + '/')))) return true;
    }
  }
  return false;
}

/** What each command of the stage's RUNs writes to a package cache, in order; RUNs that clean up are left out. */
function stageWriters(model: SemanticModel, stage: Stage): Writer[] {
  const out: Writer[] = [];
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'RUN' || ins.trigger) continue;
    for (const script of scriptsOf(model, ins)) {
      if (script.dialect === 'skip') continue;
      const cmds = script.script.commands;
      // Per tool: the index of the script's last command that cleans its cache (-1: none), found once.
      const lastClean = new Map<Tool, number>();
      cmds.forEach((cmd, i) => {
        const w = writer(ins, cmd);
        if (!w) return;
        if (cleanedByScope(w.tool, model, ins)) return;
        let last = lastClean.get(w.tool);
        if (last === undefined) {
          last = -1;
          for (let j = cmds.length - 1; j >= 0 && last === -1; j--) if (cleans(w.tool, cmds[j])) last = j;
          lastClean.set(w.tool, last);
        }
        // The same RUN removes the cache after the writer (or the tool's own cleanup runs after it).
        if (last > i) return;
        out.push(w);
      });
    }
  }
  return out;
}

function writer(ins: Instruction, cmd: ShCommand): Writer | undefined {
  const pc = packageCommand(cmd);
  if (pc) {
    if ((pc.manager === 'apt-get' || pc.manager === 'apt') && pc.action === 'install' && pc.actionWord) {
      return { tool: 'apt', ins, range: { start: pc.tool.start, end: pc.actionWord.end }, label: `${pc.manager} install` };
    }
    if (pc.manager === 'npm' && (pc.action === 'install' || pc.action === 'ci') && pc.actionWord) {
      if (pc.options.some((o) => o.name === 'cache' || o.name === 'prefer-offline' || o.name === 'offline')) return undefined;
      return { tool: 'npm', ins, range: { start: pc.tool.start, end: pc.actionWord.end }, label: `npm ${pc.actionWord.value}` };
    }
    return undefined;
  }
  const eff = effectiveCommand(cmd);
  if (!eff) return undefined;
  // Most commands are none of these: the arguments are read in place, not copied into a list first.
  const action = eff.args.find((a) => !a.value.startsWith('-'));
  const act = action?.value;
  const has = (value: string) => eff.args.some((a) => a.value === value);
  const at = (label: string, tool: Tool): Writer => ({ tool, ins, range: { start: eff.name.start, end: (action ?? eff.name).end }, label });
  switch (commandName(eff.name)) {
    case 'pnpm':
      return act === 'install' || act === 'i' || act === 'add' || act === 'fetch' ? at(`pnpm ${act}`, 'pnpm') : undefined;
    case 'go':
      return act && ['build', 'install', 'test', 'get', 'run', 'generate'].includes(act) || (act === 'mod' && has('download')) ? at(`go ${act === 'mod' ? 'mod download' : act}`, 'go') : undefined;
    case 'cargo':
      return act && ['build', 'fetch', 'install', 'test', 'run', 'check'].includes(act) && !has('--offline') ? at(`cargo ${act}`, 'cargo') : undefined;
    case 'mvn':
    case 'mvnw':
      return !has('-o') && !has('--offline') && !eff.args.some((a) => a.value.startsWith('-Dmaven.repo.local=')) && action ? at(`${eff.name.value} ${act}`, 'maven') : undefined;
    case 'gradle':
    case 'gradlew':
      return !has('--offline') && action ? at(`${eff.name.value} ${act}`, 'gradle') : undefined;
    case 'composer':
      return act && ['install', 'update', 'require'].includes(act) && !has('--no-cache') ? at(`composer ${act}`, 'composer') : undefined;
    case 'uv':
      if (has('--no-cache')) return undefined;
      return act === 'sync' || (act === 'pip' && has('install')) || (act === 'tool' && has('install')) ? at(act === 'sync' ? 'uv sync' : `uv ${act} install`, 'uv') : undefined;
    default:
      return undefined;
  }
}

const HOME_CACHES: Readonly<Record<Tool, readonly string[]>> = {
  apt: ['/var/lib/apt/lists', '/var/lib/apt', '/var/cache/apt'],
  npm: ['/root/.npm'],
  pnpm: ['/root/.local/share/pnpm/store', '/pnpm/store'],
  go: ['/go/pkg/mod', '/root/go/pkg/mod', '/root/.cache/go-build', '/root/.cache'],
  cargo: ['/usr/local/cargo/registry', '/root/.cargo/registry'],
  maven: ['/root/.m2'],
  gradle: ['/root/.gradle', '/home/gradle/.gradle'],
  composer: ['/tmp/cache', '/root/.cache/composer', '/root/.composer/cache'],
  uv: ['/root/.cache/uv'],
};

/** Whether the RUN's environment keeps the tool's cache out of the layer (`UV_NO_CACHE`, `npm_config_cache`). */
function cleanedByScope(tool: Tool, model: SemanticModel, ins: Instruction): boolean {
  const scope = model.scopeAt(ins);
  if (tool === 'uv' && (scope.get('UV_NO_CACHE')?.value ?? '') !== '') return true;
  if (tool === 'npm' && scope.has('npm_config_cache')) return true;
  return false;
}

/** Whether a command cleans the tool's cache: `npm cache clean`, `go clean -modcache`, `rm -rf` of the cache folder... */
function cleans(tool: Tool, c: ShCommand): boolean {
  const eff = effectiveCommand(c);
  const name = eff ? commandName(eff.name) : '';
  const a = eff ? eff.args.map((w) => w.value) : [];
  if (tool === 'npm' && name === 'npm' && a.includes('cache') && a.includes('clean')) return true;
  if (tool === 'go' && name === 'go' && a[0] === 'clean' && a.some((x) => x === '-modcache' || x === '-cache')) return true;
  if (tool === 'composer' && name === 'composer' && (a.includes('clear-cache') || a.includes('clearcache') || a.includes('cc'))) return true;
  if (tool === 'uv' && name === 'uv' && a.includes('cache') && a.includes('clean')) return true;
  const rm = rmTargets(c);
  if (!rm?.recursive) return false;
  const paths = rm.paths.map((p) => p.replace(/^(~|\$HOME|\$\{HOME\})(?=\/)/, '/root').replace(/\/\*$/, '').replace(/\/+$/, ''));
  return paths.some((p) => HOME_CACHES[tool].some((d) => p === d || p.startsWith(d + '/') || d.startsWith(p + '/')));
}

interface Mount {
  readonly target: string;
  readonly options: string;
}

/** The cache directories for the tool in this stage (from ENV, the base image family, or root's home). */
function mountTargets(model: SemanticModel, stage: Stage, w: Writer): { mounts: Mount[]; all: readonly string[] } | undefined {
  const scope = model.scopeAt(w.ins);
  const env = (name: string) => {
    const v = scope.get(name)?.value;
    return v && v.startsWith('/') ? v.replace(/\/+$/, '') : undefined;
  };
  let root: Stage | undefined = stage;
  for (let guard = 0; root?.base.stage && guard < 50; guard++) root = root.base.stage;
  const image = (root?.base.image?.familiar ?? '').toLowerCase().replace(/^.*\//, '');
  const all = HOME_CACHES[w.tool];
  switch (w.tool) {
    case 'apt':
      return { mounts: [{ target: '/var/cache/apt', options: ',sharing=locked' }, { target: '/var/lib/apt', options: ',sharing=locked' }], all };
    case 'npm':
      return { mounts: [{ target: '/root/.npm', options: '' }], all };
    case 'pnpm': {
      const home = env('PNPM_HOME');
      return { mounts: [{ target: home ? `${home}/store` : '/root/.local/share/pnpm/store', options: ',id=pnpm' }], all: home ? [...all, `${home}/store`] : all };
    }
    case 'go': {
      const gopath = env('GOPATH') ?? (image === 'golang' ? '/go' : '/root/go');
      const mod = env('GOMODCACHE') ?? `${gopath}/pkg/mod`;
      const build = env('GOCACHE') ?? '/root/.cache/go-build';
      return { mounts: [{ target: mod, options: '' }, { target: build, options: '' }], all: [...all, mod, build] };
    }
    case 'cargo': {
      const home = env('CARGO_HOME') ?? (image === 'rust' ? '/usr/local/cargo' : '/root/.cargo');
      return { mounts: [{ target: `${home}/registry`, options: '' }], all: [...all, `${home}/registry`] };
    }
    case 'maven':
      return { mounts: [{ target: '/root/.m2', options: '' }], all };
    case 'gradle': {
      const home = env('GRADLE_USER_HOME') ?? (image === 'gradle' ? '/home/gradle/.gradle' : '/root/.gradle');
      return { mounts: [{ target: home, options: '' }], all: [...all, home] };
    }
    case 'composer': {
      const home = env('COMPOSER_HOME') ?? (image === 'composer' ? '/tmp' : undefined);
      const dir = env('COMPOSER_CACHE_DIR') ?? (home ? `${home}/cache` : '/root/.cache/composer');
      return { mounts: [{ target: dir, options: '' }], all: [...all, dir] };
    }
    case 'uv': {
      const dir = env('UV_CACHE_DIR') ?? '/root/.cache/uv';
      return { mounts: [{ target: dir, options: '' }], all: [...all, dir] };
    }
  }
}

/** A non-root USER in effect: root's cache folders are then wrong, and the mount needs a uid. */
function nonRootUser(stage: Stage, ins: Instruction): boolean {
  const users = stage.instructions.filter((i) => i.keyword === 'USER' && !i.trigger && i.range.start < ins.range.start);
  const last = users[users.length - 1];
  if (!last) return false;
  const u = last.args[0]?.value.split(':')[0] ?? '';
  return u !== 'root' && u !== '0';
}

function mountFix(ctx: RuleContext, stage: Stage, runs: readonly Instruction[], mounts: readonly Mount[], tool: Tool): Fix | undefined {
  if (runs.some((r) => nonRootUser(stage, r))) return undefined;
  // A COPY into the cache folder (a settings.xml in ~/.m2, say) would be hidden by the mount.
  const targets = mounts.map((m) => m.target);
  for (const i of stage.instructions) {
    if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
    const words = i.json ? i.json.items : i.args;
    const dest = words[words.length - 1]?.value ?? '';
    if (targets.some((t) => dest === t || dest.startsWith(t + '/'))) return undefined;
  }
  const edits = runs.map((r) => {
    const existing = cacheMountTargets(r);
    const text = mounts
      .filter((m) => !existing.some((e) => e.replace(/\/+$/, '') === m.target))
      .map((m) => ` --mount=type=cache,target=${m.target}${m.options}`)
      .join('');
    return { range: { start: r.keywordRange.end, end: r.keywordRange.end }, newText: text };
  });
  const what = tool === 'apt' ? 'locked cache mounts on /var/cache/apt and /var/lib/apt' : `a cache mount on ${targets.join(' and ')}`;
  return fix(`Add ${what}${runs.length > 1 ? ` to the ${runs.length} RUNs using it` : ''}`, edits.filter((e) => e.newText !== ''));
}
