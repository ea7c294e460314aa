/** InvalidMount: `RUN --mount` values the builder rejects. */
import { MOUNT_TYPES } from '../data/instructions';
import { parseMount } from '../semantic/mount';
import { defineRule } from './types';
import { replaceFix, suggest } from './util';

export default defineRule({
  meta: {
    id: 'InvalidMount',
    title: 'Invalid RUN --mount',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale: 'The builder rejects a mount with an unknown type, an option its type does not take, a malformed value, or no target where one is required.',
      bad: 'FROM python:3.12-slim\nRUN --mount=type=cache,targt=/root/.cache/pip pip install -r requirements.txt\n',
      good: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
    },
  },
  check(ctx) {
    for (const outer of ctx.ast.instructions) {
      const ins = outer.trigger ?? outer;
      if (ins.keyword !== 'RUN') continue;
      for (const flag of ins.flags) {
        if (flag.name !== 'mount' || flag.value === undefined) continue;
        const m = parseMount(ins, flag);
        const typeSpec = MOUNT_TYPES[m.type];
        if (!typeSpec) {
          if (m.type.includes('$')) continue;
          const guess = suggest(m.type, Object.keys(MOUNT_TYPES));
          const r = m.typeOption?.valueRange ?? flag.range;
          ctx.report(r, `Unknown mount type "${m.type}": use ${Object.keys(MOUNT_TYPES).join(', ')}.`, {
            fixes: guess ? [replaceFix(`Change to ${guess}`, r, guess)] : [],
          });
          continue;
        }
        const seen = new Set<string>();
        for (const o of m.options) {
          if (o.key === 'type') continue;
          const spec = typeSpec.options.find((s) => s.name === o.key || s.aliases?.includes(o.key));
          if (!spec) {
            const names = typeSpec.options.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
            const guess = suggest(o.key, names);
            ctx.report(o.keyRange, `Unexpected option "${o.key}" for a ${m.type} mount.${guess ? ` Did you mean ${guess}?` : ` It takes ${typeSpec.options.map((s) => s.name).join(', ')}.`}`, {
              fixes: guess ? [replaceFix(`Change to ${guess}`, o.keyRange, guess)] : [],
            });
            continue;
          }
          if (seen.has(spec.name)) ctx.report(o.range, `Mount option "${spec.name}" is given twice.`, { severity: 'warning' });
          seen.add(spec.name);
          const v = o.value;
          if (v === undefined) {
            if (spec.type !== 'bool') ctx.report(o.range, `Mount option "${o.key}" needs a value: ${o.key}=<value>.`);
            continue;
          }
          if (v.includes('$')) continue;
          const vr = o.valueRange ?? o.range;
          if (spec.type === 'bool' && !/^(true|false|1|0)$/i.test(v)) ctx.report(vr, `Mount option "${o.key}" expects true or false, not "${v}".`);
          if (spec.type === 'int' && !/^\d+$/.test(v)) ctx.report(vr, `Mount option "${o.key}" expects a number, not "${v}".`);
          if (spec.type === 'octal' && !/^[0-7]{1,4}$/.test(v)) ctx.report(vr, `Mount option "${o.key}" expects an octal mode such as 0755, not "${v}".`);
          if (spec.type === 'enum' && spec.values && !spec.values.includes(v)) {
            ctx.report(vr, `Mount option "${o.key}" must be one of ${spec.values.join(', ')}, not "${v}".`);
          }
        }
        if ((m.type === 'cache' || m.type === 'tmpfs' || m.type === 'bind') && !seen.has('target')) {
          ctx.report(flag.range, `A ${m.type} mount needs a target: add target=<path>.`);
        }
      }
    }
  },
});
