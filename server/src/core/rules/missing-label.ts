/** MissingLabel (hadolint DL3049): an image stage lacks a label the label schema requires. */
import { parseLabelSchema, stageLabelKeys } from '../semantic/labels';
import { defineRule } from './types';
import { outputStages } from './util';

export default defineRule({
  meta: {
    id: 'MissingLabel',
    title: 'Required label is missing',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'info',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3049'],
    fixable: false,
    docs: {
      rationale:
        'With a label schema (hadolint `label-schema:`), every label of the schema must be set in each stage that produces an image; a stage inherits the labels of the stages it is built on, and stages that only feed other stages (a base of a later stage, a COPY --from or mount source) are not checked. Without a schema this rule checks nothing.',
      bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/example/app"\n',
      good:
        'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/example/app" \\\n      org.opencontainers.image.description="Example app" \\\n      org.opencontainers.image.licenses="MIT"\n',
    },
  },
  check(ctx) {
    const schema = parseLabelSchema(ctx.options.labelSchema);
    if (!schema) return;
    const required = [...schema.keys()];
    if (required.length === 0) return;
    const model = ctx.model;
    for (const stage of outputStages(model)) {
      const have = stageLabelKeys(model, stage);
      const missing = required.filter((k) => !have.has(k));
      if (missing.length === 0) continue;
      const range = stage.base.raw ? stage.base.range : stage.from.keywordRange;
      const list = missing.map((k) => `"${k}"`).join(', ');
      ctx.report(range, missing.length === 1 ? `Label ${list} is missing from this image.` : `Labels ${list} are missing from this image.`);
    }
  },
});
