/** PipPackageNotPinned: `pip install` of a package without a version (hadolint DL3013). */
import { hasOption } from '../semantic/packages';
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'PipPackageNotPinned',
    title: 'pip package without a version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3013'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, `pip install` takes the newest release on the day of the build, so rebuilds can pull in breaking changes. Pin versions (`flask==3.0.3`), or install from a requirements or constraints file that pins them.',
      bad: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n',
      good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 && pip install --no-cache-dir -r requirements.txt\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'pip' || pc.action !== 'install') continue;
      // Versions come from a requirements or constraints file, or from the local project: not ours to judge.
      if (hasOption(pc, 'r', 'requirement', 'c', 'constraint')) continue;
      if (pc.operands.some((w) => w.value === '.')) continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic) continue;
        const how = p.kind === 'vcs' ? 'add @<tag-or-commit> to the repository URL' : `pip install ${p.name}==<version>, or use a requirements file`;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of "${p.name}": ${how}.`);
      }
    }
  },
});
