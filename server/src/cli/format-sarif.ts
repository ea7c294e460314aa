/** SARIF 2.1.0 output, with rule metadata, for code scanning. */
import type { Rule } from '../core/rules/types';
import { ruleDocUrl } from '../core/rules/docs-url';
import type { PlacedFinding } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

export function formatSarif(findings: readonly PlacedFinding[], rules: readonly Rule[], version: string, toUri: (file: string) => string): string {
  const used = new Set(findings.map((f) => f.rule));
  const listed = rules.filter((r) => used.has(r.meta.id) || true);
  const indexOf = new Map(listed.map((r, i) => [r.meta.id, i]));
  const extraIds = [...used].filter((id) => !indexOf.has(id));
  const driverRules = [
    ...listed.map((r) => ({
      id: r.meta.id,
      name: r.meta.id,
      shortDescription: { text: r.meta.title },
      fullDescription: { text: r.meta.docs.rationale },
      helpUri: ruleDocUrl(r).startsWith('http') ? ruleDocUrl(r) : undefined,
      help: {
        text: `${r.meta.docs.rationale}\n\nBad:\n${r.meta.docs.bad}\nGood:\n${r.meta.docs.good}`,
        markdown: `${r.meta.docs.rationale}\n\nBad:\n\`\`\`dockerfile\n${r.meta.docs.bad}\`\`\`\n\nGood:\n\`\`\`dockerfile\n${r.meta.docs.good}\`\`\``,
      },
      defaultConfiguration: { level: LEVEL[r.meta.severity], enabled: r.meta.enabledByDefault },
      properties: { tags: [r.meta.category, ...r.meta.equivalents], precision: 'high' },
    })),
    ...extraIds.map((id) => ({ id, name: id, shortDescription: { text: id } })),
  ];
  extraIds.forEach((id, i) => indexOf.set(id, listed.length + i));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Dockwright', version, semanticVersion: version, rules: driverRules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///' } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: indexOf.get(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
