/**
 * Generates the rules table in README.md (between the rules markers) and one page per rule in
 * docs/rules/, from rule metadata. `--check` exits 1 when anything is stale (CI runs it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/core/rules/index';
import type { Rule } from '../server/src/core/rules/types';
import { ruleDocUrl, ruleSlug } from '../server/src/core/rules/docs-url';

const root = join(__dirname, '..');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

function eqLinks(r: Rule): string {
  return r.meta.equivalents.map((e) => `\`${e}\``).join(' ') || '';
}

export function rulesTable(): string {
  const families: [string, (r: Rule) => boolean][] = [
    ['Build errors (the build would fail)', (r) => r.meta.category === 'build-error'],
    ["BuildKit's build checks", (r) => r.meta.category === 'buildkit'],
    ['Shell analysis inside RUN', (r) => r.meta.category === 'shell'],
    ['Best practice (hadolint and more)', (r) => !['build-error', 'buildkit', 'shell'].includes(r.meta.category)],
  ];
  const out: string[] = [];
  const fixable = RULES.filter((r) => r.meta.fixable).length;
  out.push(`${RULES.length} rules, ${fixable} with automatic fixes. Each rule has a page in \`docs/rules/<rule-id-in-kebab-case>.md\` (also shown by the editor's rule link). Every rule can be set with \`dockwright.rules\`, \`.hadolint.yaml\` or \`--rule\`, by its id or by an equivalent id.`);
  for (const [title, pred] of families) {
    const rules = RULES.filter(pred);
    if (rules.length === 0) continue;
    out.push('', `#### ${title} (${rules.length})`, '', '| Rule | Level | Fix | Equivalents | What it finds |', '|---|---|---|---|---|');
    for (const r of rules) {
      const level = r.meta.enabledByDefault ? r.meta.severity : `${r.meta.severity} (off by default)`;
      out.push(`| \`${r.meta.id}\` | ${level} | ${r.meta.fixable ? 'yes' : ''} | ${eqLinks(r)} | ${r.meta.title.replace(/\|/g, '\\|')} |`);
    }
  }
  return out.join('\n');
}

export function rulePage(r: Rule): string {
  const url = ruleDocUrl(r);
  return [
    `# ${r.meta.id}`,
    '',
    `**${r.meta.title}** — ${r.meta.severity}${r.meta.enabledByDefault ? '' : ', off by default'}${r.meta.fixable ? ', has a quick fix' : ''}.`,
    '',
    r.meta.docs.rationale,
    '',
    r.meta.equivalents.length ? `Equivalent checks: ${eqLinks(r)}${url.startsWith('http') ? ` ([upstream documentation](${url}))` : ''}.` : 'Dockwright-only check.',
    '',
    '## Triggers it',
    '',
    '```dockerfile',
    r.meta.docs.bad.replace(/\n$/, ''),
    '```',
    '',
    '## Does not',
    '',
    '```dockerfile',
    r.meta.docs.good.replace(/\n$/, ''),
    '```',
    '',
    '## Turning it off',
    '',
    `- For one instruction: a comment line above it, \`# dockwright ignore=${r.meta.id}\`${r.meta.equivalents.some((e) => e.startsWith('hadolint:')) ? ` (or \`# hadolint ignore=${r.meta.equivalents.find((e) => e.startsWith('hadolint:'))!.slice(9)}\`)` : ''}.`,
    `- For a file: \`# dockwright global ignore=${r.meta.id}\`${r.meta.equivalents.some((e) => e.startsWith('buildkit:')) ? ` or the BuildKit directive \`# check=skip=${r.meta.equivalents.find((e) => e.startsWith('buildkit:'))!.slice(9)}\`` : ''}.`,
    `- Everywhere: \`"dockwright.rules": { "${r.meta.id}": "off" }\` in VS Code settings, \`ignored: [${r.meta.id}]\` in .hadolint.yaml, or \`--ignore ${r.meta.id}\` on the command line.`,
    '',
  ].join('\n');
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  const write = (path: string, content: string) => {
    const have = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (have === content) return;
    if (check) stale.push(path);
    else writeFileSync(path, content);
  };
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const s = readme.indexOf(START);
  const e = readme.indexOf(END);
  if (s === -1 || e === -1) throw new Error('README.md lacks the rules markers');
  write(readmePath, readme.slice(0, s + START.length) + '\n' + rulesTable() + '\n' + readme.slice(e));
  const dir = join(root, 'docs', 'rules');
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  for (const r of RULES) {
    const file = `${ruleSlug(r.meta.id)}.md`;
    wanted.add(file);
    write(join(dir, file), rulePage(r));
  }
  for (const f of readdirSync(dir)) {
    if (!wanted.has(f)) {
      if (check) stale.push(join(dir, f));
      else rmSync(join(dir, f));
    }
  }
  if (stale.length) {
    console.error(`Generated docs are stale (run \`npm run docs\`):\n${stale.map((p) => '  ' + p).join('\n')}`);
    process.exit(1);
  }
}

main();
