/**
 * The layer-cache rules beyond their fixtures: CopyAllBeforeInstall's rewrite for each ecosystem when the
 * context is unknown (conventional manifests) and known (only the files that exist), ContextNotIgnored's
 * .dockerignore edit applied on disk and the context scanned again, and the pure cache map and layer hover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { RULES } from '../../server/src/core/rules/index';
import type { ContextInfo, Rule } from '../../server/src/core/rules/types';
import { cacheMap } from '../../server/src/core/features/cache-graph';
import { layerHoverSection } from '../../server/src/core/features/layers';
import { cliContextInfo } from '../../server/src/host/context-scan';
import { applyEdits, applyFirstFixes } from '../support/findings';
import { writeContext } from '../support/context-fixture';

const rule = (id: string): Rule => RULES.find((r) => r.meta.id === id)!;
const run = (id: string, text: string, context?: ContextInfo) => analyze(text, { rules: [rule(id)], all: true, context });

/** Dockerfile -> the file after the fix, for each ecosystem, with the context unknown. */
const ECOSYSTEMS: Record<string, [string, string]> = {
  npm: ["FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"],
  yarn: ["FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile && yarn build\n", "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\n"],
  pnpm: ["FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n", "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\n"],
  pip: ["FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt -r requirements-dev.txt\n", "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt requirements-dev.txt ./\nRUN pip install --no-cache-dir -r requirements.txt -r requirements-dev.txt\nCOPY . .\n"],
  poetry: ["FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-interaction\n", "FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-interaction --no-root\nCOPY . .\nRUN poetry install --no-interaction\n"],
  pipenv: ["FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pipenv install --deploy --system\n", "FROM python:3.12\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --deploy --system\nCOPY . .\n"],
  uv: ["FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\n", "FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n"],
  go: ["FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\n", "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"],
  gobuild: ["FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n", "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"],
  cargo: ["FROM rust:1.79\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n", "FROM rust:1.79\nWORKDIR /src\nCOPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nCOPY . .\nRUN cargo build --release\n"],
  maven: ["FROM maven:3.9\nWORKDIR /src\nCOPY . .\nRUN mvn -B package\n", "FROM maven:3.9\nWORKDIR /src\nCOPY pom.xml ./\nRUN mvn -B dependency:go-offline\nCOPY . .\nRUN mvn -B package\n"],
  gradle: ["FROM gradle:8\nWORKDIR /src\nCOPY . .\nRUN gradle build --no-daemon\n", "FROM gradle:8\nWORKDIR /src\nCOPY build.gradle* settings.gradle* ./\nRUN gradle dependencies --no-daemon\nCOPY . .\nRUN gradle build --no-daemon\n"],
  bundler: ["FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install\n", "FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n"],
  composer: ["FROM composer:2\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev\n", "FROM composer:2\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev --no-scripts --no-autoloader\nCOPY . .\nRUN composer install --no-dev\n"],
  dotnet: ["FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet restore\nRUN dotnet publish -c Release -o /out\n", "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY *.csproj *.sln ./\nRUN dotnet restore\nCOPY . .\nRUN dotnet publish -c Release -o /out\n"],
};

for (const [name, [before, after]] of Object.entries(ECOSYSTEMS)) {
  test(`CopyAllBeforeInstall rewrites ${name} without a context, and the result is quiet`, () => {
    const a = run('CopyAllBeforeInstall', before);
    assert.equal(a.findings.length, 1);
    const fixed = applyFirstFixes(before, a.findings);
    assert.equal(fixed, after);
    assert.deepEqual(run('CopyAllBeforeInstall', fixed).findings, []);
  });
}

test('CopyAllBeforeInstall copies only the manifests that exist in a known context', () => {
  const dir = writeContext({ 'package.json': '{}', 'src/index.js': '', '.npmrc': 'x=1\n' });
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\n';
  const context = cliContextInfo(join(dir, 'Dockerfile'), text, dir);
  const a = run('CopyAllBeforeInstall', text, context);
  assert.match(a.findings[0].message, /Copy package\.json and \.npmrc first/);
  assert.equal(applyFirstFixes(text, a.findings), 'FROM node:20\nWORKDIR /app\nCOPY package.json .npmrc ./\nRUN npm install\nCOPY . .\n');
  // The install does not read what was copied when the folder has no package.json.
  const other = 'FROM node:20\nWORKDIR /app\nCOPY src/ ./\nRUN npm install\n';
  assert.deepEqual(run('CopyAllBeforeInstall', other, cliContextInfo(join(dir, 'Dockerfile'), other, dir)).findings, []);
});

test('ContextNotIgnored creates a .dockerignore; applied and rescanned, the rule is quiet', () => {
  const dir = writeContext({ 'package.json': '{}', 'src/index.js': 'x', '.git/HEAD': 'ref', 'node_modules/a/index.js': 'y'.repeat(2000) });
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\n';
  const before = run('ContextNotIgnored', text, cliContextInfo(join(dir, 'Dockerfile'), text, dir));
  assert.equal(before.findings.length, 1);
  assert.match(before.findings[0].message, /there is no \.dockerignore: 4 files \(2\.0 kB\)/);
  const fix = before.findings[0].fixes[0];
  assert.equal(fix.edits.length, 0, 'the Dockerfile is not edited');
  const fe = fix.fileEdits![0];
  assert.equal(fe.path, join(dir, '.dockerignore'));
  assert.equal(fe.create, true);
  assert.ok(!existsSync(fe.path));
  writeFileSync(fe.path, fe.text!);
  assert.match(readFileSync(fe.path, 'utf8'), /^\.git$/m);
  assert.match(readFileSync(fe.path, 'utf8'), /^node_modules$/m);
  assert.deepEqual(run('ContextNotIgnored', text, cliContextInfo(join(dir, 'Dockerfile'), text, dir)).findings, []);
});

