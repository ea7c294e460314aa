/** ConsistentInstructionCasing: BuildKit's check that every instruction keyword follows the file's majority casing. */
import { INSTRUCTION_BY_NAME } from '../data/instructions';
import type { Instruction } from '../syntax/ast';
import { defineRule } from './types';
import { replaceFix } from './util';

export default defineRule({
  meta: {
    id: 'ConsistentInstructionCasing',
    title: 'Instructions should use the same casing throughout the file',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:ConsistentInstructionCasing'],
    fixable: true,
    docs: {
      rationale:
        'Instruction keywords are case-insensitive, but a file that mixes `RUN` and `run` (or writes `Run`) is harder to read. BuildKit counts the all-lower-case and all-upper-case keywords of the build stages and asks every keyword to follow the majority (upper case on a tie). ARGs before the first FROM are not counted, as in BuildKit.',
      bad: 'FROM alpine:3.20\nrun apk add --no-cache curl\nCOPY app /app\nCMD ["/app"]\n',
      good: 'FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app\nCMD ["/app"]\n',
    },
  },
  check(ctx) {
    const keywords: Instruction[] = [];
    for (const stage of ctx.model.stages) {
      keywords.push(stage.from);
      for (const ins of stage.instructions) if (INSTRUCTION_BY_NAME.has(ins.keyword)) keywords.push(ins);
    }
    let lower = 0;
    let upper = 0;
    for (const ins of keywords) {
      const k = ins.keywordRaw;
      if (k === k.toLowerCase()) lower++;
      else if (k === k.toUpperCase()) upper++;
    }
    const majorityLower = lower > upper;
    const casing = majorityLower ? 'lowercase' : 'uppercase';
    for (const ins of keywords) {
      const k = ins.keywordRaw;
      const want = majorityLower ? k.toLowerCase() : k.toUpperCase();
      if (k === want) continue;
      ctx.report(ins.keywordRange, `Instruction '${k}' should match the case of the instruction majority (${casing}): write '${want}'.`, {
        fixes: [replaceFix(`Change to ${want}`, ins.keywordRange, want)],
      });
    }
  },
});
