/** GoPinVersions (hadolint DL3062): go install/get/run of a module without a pinned version. */
import { commandName } from '../semantic/packages';
import type { ShCommand, ShWord } from '../shell/types';
import { defineRule } from './types';
import { runScripts } from './util';

/** Build flags of the go command that take a value (as the next word when written without `=`). */
const VALUE_FLAGS = new Set([
  'C', 'o', 'p', 'asmflags', 'buildmode', 'compiler', 'covermode', 'coverpkg', 'exec', 'gccgoflags', 'gcflags', 'installsuffix',
  'ldflags', 'mod', 'modfile', 'overlay', 'pgo', 'pkgdir', 'tags', 'toolexec',
]);

/** The module/package arguments of `go install|get|run`, and the subcommand. */
function goPackages(cmd: ShCommand): { sub: string; packages: ShWord[] } | undefined {
  if (commandName(cmd) !== 'go' || !cmd.name) return undefined;
  const words = [cmd.name, ...cmd.args];
  const at = words.findIndex((w) => w.value.replace(/^.*\//, '') === 'go');
  const rest = words.slice(at + 1);
  const sub = rest[0]?.value;
  if (sub !== 'install' && sub !== 'get' && sub !== 'run') return undefined;
  const packages: ShWord[] = [];
  for (let i = 1; i < rest.length; i++) {
    const v = rest[i].value;
    if (v === '--') continue;
    if (v.startsWith('-')) {
      const name = v.replace(/^--?/, '').split('=')[0];
      if (!v.includes('=') && VALUE_FLAGS.has(name)) i++;
      continue;
    }
    packages.push(rest[i]);
    // `go run pkg args...`: what follows the package is for the program.
    if (sub === 'run') break;
  }
  return { sub, packages };
}

function pinned(v: string): boolean {
  if (v === '.' || v.startsWith('.') || v.startsWith('/') || v.endsWith('.go')) return true;
  const at = v.lastIndexOf('@');
  if (at === -1) return false;
  const version = v.slice(at + 1);
  // `@none` removes a dependency: nothing to pin.
  return version !== '' && version !== 'latest' && version !== 'upgrade' && version !== 'patch';
}

export default defineRule({
  meta: {
    id: 'GoPinVersions',
    title: 'go install without a pinned version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3062'],
    fixable: false,
    docs: {
      rationale:
        'Without a version (or with @latest), go install/get/run fetches whatever the module\'s newest release is on the day of the build, so two builds of the same Dockerfile can differ. Pin it: `go install example.com/tool@v1.2.3`. Local packages (`.`, `./cmd/app`, `/src/x`, `main.go`) are pinned by the build context.',
      bad: 'FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n',
      good: 'FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.16.1\n',
    },
  },
  check(ctx) {
    for (const { scripts } of runScripts(ctx.model)) {
      for (const script of scripts) {
        for (const cmd of script.script.commands) {
          const g = goPackages(cmd);
          if (!g) continue;
          for (const w of g.packages) {
            if (pinned(w.value) || (w.hasExpansion && !w.value.includes('@'))) continue;
            const latest = /@(latest|upgrade|patch)?$/.test(w.value) && w.value.includes('@');
            const name = w.value.replace(/@[^@]*$/, '');
            ctx.report(script.toSource(w.start, w.end), latest ? `go ${g.sub} ${w.value} is not pinned: use ${name}@<version>.` : `Pin the version of ${name}: go ${g.sub} ${name}@<version>.`);
          }
        }
      }
    }
  },
});
