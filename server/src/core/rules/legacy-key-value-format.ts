/** LegacyKeyValueFormat: BuildKit's warning for `ENV key value` / `LABEL key value`. */
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'LegacyKeyValueFormat',
    title: 'Legacy key/value format with whitespace separator should not be used',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:LegacyKeyValueFormat'],
    fixable: true,
    docs: {
      rationale:
        'In the legacy `ENV key value` form, everything after the first space is one value, spaces included, so `ENV A 1 B 2` sets A to "1 B 2". The `key=value` form is unambiguous and lets one instruction set several variables. The legacy form is deprecated.',
      bad: 'FROM alpine:3.20\nENV APP_HOME /opt/app\nLABEL description A small demo image\n',
      good: 'FROM alpine:3.20\nENV APP_HOME=/opt/app\nLABEL description="A small demo image"\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.trigger || (ins.keyword !== 'ENV' && ins.keyword !== 'LABEL')) continue;
      const pair = ins.pairs?.[0];
      if (!pair || pair.hasEquals || pair.value === undefined || !pair.valueRange) continue;
      const value = equalsValue(pair.value, ctx.ast.escape);
      const fixes =
        value !== undefined && ins.startLine === ins.endLine
          ? [replaceFix(`Change to ${ins.keyword} ${pair.key}=${value}`, { start: pair.keyRange.start, end: pair.valueRange.end }, `${pair.key}=${value}`)]
          : [];
      ctx.report(
        { start: pair.keyRange.start, end: pair.valueRange.start },
        `"${ins.keyword} key=value" should be used instead of the legacy "${ins.keyword} key value" format, where the value is the rest of the line, spaces included.`,
        { fixes },
      );
    }
  },
});

/**
 * The legacy value written as the value of a `key=value` word with the same meaning, or undefined
 * when that is not a simple rewrite. The builder expands the legacy value as one word (quotes removed,
 * spaces kept): a value without spaces is the same word, a value with spaces is double-quoted when
 * it has no quotes or escapes of its own, and a value that is already one quoted string stays as is.
 */
function equalsValue(raw: string, escape: string): string | undefined {
  if (!/\s/.test(raw)) return raw;
  const hasQuoting = raw.includes('"') || raw.includes("'") || raw.includes(escape);
  if (!hasQuoting) return `"${raw}"`;
  if (/^"[^"]*"$/.test(raw) && !raw.includes(escape)) return raw;
  if (/^'[^']*'$/.test(raw)) return raw;
  return undefined;
}
