/** CurlWithoutFail: curl saving or piping a download without --fail, so an HTTP error page is used as the file. */
import { commandName, effectiveCommand, runScripts } from '../shell/index';
import type { ShWord } from '../shell/types';
import { defineRule, type Fix } from './types';
import { fix } from './util';

/** Short curl options that take a value: in a cluster, the rest of the cluster is that value. */
const SHORT_WITH_VALUE = new Set('oHdXuAebcmTwxrFEKCyYztQPDU'.split(''));
const LONG_WITH_VALUE = /^--(output|header|data|data-binary|data-raw|data-urlencode|request|user|user-agent|referer|cookie|cookie-jar|max-time|upload-file|write-out|proxy|range|form|cert|config|continue-at|connect-timeout|retry|retry-delay|retry-max-time|limit-rate|dump-header|cacert|capath|key|output-dir|resolve|interface)$/;

export default defineRule({
  meta: {
    id: 'CurlWithoutFail',
    title: 'curl download without --fail',
    category: 'shell',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'Without -f/--fail curl exits 0 on an HTTP 404 or 500 and writes the error page: the RUN goes on with an HTML page as the archive, binary or script. With -f the RUN fails at the download.',
      bad: 'FROM debian:12\nRUN curl -sSLo /usr/local/bin/tini https://github.com/krallin/tini/releases/download/v0.19.0/tini && chmod +x /usr/local/bin/tini\n',
      good: 'FROM debian:12\nRUN curl -fsSLo /usr/local/bin/tini https://github.com/krallin/tini/releases/download/v0.19.0/tini && chmod +x /usr/local/bin/tini\n',
    },
  },
  check(ctx) {
    for (const rs of runScripts(ctx.model)) {
      const { entry } = rs;
      for (const c of entry.script.commands) {
        const eff = effectiveCommand(c);
        if (!eff || commandName(eff.name) !== 'curl') continue;
        const opts = scan(eff.args);
        if (opts.fail || opts.head || opts.config) continue;
        const piped = c.pipelineIndex < c.pipeline.commands.length - 1 && c.pipeline.pipes.length > 0;
        const used = opts.output || piped || c.inSubstitution || c.redirects.some((r) => /^1?>>?$/.test(r.op));
        if (!used || c.inCondition) continue;
        const fixes: Fix[] = [];
        if (entry.exact) {
          const cluster = eff.args.find((a) => /^-[a-zA-Z]+$/.test(a.value) && a.raw === a.value);
          if (cluster) {
            const at = entry.toSource(cluster.start + 1, cluster.start + 1).start;
            fixes.push(fix('Add -f', [{ range: { start: at, end: at }, newText: 'f' }]));
          } else {
            const at = entry.toSource(eff.name.end, eff.name.end).start;
            fixes.push(fix('Add -f', [{ range: { start: at, end: at }, newText: ' -f' }]));
          }
        }
        ctx.report(entry.toSource(eff.name.start, eff.name.end), 'curl without -f/--fail exits 0 on HTTP errors and passes the error page on as the download: add -f.', { fixes });
      }
    }
  },
});

function scan(args: readonly ShWord[]): { fail: boolean; output: boolean; head: boolean; config: boolean } {
  const r = { fail: false, output: false, head: false, config: false };
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') break;
    if (v.startsWith('--')) {
      if (v === '--fail' || v === '--fail-with-body' || v === '--fail-early') r.fail = true;
      else if (v === '--output' || v.startsWith('--output=') || v === '--remote-name' || v === '--remote-name-all' || v === '--output-dir') r.output = true;
      else if (v === '--head') r.head = true;
      else if (v === '--config' || v === '--help' || v === '--version') r.config = true;
      if (LONG_WITH_VALUE.test(v)) i++;
      continue;
    }
    if (/^-[a-zA-Z#:]+/.test(v) && v.length > 1) {
      for (let k = 1; k < v.length; k++) {
        const ch = v[k];
        if (ch === 'f') r.fail = true;
        else if (ch === 'o' || ch === 'O' || ch === 'J') r.output = true;
        else if (ch === 'I') r.head = true;
        else if (ch === 'K' || ch === 'h' || ch === 'V') r.config = true;
        if (SHORT_WITH_VALUE.has(ch)) {
          if (k === v.length - 1) i++;
          break;
        }
      }
    }
  }
  return r;
}
