/** AddUrlWithoutChecksum: `ADD <url>` without `--checksum`: whatever the server returns today is copied. */
import type { Word } from '../syntax/ast';
import { defineRule } from './types';
import { expandInScope } from './util';

const HTTP = /^https?:\/\//i;
/** Git sources (`ADD https://github.com/x/y.git#ref`) pin with a commit in the ref instead. */
const GIT = /\.git(#|$)|^git@|^git:\/\//i;

export default defineRule({
  meta: {
    id: 'AddUrlWithoutChecksum',
    title: 'ADD of a URL without --checksum',
    category: 'cache',
    severity: 'info',
    enabledByDefault: true,
    equivalents: [],
    fixable: false,
    docs: {
      rationale:
        '`ADD https://...` downloads the file on every build to see whether it changed. When it did (a new release under the same URL, a compromised mirror), the new content is copied silently and every later step re-runs: the build is neither reproducible nor verified. `--checksum=sha256:<digest>` (Dockerfile syntax 1.6 and later) pins the content: the build fails instead of copying something else. Git sources are pinned by a commit in their ref instead.',
      bad: 'FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /sbin/tini\n',
      good: 'FROM alpine:3.20\nADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /sbin/tini\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      const target = ins.trigger ?? ins;
      if (target.keyword !== 'ADD' || target.flags.some((f) => f.name === 'checksum')) continue;
      const words: readonly Word[] = target.json ? target.json.items : target.args;
      for (const w of words.slice(0, -1)) {
        const value = target.json ? w.value : expandInScope(ctx.model, ins, w.value);
        if (value === undefined || !HTTP.test(value) || GIT.test(value)) continue;
        const shown = value.length > 80 ? value.slice(0, 77) + '...' : value;
        ctx.report(w.range, `ADD downloads ${shown} on every build and copies whatever it gets: pin the content with --checksum=sha256:<digest>.`);
      }
    }
  },
});
