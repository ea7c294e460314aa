/** ApkAddWithoutNoCache: `apk add` without `--no-cache` keeps the package index in the image (hadolint DL3019). */
import { hasOption } from '../semantic/packages';
import { defineRule } from './types';
import { fix, hasCacheMountOn, runPackageCommands } from './util';

export default defineRule({
  meta: {
    id: 'ApkAddWithoutNoCache',
    title: 'apk add without --no-cache',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3019'],
    fixable: true,
    docs: {
      rationale:
        '`apk add --no-cache` fetches the package index for this command only and leaves nothing in /var/cache/apk, so there is no need for `apk update` before or `rm -rf /var/cache/apk/*` after.',
      bad: 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r2\n',
      good: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2\n',
    },
  },
  check(ctx) {
    for (const { ins, script, pc } of runPackageCommands(ctx.model)) {
      if (pc.manager !== 'apk' || pc.action !== 'add' || !pc.actionWord) continue;
      if (hasOption(pc, 'no-cache')) continue;
      // A cache mount keeps the index out of the image (and is the point of keeping it).
      if (hasCacheMountOn(ins, ['/var/cache/apk'])) continue;
      const word = pc.actionWord;
      const at = script.toSource(word.end, word.end).start;
      ctx.report(script.toSource(word.start, word.end), 'apk add without --no-cache leaves the package index in /var/cache/apk.', {
        fixes: script.exact ? [fix('Add --no-cache', [{ range: { start: at, end: at }, newText: ' --no-cache' }])] : [],
      });
    }
  },
});