test('ContextNotIgnored extends an existing .dockerignore; applied and rescanned, the rule is quiet', () => {
  const dir = writeContext({ '.dockerignore': '*.log', 'app.py': 'x', '.venv/pyvenv.cfg': 'home', '.venv/lib/six.py': 's'.repeat(500), 'pkg/__pycache__/m.pyc': 'c' });
  const text = 'FROM python:3.12\nCOPY . /srv\n';
  const before = run('ContextNotIgnored', text, cliContextInfo(join(dir, 'Dockerfile'), text, dir));
  assert.equal(before.findings.length, 1);
  const fe = before.findings[0].fixes[0].fileEdits![0];
  assert.equal(fe.create, undefined);
  assert.equal(fe.text, '*.log');
  const updated = applyEdits(fe.text!, fe.edits!);
  assert.equal(updated, '*.log\n\n# Added by Dockwright: 505 B the image does not need.\n.venv\n**/__pycache__\n');
  writeFileSync(fe.path, updated);
  assert.deepEqual(run('ContextNotIgnored', text, cliContextInfo(join(dir, 'Dockerfile'), text, dir)).findings, []);
});

const MULTI = `FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY src/ ./src/
RUN npm run build

FROM deps AS test
RUN npm test

FROM nginx:1.27
COPY --from=deps /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
`;

test('cache map: the first instruction a file busts, and what re-runs after it, across stages', () => {
  const a = analyze(MULTI, { rules: [] });
  const lock = cacheMap(a, 'package-lock.json');
  assert.equal(lock.busts[0].instruction.startLine, 2);
  // COPY manifests, npm ci, COPY src, build; the test stage's RUN; nginx's COPY --from and the COPY after it.
  assert.deepEqual(lock.rebuilt.map((i) => i.startLine), [2, 3, 4, 5, 8, 11, 12]);
  const src = cacheMap(a, 'src/app.js');
  assert.deepEqual(src.rebuilt.map((i) => i.startLine), [4, 5, 8, 11, 12]);
  assert.deepEqual(cacheMap(a, 'nginx.conf').rebuilt.map((i) => i.startLine), [12]);
  assert.deepEqual(cacheMap(a, 'README.md').busts, []);
  assert.equal(cacheMap(a, 'src', { folder: true }).busts[0].instruction.startLine, 4);
  assert.equal(cacheMap(a, 'src/app.js', { isIgnored: (p) => p.startsWith('src/') }).ignored, true);
});

test('layer hover: layer or metadata, cache key with context files, what re-runs, the known layer', () => {
  const dir = writeContext({ 'package.json': 'p'.repeat(1200), 'package-lock.json': 'l'.repeat(3400), 'src/a.js': 'a' });
  const a = analyze(MULTI, { rules: [] });
  const context = cliContextInfo(join(dir, 'Dockerfile'), MULTI, dir);
  const at = (line: number) => a.ast.instructions.find((i) => i.startLine === line)!.keywordRange.start;
  const copy = layerHoverSection(a, at(2), { context })!.contents;
  assert.match(copy, /`COPY` creates a filesystem layer/);
  assert.match(copy, /the content of 2 files \(4\.6 kB\) from the build context/);
  assert.match(copy, /Largest: `package-lock\.json` 3\.4 kB, `package\.json` 1\.2 kB/);
  assert.match(copy, /6 later steps re-run: line 4 `RUN npm ci`, line 5 `COPY src\/ \.\/src\/`, line 6 `RUN npm run build`, and 3 more/);
  const workdir = layerHoverSection(a, at(1))!.contents;
  assert.match(workdir, /creates the directory when it is missing/);
  const cmd = 'FROM alpine\nENV A=1\nLABEL b=2\nRUN echo $A\n';
  const b = analyze(cmd, { rules: [] });
  assert.match(layerHoverSection(b, cmd.indexOf('LABEL'))!.contents, /image configuration only/);
  assert.match(layerHoverSection(b, cmd.indexOf('ENV'))!.contents, /1 later step re-runs: line 4 `RUN echo \$A`/);
  assert.equal(layerHoverSection(b, cmd.indexOf('echo')), undefined, 'only on the keyword');
  const known = { image: 'web:dev', layers: [{ createdBy: 'RUN /bin/sh -c echo $A # buildkit', size: 2_500_000, digest: 'sha256:' + 'c'.repeat(64) }] };
  assert.match(layerHoverSection(b, cmd.indexOf('RUN'), { known })!.contents, /\*\*Last build\*\* \(`web:dev`\): 2\.5 MB, `sha256:cccccccccccc…`; created by `RUN echo \$A`/);
});
