/** ApkPackageNotPinned: `apk add` of a package without a version (hadolint DL3018). */
import { defineRule } from './types';
import { runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'ApkPackageNotPinned',
    title: 'apk package without a version',
    category: 'best-practice',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3018'],
    fixable: false,
    docs: {
      rationale:
        'Without a version, `apk add` takes whatever the repository has on the day of the build. Pin the version (`curl=8.9.1-r2`), or allow patch updates only (`curl~8.9`).',
      bad: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
      good: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2\n',
    },
  },
  check(ctx) {
    for (const { script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'apk' || pc.action !== 'add') continue;
      for (const p of pc.packages) {
        if (p.pinned || p.dynamic) continue;
        ctx.report(script.toSource(p.nameStart, p.nameEnd), `Pin the version of "${p.name}": apk add ${p.name}=<version> (or ${p.name}~<version>).`);
      }
    }
  },
});
