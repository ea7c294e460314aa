/** GemPackageNotPinned: `gem install` of a gem without a version (hadolint DL3028). */
import { hasOption } from '../semantic/packages';
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'GemPackageNotPinned',
    title: 'gem without a version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3028'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, `gem install` takes the newest release on the day of the build. Pin it (`gem install bundler:2.5.22` or `-v 2.5.22`), or install from a Gemfile.lock with bundler.',
      bad: 'FROM ruby:3.3-slim\nRUN gem install bundler\n',
      good: 'FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'gem' || pc.action !== 'install') continue;
      // `-v`/`--version` pins every gem of the command.
      if (hasOption(pc, 'v', 'version')) continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic) continue;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of "${p.name}": gem install ${p.name}:<version>.`);
      }
    }
  },
});
