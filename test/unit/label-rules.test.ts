/**
 * The label rules (hadolint DL3048-DL3058) with a configured label schema and strict labels, which the
 * data-driven fixtures (run with default options) cannot reach, and the value validators behind them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analyze';
import type { Rule, RuleOptions } from '../../server/src/core/rules/types';
import emptyLabel from '../../server/src/core/rules/empty-label';
import labelNotEmail from '../../server/src/core/rules/label-not-email';
import labelNotGitHash from '../../server/src/core/rules/label-not-git-hash';
import labelNotRfc3339 from '../../server/src/core/rules/label-not-rfc3339';
import labelNotSemver from '../../server/src/core/rules/label-not-semver';
import labelNotSpdx from '../../server/src/core/rules/label-not-spdx';
import labelNotUrl from '../../server/src/core/rules/label-not-url';
import missingLabel from '../../server/src/core/rules/missing-label';
import superfluousLabel from '../../server/src/core/rules/superfluous-label';
import { checkSpdxExpression, isEmail, isGitHash, isRfc3339, isSemver, isValidUrl, parseLabelSchema } from '../../server/src/core/semantic/labels';

const SCHEMA: Record<string, string> = {
  author: 'text',
  contact: 'email',
  created: 'rfc3339',
  version: 'semver',
  documentation: 'url',
  'git-revision': 'hash',
  license: 'spdx',
};

/** `[line:col text]` of each finding of `rule`, 1-based like the goldens. */
function run(rule: Rule, text: string, ruleOptions: RuleOptions): string[] {
  const a = analyze(text, { rules: [rule], all: true, ruleOptions });
  assert.deepEqual(a.failures, []);
  return a.findings.map((f) => {
    const before = text.slice(0, f.range.start);
    const line = before.split('\n').length;
    const col = f.range.start - before.lastIndexOf('\n');
    return `${line}:${col} ${text.slice(f.range.start, f.range.end)}`;
  });
}

const opts: RuleOptions = { labelSchema: SCHEMA, strictLabels: true };

test('MissingLabel: every schema label, per image stage, inherited from base stages', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'RUN go build -o /app .',
    'FROM alpine:3.20 AS base',
    'LABEL author="me" contact="me@example.com" created="2024-05-01T00:00:00Z"',
    'FROM base',
    'LABEL version=1.0.0 documentation=https://example.com git-revision=4f9c2a1',
    'COPY --from=build /app /app',
    '',
  ].join('\n');
  const a = analyze(text, { rules: [missingLabel], all: true, ruleOptions: opts });
  assert.deepEqual(
    a.findings.map((f) => f.message),
    ['Label "license" is missing from this image.'],
  );
  assert.deepEqual(run(missingLabel, text, opts), ['5:6 base']);
  // A schema with every label present: nothing.
  assert.deepEqual(run(missingLabel, 'FROM alpine:3.20\nLABEL author=me\n', { labelSchema: { author: 'text' } }), []);
  // An empty schema, or none, requires nothing.
  assert.deepEqual(run(missingLabel, 'FROM alpine:3.20\n', { labelSchema: {} }), []);
  assert.deepEqual(run(missingLabel, text, {}), []);
});

test('SuperfluousLabel: strict labels allow only the schema', () => {
  const text = 'FROM alpine:3.20\nLABEL author=me org.opencontainers.image.title=app build-host=ci\n';
  assert.deepEqual(run(superfluousLabel, text, opts), ['2:17 org.opencontainers.image.title', '2:52 build-host']);
  // Strict labels off (a configuration without strict-labels): nothing.
  assert.deepEqual(run(superfluousLabel, text, { labelSchema: SCHEMA, strictLabels: false }), []);
  // Strict labels without a schema: every label is superfluous, as in hadolint.
  assert.deepEqual(run(superfluousLabel, text, { strictLabels: true }), ['2:7 author', '2:17 org.opencontainers.image.title', '2:52 build-host']);
  // No configuration: nothing.
  assert.deepEqual(run(superfluousLabel, text, {}), []);
});

test('EmptyLabel: the schema labels only', () => {
  const text = 'FROM alpine:3.20\nARG V\nLABEL author="" org.opencontainers.image.description="" version=$V contact=""\n';
  assert.deepEqual(run(emptyLabel, text, opts), ['3:7 author=""', '3:68 contact=""']);
  assert.deepEqual(run(emptyLabel, text, {}), []);
});

