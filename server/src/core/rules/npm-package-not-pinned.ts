/** NpmPackageNotPinned: `npm install <package>` without a version (hadolint DL3016). */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'NpmPackageNotPinned',
    title: 'npm package without a version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3016'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, `npm install <package>` takes the newest release on the day of the build. Name a version (`typescript@5.6.3`), or install from package.json and its lock file with `npm ci`.',
      bad: 'FROM node:22-slim\nRUN npm install -g typescript\n',
      good: 'FROM node:22-slim\nRUN npm install -g typescript@5.6.3 && npm ci\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      // `npm install` without packages installs package.json's dependencies: pinned there.
      if (pc.manager !== 'npm' || pc.action !== 'install') continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic) continue;
        const hint = p.kind === 'vcs' ? `${p.value}#<commit-or-tag>` : p.kind === 'url' ? 'a tarball URL with a version' : `${p.name}@<version>`;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of "${p.name}": npm install ${hint}.`);
      }
    }
  },
});
