/**
 * InvalidStageName: a stage name BuildKit rejects. It lower-cases the name first and then requires
 * ^[a-z][a-z0-9-_.]*$ (instructions.parseBuildStageName), so `AS Build` is valid (its casing is the
 * StageNameCasing warning) while `AS 2nd`, `AS my_stage!` or `AS build:v1` fail the build.
 */
import type { SemanticModel, Stage } from '../semantic/model';
import type { Span } from '../syntax/ast';
import { defineRule } from './types';
import { replaceFix } from './util';

/** A literal reference to a stage by name: a `--from` value, or a FROM base after a later stage. */
interface NameRef {
  readonly range: Span;
  /** The stage the reference is in. */
  readonly stage: Stage;
  readonly base: boolean;
}

/**
 * Every literal `--from` value and FROM base of the file, by lower-cased value, in the order the fix lists them
 * (stage by stage: its instructions' flags, then its FROM).
 */
function nameRefs(model: SemanticModel): Map<string, NameRef[]> {
  const out = new Map<string, NameRef[]>();
  const add = (key: string, ref: NameRef) => {
    const list = out.get(key);
    if (list) list.push(ref);
    else out.set(key, [ref]);
  };
  for (const other of model.stages) {
    for (const ins of other.instructions) {
      if (ins.trigger) continue;
      for (const f of ins.flags) {
        if (f.name === 'from' && f.value !== undefined && f.valueRange && f.rawValue === f.value) add(f.value.toLowerCase(), { range: f.valueRange, stage: other, base: false });
      }
    }
    if (!other.base.unresolved && other.base.raw === other.base.expanded) add(other.base.raw.toLowerCase(), { range: other.base.range, stage: other, base: true });
  }
  return out;
}

const VALID = /^[a-z][a-z0-9-_.]*$/;

export default defineRule({
  meta: {
    id: 'InvalidStageName',
    title: 'Invalid build stage name',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: [],
    fixable: true,
    docs: {
      rationale:
        'A stage name must start with a letter and contain only letters, digits, `-`, `_` and `.`; anything else stops the build ("invalid name for build stage").',
      bad: 'FROM golang:1.22 AS build:linux\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build:linux /out/app /usr/local/bin/app\n',
      good: 'FROM golang:1.22 AS build-linux\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build-linux /out/app /usr/local/bin/app\n',
    },
  },
  check(ctx) {
    let refs: Map<string, NameRef[]> | undefined;
    let names: Set<string | undefined> | undefined;
    for (const stage of ctx.model.stages) {
      if (stage.nameRaw === undefined || !stage.nameRange) continue;
      if (VALID.test(stage.nameRaw.toLowerCase())) continue;
      const raw = stage.nameRaw;
      const why = /^[0-9]/.test(raw) ? 'it starts with a digit' : !/^[a-z]/i.test(raw) ? 'it must start with a letter' : `"${[...raw].find((c) => !/[a-zA-Z0-9\-_.]/.test(c))}" is not allowed`;
      // Mechanical repair: replace the forbidden characters with "-" when the name starts with a letter
      // and nothing in the file refers to the stage yet under another spelling.
      const stripped = raw.replace(/^[-_.]+/, '');
      const repaired = /^[a-z]/i.test(stripped) ? stripped.replace(/[^a-zA-Z0-9\-_.]+/g, '-').replace(/-+$/, '') : undefined;
      const fixes = [];
      names ??= new Set(ctx.model.stages.map((s) => s.name));
      if (repaired && VALID.test(repaired.toLowerCase()) && !names.has(repaired.toLowerCase())) {
        const edits = [{ range: stage.nameRange, newText: repaired }];
        refs ??= nameRefs(ctx.model);
        for (const r of refs.get(raw.toLowerCase()) ?? []) {
          if (!r.base || r.stage.index > stage.index) edits.push({ range: r.range, newText: repaired });
        }
        fixes.push(edits.length === 1 ? replaceFix(`Rename to ${repaired}`, stage.nameRange, repaired) : { title: `Rename to ${repaired} (and its references)`, edits, preferred: true });
      }
      ctx.report(stage.nameRange, `Invalid name for build stage: "${raw}", name can't start with a number or contain symbols (${why}).`, { fixes });
    }
  },
});
