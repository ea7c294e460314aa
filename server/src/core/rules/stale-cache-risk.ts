/**
 * StaleCacheRisk: RUN steps whose result changes while their text does not: cloning a branch, downloading a
 * "latest" URL or an installer that fetches the newest release, upgrading every package, installing the newest
 * version of a tool. The build cache keys a RUN by its text, so it keeps serving the first build's result.
 * The pin rules (NpmPackageNotPinned, PipPackageNotPinned, AptDistUpgrade...) report the package names or the
 * action word; this rule reports the cache consequence, on the command or URL, and suggests nothing automatic.
 */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import type { ShCommand, ShWord } from '../shell/types';
import { packageCommand, type PackageCommand } from '../semantic/packages';
import { defineRule, type RuleContext } from './types';
import type { InstructionScript } from '../shell/index';

const HEX_COMMIT = /^[0-9a-f]{7,40}$/i;
const VERSION_TAG = /^v?\d+(\.\d+)+([-.+][0-9A-Za-z.-]+)?$/;
const LATEST_URL = [
  /\/latest(\/|$|\?|#)/i,
  /[?&](version|ref|tag)=(latest|main|master|head)\b/i,
  /^https?:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/(main|master|HEAD|develop)\//i,
  /^https?:\/\/github\.com\/[^/]+\/[^/]+\/(archive|raw)\/(refs\/heads\/)?(main|master|HEAD|develop)\b/i,
  /^https?:\/\/(?:www\.)?gitlab\.com\/.+\/-\/(raw|archive)\/(main|master)\b/i,
];
/** Installers that always fetch the newest release, whatever the script's URL. */
const INSTALLERS = [
  /^https?:\/\/sh\.rustup\.rs\/?$/i,
  /^https?:\/\/get\.docker\.com\/?$/i,
  /^https?:\/\/install\.python-poetry\.org\/?$/i,
  /^https?:\/\/astral\.sh\/(uv|ruff)\/install\.sh$/i,
  /^https?:\/\/bun\.sh\/install\/?$/i,
  /^https?:\/\/deno\.land\/install\.sh$/i,
  /^https?:\/\/get\.pnpm\.io\/install\.sh$/i,
  /^https?:\/\/deb\.nodesource\.com\/setup_(lts|current)\.x$/i,
];

export default defineRule({
  meta: {
    id: 'StaleCacheRisk',
    title: 'RUN result changes while its text does not',
    category: 'cache',
    severity: 'info',
    enabledByDefault: true,
    equivalents: [],
    fixable: false,
    docs: {
      rationale:
        'The build cache reuses a RUN step as long as its text (and what came before it) is unchanged. A step that clones a branch, downloads a "latest" URL, upgrades every package or installs the newest version of a tool gives a different result every day, but the cache keeps serving the one from the first build: fixes and security updates silently stop arriving, and a machine with a cold cache builds something else. Pin what the step fetches (a commit, a version, a newer base image); rebuild with `--no-cache` or a cache-busting ARG only when you mean to.',
      bad: 'FROM alpine:3.20\nRUN apk add --no-cache git=2.45.2-r0 && git clone --branch main https://github.com/example/tool.git /opt/tool\n',
      good: 'FROM alpine:3.20\nRUN apk add --no-cache git=2.45.2-r0 && git clone https://github.com/example/tool.git /opt/tool && git -C /opt/tool checkout 3f2a9c1d4e5b6a7980f1e2d3c4b5a69788f0e1d2\n',
    },
  },
  check(ctx) {
    for (const { entry } of runScripts(ctx.model)) {
      const commands = entry.script.commands;
      commands.forEach((cmd, i) => {
        const eff = effectiveCommand(cmd);
        const name = eff ? commandName(eff.name) : '';
        if (name === 'git' && eff) gitClone(ctx, entry, eff.args, () => lastPinAt(entry.script.commands) > i);
        else if (name === 'curl' || name === 'wget') downloads(ctx, entry, cmd);
        const pc = packageCommand(cmd);
        if (pc) packages(ctx, entry, pc);
      });
    }
  },
});

function report(ctx: RuleContext, entry: InstructionScript, at: { readonly start: number; readonly end: number }, message: string): void {
  ctx.report(entry.toSource(at.start, at.end), message);
}

const lastPinCache = new WeakMap<readonly ShCommand[], number>();

/** The index of the script's last command that checks out a commit or tag (-1: none); found once per script. */
function lastPinAt(commands: readonly ShCommand[]): number {
  let at = lastPinCache.get(commands);
  if (at === undefined) {
    at = -1;
    for (let i = commands.length - 1; i >= 0 && at === -1; i--) if (pinsCommit(commands[i])) at = i;
    lastPinCache.set(commands, at);
  }
  return at;
}

/** A `git checkout|reset|switch|fetch` of a commit, a version tag or a variable. */
function pinsCommit(c: ShCommand): boolean {
  const e = effectiveCommand(c);
  if (!e || commandName(e.name) !== 'git') return false;
  const a = e.args.map((w) => w.value);
  const sub = a.findIndex((x) => x === 'checkout' || x === 'reset' || x === 'switch' || x === 'fetch');
  return sub !== -1 && a.slice(sub + 1).some((x) => HEX_COMMIT.test(x) || VERSION_TAG.test(x) || x.startsWith('$'));
}

/** `pinnedLater`: whether a command after this one in the script pins the clone to a commit. */
function gitClone(ctx: RuleContext, entry: InstructionScript, args: readonly ShWord[], pinnedLater: () => boolean): void {
  // `git -C dir clone` / `git clone`: skip git's own options before the subcommand.
  let i = 0;
  while (i < args.length && args[i].value.startsWith('-')) i += args[i].value === '-C' || args[i].value === '-c' ? 2 : 1;
  if (args[i]?.value !== 'clone') return;
  let branch: ShWord | undefined;
  let url: ShWord | undefined;
  for (let k = i + 1; k < args.length; k++) {
    const v = args[k].value;
    if (v === '-b' || v === '--branch') {
      branch = args[++k];
      continue;
    }
    if (v.startsWith('--branch=')) {
      branch = args[k];
      continue;
    }
    if (v === '--depth' || v === '-o' || v === '--origin' || v === '--reference' || v === '-c' || v === '--config' || v === '--jobs' || v === '-j') {
      k++;
      continue;
    }
    if (v.startsWith('-')) continue;
    url ??= args[k];
  }
  if (!url || url.hasExpansion) return;
  const ref = branch ? branch.value.replace(/^--branch=/, '') : undefined;
  if (ref !== undefined && (VERSION_TAG.test(ref) || branch?.hasExpansion)) return;
  // A checkout or reset to a commit later in the same RUN pins it.
  if (pinnedLater()) return;
  const what = ref !== undefined ? `branch "${ref}"` : 'the default branch';
  report(ctx, entry, branch ?? url, `git clone of ${what}: the cache keeps the commit cloned by the first build, so new commits never arrive (until the cache is pruned) while a fresh builder gets another one. Check out a commit or a release tag (or ADD the repository at a commit).`);
}

function downloads(ctx: RuleContext, entry: InstructionScript, cmd: ShCommand): void {
  for (const w of cmd.args) {
    if (w.hasExpansion || !/^https?:\/\//i.test(w.value)) continue;
    if (INSTALLERS.some((re) => re.test(w.value))) {
      report(ctx, entry, w, `This installer fetches the newest release each time it runs, but the cache runs it only once: the image keeps the version of the first build until the cache is pruned, and another builder gets a newer one. Pin a version (most installers take one).`);
    } else if (LATEST_URL.some((re) => re.test(w.value))) {
      report(ctx, entry, w, `This URL always points at the newest file, but the cache downloads it only once: the image keeps the first build's version until the cache is pruned, and another builder gets a newer one. Download a fixed version.`);
    }
  }
}

const UPGRADE_ALL: Readonly<Record<string, readonly string[]>> = {
  'apt-get': ['upgrade', 'dist-upgrade', 'full-upgrade'],
  apt: ['upgrade', 'dist-upgrade', 'full-upgrade'],
  aptitude: ['upgrade', 'safe-upgrade', 'full-upgrade'],
  apk: ['upgrade'],
  yum: ['update', 'upgrade'],
  dnf: ['update', 'upgrade', 'distro-sync'],
  microdnf: ['update', 'upgrade'],
  zypper: ['update', 'dist-upgrade', 'patch'],
};

function packages(ctx: RuleContext, entry: InstructionScript, pc: PackageCommand): void {
  const action = pc.action;
  if (!action || !pc.actionWord) return;
  const span = { start: pc.tool.start, end: pc.actionWord.end };
  if (UPGRADE_ALL[pc.manager]?.includes(action) && pc.packages.length === 0) {
    report(ctx, entry, span, `${pc.manager} ${pc.actionWord.value} upgrades to what is current when the step first runs; the cache keeps that result, so later updates (security fixes included) never arrive until the cache is pruned. Rebuild on a newer base image (docker build --pull) instead.`);
    return;
  }
  const global = pc.manager === 'npm' && action === 'install' ? pc.options.find((o) => o.name === 'g' || o.name === 'global') : undefined;
  if (global) {
    const newest = pc.packages.filter((p) => p.kind === 'name' && !p.dynamic && (!p.pinned || p.version === 'latest' || p.version === 'next'));
    if (newest.length === 0) return;
    // On the -g option: the names belong to NpmPackageNotPinned, `npm install` to PackageCacheInLayer.
    report(ctx, entry, global.word, `npm install -g ${newest.map((p) => p.name).join(' ')} takes the newest version on the first build, and the cache keeps it after that: another builder gets a different one. Install a fixed version (name@x.y.z).`);
    return;
  }
  if (pc.manager === 'pip' && action === 'install') {
    const upgrade = pc.options.find((o) => o.name === 'U' || o.name === 'upgrade');
    const newest = pc.packages.filter((p) => p.kind === 'name' && !p.dynamic && !p.pinned);
    if (!upgrade || newest.length === 0) return;
    report(ctx, entry, upgrade.word, `--upgrade takes the newest ${newest.map((p) => p.name).join(', ')} on the first build, and the cache keeps that after it: later releases never arrive, while another builder gets them. Pin the versions instead.`);
  }
}
