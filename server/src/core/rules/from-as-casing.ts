/** FromAsCasing: BuildKit's check that `AS` is written in the same case as `FROM`. */
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'FromAsCasing',
    title: "The 'as' keyword should match the case of the 'from' keyword",
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:FromAsCasing'],
    fixable: true,
    docs: {
      rationale:
        'Keywords are case-insensitive, but `FROM image as name` mixes an upper-case instruction with a lower-case keyword. BuildKit asks for `FROM ... AS` or `from ... as`. (A `From` keyword in mixed case is left to ConsistentInstructionCasing.)',
      bad: 'FROM node:20 as build\nRUN npm ci\n',
      good: 'FROM node:20 AS build\nRUN npm ci\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'FROM' || ins.args.length < 3) continue;
      const from = ins.keywordRaw;
      const as = ins.args[1];
      const fromLower = from === from.toLowerCase();
      const fromUpper = from === from.toUpperCase();
      if (!fromLower && !fromUpper) continue;
      const want = fromLower ? as.value.toLowerCase() : as.value.toUpperCase();
      if (as.value === want) continue;
      ctx.report(as.range, `'${as.value}' and '${from}' keywords' casing do not match: write '${want}'.`, {
        fixes: [replaceFix(`Change to ${want}`, as.range, want)],
      });
    }
  },
});