test('value rules: the schema types decide which labels are checked', () => {
  const text = [
    'FROM alpine:3.20',
    'ARG BUILD_DATE',
    'LABEL documentation="example.com/docs" \\',
    '      org.opencontainers.image.source="not a url" \\',
    '      created="2024-05-01" \\',
    '      license="Apache 2.0" \\',
    '      git-revision="HEAD" \\',
    '      version="1.0" \\',
    '      contact="ops at example.com" \\',
    '      author="anything goes" \\',
    '      org.opencontainers.image.created=$BUILD_DATE',
    '',
  ].join('\n');
  assert.deepEqual(run(labelNotUrl, text, opts), ['3:22 example.com/docs']);
  assert.deepEqual(run(labelNotRfc3339, text, opts), ['5:16 2024-05-01']);
  assert.deepEqual(run(labelNotSpdx, text, opts), ['6:16 Apache 2.0']);
  assert.deepEqual(run(labelNotGitHash, text, opts), ['7:21 HEAD']);
  assert.deepEqual(run(labelNotSemver, text, opts), ['8:16 1.0']);
  assert.deepEqual(run(labelNotEmail, text, opts), ['9:16 ops at example.com']);
  // Without a schema nothing is checked, OCI labels included.
  for (const rule of [labelNotUrl, labelNotRfc3339, labelNotSpdx, labelNotGitHash, labelNotSemver, labelNotEmail]) assert.deepEqual(run(rule, text, {}), [], rule.meta.id);
  // The OCI label once the schema types it.
  assert.deepEqual(run(labelNotUrl, text, { labelSchema: { 'org.opencontainers.image.source': 'url' } }), ['4:40 not a url']);
});

test('value rules: a label typed text accepts anything, variables are not checked', () => {
  const text = 'FROM alpine:3.20\nARG VERSION=dev\nLABEL version="${VERSION}" org.opencontainers.image.version=whatever\n';
  assert.deepEqual(run(labelNotSemver, text, { labelSchema: { version: 'semver', 'org.opencontainers.image.version': 'text' } }), []);
  assert.deepEqual(run(labelNotSemver, text, { labelSchema: { version: 'semver', 'org.opencontainers.image.version': 'semver' } }), ['3:61 whatever']);
});

test('parseLabelSchema: unknown types count as text', () => {
  assert.deepEqual([...parseLabelSchema({ a: 'URL', b: 'bogus' })!], [
    ['a', 'url'],
    ['b', 'text'],
  ]);
  assert.equal(parseLabelSchema(undefined), undefined);
});

test('validators', () => {
  for (const ok of ['https://example.com', 'http://[::1]:8080/x?y=1#z', 'mailto:me@example.com', 'file:///etc/hosts', 'urn:isbn:0451450523']) assert.ok(isValidUrl(ok), ok);
  for (const bad of ['example.com', 'https://exa mple.com', 'https://x/%zz', '://x', 'https://x/#a#b']) assert.ok(!isValidUrl(bad), bad);

  for (const ok of ['2024-05-01T12:30:00Z', '2024-05-01t12:30:00.123456z', '2024-02-29T00:00:00+01:00', '2016-12-31T23:59:60Z']) assert.ok(isRfc3339(ok), ok);
  for (const bad of ['2024-05-01', '2024-05-01T12:30:00', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T12:30:00+2:00']) assert.ok(!isRfc3339(bad), bad);

  for (const ok of ['0.0.0', '1.2.3', '10.20.30-rc.1+build.7', '1.0.0-alpha-a.b-c']) assert.ok(isSemver(ok), ok);
  for (const bad of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-', '1.2.3+', '1.2.3-01']) assert.ok(!isSemver(bad), bad);

  for (const ok of ['4f9c2a1', '4f9c2a1e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39', 'a'.repeat(64)]) assert.ok(isGitHash(ok), ok);
  for (const bad of ['4f9c2a', '4F9C2A1', 'a'.repeat(41), 'main', 'g123456']) assert.ok(!isGitHash(bad), bad);

  for (const ok of ['a@example.com', 'first.last+tag@sub.example.org', '"john doe"@example.com', 'x@[192.168.0.1]']) assert.ok(isEmail(ok), ok);
  for (const bad of ['a@', '@example.com', 'a b@example.com', 'a..b@example.com', 'Jane <jane@example.com>']) assert.ok(!isEmail(bad), bad);

  for (const ok of ['MIT', 'mit', 'Apache-2.0 OR MIT', '(MIT AND BSD-3-Clause) OR GPL-2.0+', 'GPL-2.0-only WITH Classpath-exception-2.0', 'LicenseRef-Mine', 'DocumentRef-x:LicenseRef-y', 'MIT and Zlib']) {
    assert.deepEqual(checkSpdxExpression(ok), { ok: true }, ok);
  }
  for (const bad of ['', 'MIT OR', '(MIT', 'MIT)', 'AND MIT', 'Proprietary', 'MIT WITH Nope', 'MIT MIT']) assert.equal(checkSpdxExpression(bad).ok, false, bad);
  assert.deepEqual(checkSpdxExpression('Apache 2.0'), { ok: false, message: '"Apache 2.0" is not an SPDX identifier', suggestion: 'Apache-2.0' });
});
