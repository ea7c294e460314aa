/**
 * The pure parts of image intelligence: platform arithmetic, index entry choice, the WWW-Authenticate,
 * Link and Retry-After parsers, the bundled table (well-formed, what the generator renders), and the
 * editor features (image references, hints, hover, digest pinning) over a fake lookup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../server/src/core/analyze';
import { IMAGE_SIZES } from '../../server/src/core/data/image-sizes';
import {
  canonicalPlatform,
  choosePlatform,
  formatBytes,
  imageKey,
  isAttestation,
  parsePlatform,
  tableFacts,
  type ImageFacts,
  type ImageLookup,
} from '../../server/src/core/features/image-info';
import { imageHoverSection, imageInlayHints, imageUses, pinDigestFixes } from '../../server/src/core/features/images';
import { parseImageRef } from '../../server/src/core/semantic/image-ref';
import { parseChallenges } from '../../server/src/host/registry/auth';
import { apiHost, nextLink, parseRetryAfter, RegistryClient } from '../../server/src/host/registry/client';
import { compareTags } from '../../server/src/host/images/completion-source';
import { normalizeSettings } from '../../server/src/lsp/settings';
import { renderTable, TABLE_FILE } from '../../scripts/gen-image-table';

const D1 = 'sha256:' + '1'.repeat(64);
const D2 = 'sha256:' + '2'.repeat(64);

test('platforms: normalisation (arm64 = arm64/v8, arm = arm/v7, aliases)', () => {
  assert.equal(canonicalPlatform('linux/arm64'), 'linux/arm64/v8');
  assert.equal(canonicalPlatform('linux/aarch64'), 'linux/arm64/v8');
  assert.equal(canonicalPlatform('linux/arm64/v8'), 'linux/arm64/v8');
  assert.equal(canonicalPlatform('linux/arm'), 'linux/arm/v7');
  assert.equal(canonicalPlatform('linux/x86_64'), 'linux/amd64');
  assert.equal(canonicalPlatform('linux/amd64/v1'), 'linux/amd64');
  assert.equal(canonicalPlatform('linux/amd64/v3'), 'linux/amd64/v3');
  assert.equal(parsePlatform('linux'), undefined, 'an OS alone is not a platform');
  assert.equal(parsePlatform('$TARGETPLATFORM'), undefined);
});

test('index entries: exact match, arm fallbacks, attestations never chosen', () => {
  const entries = [
    { digest: 'att', platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
    { digest: 'amd', platform: { os: 'linux', architecture: 'amd64' } },
    { digest: 'amd-v3', platform: { os: 'linux', architecture: 'amd64', variant: 'v3' } },
    { digest: 'arm64', platform: { os: 'linux', architecture: 'arm64' } },
    { digest: 'armv6', platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { digest: 'win', platform: { os: 'windows', architecture: 'amd64' } },
  ];
  const pick = (p: string) => choosePlatform(entries, parsePlatform(p)!)?.digest;
  assert.equal(pick('linux/amd64'), 'amd');
  assert.equal(pick('linux/amd64/v3'), 'amd-v3');
  assert.equal(pick('linux/arm64/v8'), 'arm64');
  assert.equal(pick('linux/arm/v7'), 'armv6');
  assert.equal(pick('linux/arm/v5'), undefined);
  assert.equal(pick('windows/amd64'), 'win');
  assert.equal(pick('linux/s390x'), undefined);
  assert.ok(isAttestation(entries[0]));
  assert.ok(isAttestation({ platform: { os: 'unknown', architecture: 'unknown' } }), 'unknown/unknown without annotation');
  assert.ok(!isAttestation(entries[1]));
});

test('formatBytes uses decimal units like the docker CLI', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1_066_125), '1.1 MB');
  assert.equal(formatBytes(386_000_000), '386 MB');
  assert.equal(formatBytes(42_400_000), '42.4 MB');
  assert.equal(formatBytes(1_500_000_000), '1.5 GB');
  assert.equal(formatBytes(41_000_000), '41 MB');
});

test('WWW-Authenticate: Docker Hub, ghcr, quay, several challenges, escaped quotes', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull' } },
  ]);
  assert.deepEqual(parseChallenges('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"')[0].params.service, 'ghcr.io');
  const two = parseChallenges('Basic realm="x", Bearer realm="https://a/t",scope="repository:a,b:pull"');
  assert.deepEqual(two.map((c) => c.scheme), ['basic', 'bearer']);
  assert.equal(two[1].params.scope, 'repository:a,b:pull', 'commas inside quotes');
  assert.equal(parseChallenges('Bearer realm="a\\"b"')[0].params.realm, 'a"b');
  assert.deepEqual(parseChallenges(undefined), []);
  assert.deepEqual(parseChallenges('garbage ,,, =='), [{ scheme: 'garbage', params: {} }]);
});

test('Link, Retry-After and registry hosts', () => {
  assert.equal(nextLink('</v2/library/python/tags/list?last=3.12&n=1000>; rel="next"', '/v2/library/python/tags/list'), '/v2/library/python/tags/list?last=3.12&n=1000');
  assert.equal(nextLink('<https://evil.example/v2/x/tags/list?last=a>; rel="next"', '/v2/x/tags/list'), undefined, 'never another host');
  assert.equal(nextLink('</v2/other/tags/list?last=a>; rel="next"', '/v2/x/tags/list'), undefined, 'never another list');
  assert.equal(nextLink(undefined, '/v2/x/tags/list'), undefined);
  const now = Date.parse('2025-06-01T00:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Sun, 01 Jun 2025 00:01:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(apiHost('docker.io'), 'registry-1.docker.io');
  assert.equal(apiHost('ghcr.io'), 'ghcr.io');
  const c = new RegistryClient({ timeoutMs: 1000, httpHosts: ['registry.lan:5000'] });
  assert.equal(c.baseUrl('docker.io'), 'https://registry-1.docker.io');
  assert.equal(c.baseUrl('quay.io'), 'https://quay.io');
  assert.equal(c.baseUrl('mcr.microsoft.com'), 'https://mcr.microsoft.com');
  assert.equal(c.baseUrl('public.ecr.aws'), 'https://public.ecr.aws');
  assert.equal(c.baseUrl('gcr.io'), 'https://gcr.io');
  assert.equal(c.baseUrl('127.0.0.1:5000'), 'http://127.0.0.1:5000');
  assert.equal(c.baseUrl('localhost:5000'), 'http://localhost:5000');
  assert.equal(c.baseUrl('registry.lan:5000'), 'http://registry.lan:5000');
  assert.equal(c.baseUrl('registry.lan:6000'), 'https://registry.lan:6000');
});

test('the bundled table is well formed, dated, honest about its source, and what the generator renders', () => {
  assert.match(IMAGE_SIZES.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(IMAGE_SIZES.source.length > 20);
  if (!IMAGE_SIZES.measured) assert.match(IMAGE_SIZES.source, /estimate/i);
  assert.deepEqual(IMAGE_SIZES.platforms, ['linux/amd64', 'linux/arm64/v8']);
  for (const [image, tags] of Object.entries(IMAGE_SIZES.images)) {
    for (const [tag, sizes] of Object.entries(tags)) {
      const r = parseImageRef(`${image}:${tag}`);
      assert.ok(r.ok, `${image}:${tag}`);
      assert.equal(r.ok && r.ref.familiar, image, 'keys are written as in a Dockerfile');
      assert.ok(sizes.some((s) => s !== null), `${image}:${tag} has a figure`);
      for (const s of sizes) assert.ok(s === null || (s > 0 && s < 5000), `${image}:${tag}`);
    }
  }
  for (const must of ['python', 'node', 'golang', 'rust', 'eclipse-temurin', 'ruby', 'php', 'nginx', 'httpd', 'alpine', 'debian', 'ubuntu', 'busybox', 'postgres', 'redis', 'mysql', 'mariadb', 'mongo', 'mcr.microsoft.com/dotnet/sdk', 'mcr.microsoft.com/dotnet/aspnet', 'mcr.microsoft.com/dotnet/runtime', 'gcr.io/distroless/static-debian12']) {
    assert.ok(IMAGE_SIZES.images[must], must);
  }
  assert.equal(readFileSync(TABLE_FILE, 'utf8'), renderTable(IMAGE_SIZES));
});

test('table facts: per platform, none for platforms it lacks', () => {
  const ref = (s: string) => (parseImageRef(s) as { ok: true; ref: never }).ref;
  assert.equal(tableFacts(ref('python:3.12-slim'), 'linux/amd64')?.size, 42_000_000);
  assert.equal(tableFacts(ref('python:3.12-slim'), 'linux/arm64')?.size, 41_000_000);
  assert.equal(tableFacts(ref('docker.io/library/python:3.12-slim'), 'linux/amd64')?.size, 42_000_000);
  assert.equal(tableFacts(ref('eclipse-temurin:17-jre-alpine'), 'linux/arm64')?.status, 'unknown');
  assert.equal(tableFacts(ref('python:3.12'), 'linux/s390x')?.status, 'unknown');
  assert.equal(tableFacts(ref('python'), 'linux/amd64')?.size, 388_000_000, 'no tag means latest');
  assert.equal(tableFacts(ref('example.com/python:3.12'), 'linux/amd64'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Editor features over a fake lookup

function fake(map: Record<string, ImageFacts>): { lookup: ImageLookup; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: (ref, platform) => {
      const key = imageKey(ref, platform);
      asked.push(key);
      return map[key] ?? { status: 'pending' };
    },
  };
}

const DOC = [
  'ARG BASE=registry.lan/app:2',
  'FROM registry.lan/app:1 AS a',
  'FROM --platform=linux/arm64 python:3.12-slim AS b',
  'FROM $BASE',
  'FROM --platform=$BUILDPLATFORM registry.lan/tool:1 AS c',
  'COPY --from=registry.lan/assets:3 /x /y',
  'RUN --mount=type=bind,from=registry.lan/cache:4,target=/c true',
  'ONBUILD COPY --from=registry.lan/onbuild:5 /a /b',
  'FROM a',
  'FROM scratch',
].join('\n');

test('imageUses: FROM, COPY --from, RUN --mount from=, ONBUILD; platforms; literal or not', () => {
  const uses = imageUses(analyze(DOC));
  assert.deepEqual(
    uses.map((u) => [u.ref.familiar + ':' + u.ref.tag, u.kind, u.platform ?? '-', u.platformUnresolved, u.literal]),
    [
      ['registry.lan/app:1', 'from', '-', false, true],
      ['python:3.12-slim', 'from', 'linux/arm64/v8', false, true],
      ['registry.lan/app:2', 'from', '-', false, false],
      ['registry.lan/tool:1', 'from', '-', true, true],
      ['registry.lan/assets:3', 'copy', '-', true, true],
      ['registry.lan/cache:4', 'mount', '-', true, true],
      ['registry.lan/onbuild:5', 'copy', '-', false, true],
    ],
  );
});

test('inlay hints: registry size, table estimate while pending, local size on disk, unknown with a reason', () => {
  const a = analyze(DOC);
  const { lookup } = fake({
    [`registry.lan/app:1|linux/amd64`]: { status: 'known', source: 'registry', size: 48_200_000, sizeKind: 'compressed', platform: 'linux/amd64', registryHost: 'registry.lan', date: '2025-06-01T10:00:00.000Z' },
    [`registry.lan/app:2|linux/amd64`]: { status: 'unknown', reason: 'registry.lan answered 404: no such manifest' },
    [`registry.lan/tool:1|linux/amd64`]: { status: 'known', source: 'local', size: 5_200_000, sizeKind: 'uncompressed', platform: 'linux/amd64' },
  });
  const hints = imageInlayHints(a, { start: 0, end: a.text.length }, lookup, 'linux/amd64');
  const line = (off: number) => a.text.slice(0, off).split('\n').length;
  assert.deepEqual(
    hints.map((h) => [line(h.offset), h.label]),
    [
      [2, '48.2 MB'],
      [3, '≈41 MB (linux/arm64/v8)'],
      [4, 'size unknown'],
      [5, '5.2 MB on disk'],
    ],
    'pending lookups without a table figure show nothing yet',
  );
  assert.match(hints[0].tooltip!, /Source: registry `registry\.lan` \(2025-06-01 10:00 UTC\)/);
  assert.match(hints[1].tooltip!, /bundled table \(figures of 2025-06-01\), estimates/);
  assert.match(hints[1].tooltip!, /Note: the lookup is still running/);
  assert.match(hints[2].tooltip!, /size unknown because registry\.lan answered 404/);
  assert.match(hints[3].tooltip!, /only known at build time/);
  // The range limits the hints; the default platform setting is honoured.
  const arm = imageInlayHints(a, { start: 0, end: a.text.indexOf('\nFROM $BASE') }, lookup, 'linux/arm64');
  assert.deepEqual(arm.map((h) => h.label), ['≈41 MB']);
});

test('hover: size, platforms, digest, local engine, source and date', () => {
  const a = analyze('FROM registry.lan/app:1\n');
  const { lookup } = fake({
    'registry.lan/app:1|linux/amd64': {
      status: 'known',
      source: 'cache',
      registryHost: 'registry.lan',
      date: '2025-06-01T10:00:00.000Z',
      size: 48_200_000,
      sizeKind: 'compressed',
      platform: 'linux/amd64',
      digest: D1,
      multiPlatform: true,
      platforms: [
        { platform: 'linux/amd64', size: 48_200_000, digest: D2 },
        { platform: 'linux/arm64/v8', size: 47_000_000 },
        { platform: 'linux/s390x' },
      ],
      local: { id: 'sha256:' + 'f'.repeat(64), size: 130_000_000, platform: 'linux/amd64' },
    },
  });
  const h = imageHoverSection(a, 8, lookup, 'linux/amd64')!;
  assert.deepEqual(h.range, { start: 5, end: 23 });
  assert.equal(
    h.contents,
    [
      '**Size** for `linux/amd64`: 48.2 MB (compressed)',
      'Platforms offered (3):\n\n| Platform | Compressed |\n|---|---|\n| `linux/amd64` ◀ | 48.2 MB |\n| `linux/arm64/v8` | 47 MB |\n| `linux/s390x` | — |',
      `Digest: \`${D1}\` (image index: every platform)`,
      'Local engine: image `sha256:ffffffffffff`, 130 MB uncompressed (linux/amd64)',
      'Source: cache of registry `registry.lan` (2025-06-01 10:00 UTC)',
    ].join('\n\n'),
  );
  assert.equal(imageHoverSection(a, 2, lookup, 'linux/amd64'), undefined, 'not on the image');
  const pending = imageHoverSection(analyze('FROM registry.lan/x:1'), 6, fake({}).lookup, 'linux/amd64')!;
  assert.match(pending.contents, /looking it up/);
});

test('pin to digest: literal references with a known digest; update a pinned digest when the tag moved', () => {
  const text = 'FROM registry.lan/app:1 AS a\nFROM registry.lan/app:1@' + D2 + '\nFROM $X\nFROM registry.lan/unknown:1\n';
  const a = analyze(text);
  const { lookup } = fake({ 'registry.lan/app:1|linux/amd64': { status: 'known', source: 'registry', digest: D1, size: 1 } });
  const fixes = pinDigestFixes(a, { start: 0, end: text.length }, lookup, 'linux/amd64');
  assert.deepEqual(
    fixes.map((f) => [f.title, f.edits.map((e) => [text.slice(e.range.start, e.range.end), e.newText])]),
    [
      [`Pin registry.lan/app:1 to its digest ${D1.slice(0, 19)}… (from the registry)`, [['', '@' + D1]]],
      [`Update the pinned digest of registry.lan/app:1 to ${D1.slice(0, 19)}… (the tag moved)`, [[D2, D1]]],
    ],
  );
  const first = fixes[0].edits[0];
  assert.equal(first.range.start, 'FROM registry.lan/app:1'.length);
});

test('settings: dockwright.images.* validated, defaults kept', () => {
  assert.deepEqual(normalizeSettings({}).images, { online: true, timeoutMs: 5000, cacheTtlHours: 24, defaultPlatform: 'linux/amd64', extraRegistries: [] });
  assert.deepEqual(
    normalizeSettings({ images: { online: false, timeoutMs: 800, cacheTtlHours: 1, defaultPlatform: 'linux/arm64', extraRegistries: ['Registry.LAN:5000', 'bad host', 3] } }).images,
    { online: false, timeoutMs: 800, cacheTtlHours: 1, defaultPlatform: 'linux/arm64', extraRegistries: ['registry.lan:5000'] },
  );
  assert.deepEqual(normalizeSettings({ images: { timeoutMs: -1, cacheTtlHours: 'x', defaultPlatform: '; rm -rf /' } }).images.timeoutMs, 5000);
  assert.equal(normalizeSettings({ images: { defaultPlatform: '; rm -rf /' } }).images.defaultPlatform, 'linux/amd64');
});

test('tags sort newest first', () => {
  assert.deepEqual(['3.9', '3.12-slim', '3.12', '3.13', 'latest', '3.12-alpine'].sort(compareTags), ['3.13', '3.12', '3.12-alpine', '3.12-slim', '3.9', 'latest']);
});
