/**
 * Data-driven rule tests. For every registered rule:
 * - metadata is complete and the id is unique; the file is named after the id;
 * - the documentation's bad example triggers the rule and the good one does not;
 * - test/fixtures/rules/<slug>/invalid.Dockerfile matches its reviewed golden invalid.snap (findings
 *   underlined, then the file after applying the fixes, then what is left);
 * - valid.Dockerfile gets no finding from the rule.
 * UPDATE_GOLDEN=1 rewrites the goldens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { RULES } from '../../server/src/core/rules/index';
import type { ContextInfo, Rule, RuleOptions } from '../../server/src/core/rules/types';
import { applyEdits, applyFirstFixes, renderFindings } from '../support/findings';
import ignore from '@balena/dockerignore';
import { fixtureContextInfo } from '../support/context-fixture';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'rules');
const update = process.env.UPDATE_GOLDEN === '1';

export function slug(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

function contextFor(dir: string): ContextInfo | undefined {
  // A real build context on disk (context/, see test/support/context-fixture.ts), read by the host's
  // context scanner: .dockerignore, files and sizes (layer-cache rules, issue 6).
  if (existsSync(join(dir, 'context'))) return fixtureContextInfo(join(dir, 'context'));
  const ignoreFile = join(dir, 'dockerignore');
  if (!existsSync(ignoreFile)) return undefined;
  const ig = ignore().add(readFileSync(ignoreFile, 'utf8').split(/\r?\n/));
  return { hasDockerignore: true, isIgnored: (p: string) => ig.ignores(p.replace(/^\.?\//, '')) };
}

/** Rule options for a fixture folder (options.json), e.g. trusted registries or a label schema. */
function optionsFor(dir: string): RuleOptions | undefined {
  const file = join(dir, 'options.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RuleOptions) : undefined;
}

function run(rule: Rule, text: string, context?: ContextInfo, ruleOptions?: RuleOptions) {
  return analyze(text, { rules: [rule], all: true, context, ruleOptions });
}

test('rule ids are unique PascalCase and the registry is sorted', () => {
  const ids = RULES.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate rule id');
  for (const id of ids) assert.match(id, /^[A-Z][A-Za-z0-9]*$/);
  assert.deepEqual([...ids].sort(), ids, 'RULES must be sorted by id');
  const eq = new Map<string, string>();
  for (const r of RULES) {
    for (const e of r.meta.equivalents) {
      assert.match(e, /^(hadolint|buildkit|shellcheck):[A-Za-z0-9]+$/, `${r.meta.id}: equivalent ${e}`);
      if (e.startsWith('shellcheck:')) continue;
      assert.ok(!eq.has(e), `${e} claimed by ${eq.get(e)} and ${r.meta.id}`);
      eq.set(e, r.meta.id);
    }
  }
});

// ONLY=RuleA,RuleB limits the per-rule tests (and UPDATE_GOLDEN) to those rules.
const only = process.env.ONLY ? new Set(process.env.ONLY.split(',').map((s) => s.trim())) : undefined;

for (const rule of RULES) {
  const id = rule.meta.id;
  if (only && !only.has(id)) continue;
  const dir = join(fixtures, slug(id));
  test(`${id}: metadata and file name`, () => {
    assert.ok(existsSync(join(root, 'server', 'src', 'core', 'rules', `${slug(id)}.ts`)), `rule file ${slug(id)}.ts`);
    assert.ok(rule.meta.title.length > 3);
    assert.ok(rule.meta.docs.rationale.length > 20, 'rationale');
    assert.ok(rule.meta.docs.bad.length > 0 && rule.meta.docs.good.length > 0, 'examples');
  });
  test(`${id}: documentation examples`, () => {
    const opts = optionsFor(dir);
    const bad = run(rule, rule.meta.docs.bad, contextFor(dir), opts);
    assert.ok(bad.findings.some((f) => f.rule === id), `bad example must trigger ${id}`);
    const good = run(rule, rule.meta.docs.good, contextFor(dir), opts);
    assert.deepEqual(good.findings.filter((f) => f.rule === id).map((f) => f.message), [], `good example must not trigger ${id}`);
    if (rule.meta.fixable) assert.ok(bad.findings.some((f) => f.fixes.length > 0), 'a fixable rule offers a fix on its bad example');
  });
  test(`${id}: fixtures`, () => {
    const invalidPath = join(dir, 'invalid.Dockerfile');
    const validPath = join(dir, 'valid.Dockerfile');
    assert.ok(existsSync(invalidPath), `missing ${invalidPath}`);
    assert.ok(existsSync(validPath), `missing ${validPath}`);
    const ctx = contextFor(dir);
    const opts = optionsFor(dir);
    const text = readFileSync(invalidPath, 'utf8');
    const a = run(rule, text, ctx, opts);
    assert.ok(a.findings.length > 0, 'invalid.Dockerfile must produce findings');
    assert.deepEqual(a.failures, []);
    let snap = renderFindings(text, a.findings) + '\n';
    if (a.findings.some((f) => f.fixes.length > 0)) {
      const fixed = applyFirstFixes(text, a.findings);
      const after = run(rule, fixed, ctx, opts);
      // A fix never breaks the file: no new syntax problem appears.
      assert.ok(analyze(fixed, { rules: [] }).ast.problems.length <= a.ast.problems.length, 'fix introduced a syntax problem');
      // Each fix, applied alone, removes its finding.
      for (const f of a.findings) {
        // Fixes that edit other files (e.g. .dockerignore) change the context, not this text.
        if (f.fixes.length === 0 || f.fixes[0].fileEdits?.length) continue;
        const alone = run(rule, applyEdits(text, f.fixes[0].edits), ctx, opts);
        assert.ok(alone.findings.length < a.findings.length, `fix "${f.fixes[0].title}" leaves the finding "${f.message}" in place`);
      }
      snap += '\n--- after fixes ---\n' + fixed + (fixed.endsWith('\n') ? '' : '\n');
      snap += '--- remaining ---\n' + (renderFindings(fixed, after.findings) || '(none)') + '\n';
    }
    const snapPath = join(dir, 'invalid.snap');
    if (update || (!existsSync(snapPath) && !process.env.CI)) writeFileSync(snapPath, snap);
    assert.equal(snap, readFileSync(snapPath, 'utf8'));
    const valid = run(rule, readFileSync(validPath, 'utf8'), ctx, opts);
    assert.deepEqual(valid.findings.map((f) => `${f.rule}: ${f.message}`), []);
  });
}

test('every fixture folder belongs to a rule', () => {
  if (!existsSync(fixtures)) return;
  const slugs = new Set(RULES.map((r) => slug(r.meta.id)));
  for (const d of readdirSync(fixtures)) assert.ok(slugs.has(d), `fixture folder ${d} has no rule`);
});
