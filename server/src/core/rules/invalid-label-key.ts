/** InvalidLabelKey (hadolint DL3048): label keys outside Docker's key format. */
import { allLabelEntries } from '../semantic/labels';
import { defineRule } from './types';

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

/** Why a key breaks Docker's label key guidelines, or undefined when it follows them. */
export function labelKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'it is empty';
  const reserved = RESERVED.find((p) => key.startsWith(p));
  if (reserved) return `the ${reserved.slice(0, -1)} namespace is reserved for Docker`;
  if (/[A-Z]/.test(key)) return 'it must be lower case';
  const bad = [...key].find((c) => !/[a-z0-9.-]/.test(c));
  if (bad !== undefined) return `"${bad}" is not allowed (use lower-case letters, digits, "." and "-")`;
  if (!/^[a-z]/.test(key)) return 'it must start with a letter';
  if (!/[a-z0-9]$/.test(key)) return 'it must end with a letter or a digit';
  if (key.includes('..') || key.includes('--')) return 'it must not repeat "." or "-"';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'InvalidLabelKey',
    title: 'Label key does not follow the key format',
    category: 'image',
    severity: 'info',
    upstreamSeverity: 'style',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3048'],
    fixable: false,
    docs: {
      rationale:
        'Docker recommends label keys made of lower-case letters, digits, dots and hyphens, starting with a letter, and reserves the com.docker.*, io.docker.* and org.dockerproject.* namespaces. Tools that query labels expect keys in that form (reverse-DNS such as org.opencontainers.image.title).',
      bad: 'FROM alpine:3.20\nLABEL Version=1.0 com.docker.team=web\n',
      good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.0 com.example.team=web\n',
    },
  },
  check(ctx) {
    for (const e of allLabelEntries(ctx.model)) {
      if (e.key === undefined || e.pair.key.includes('$')) continue;
      const problem = labelKeyProblem(e.key);
      if (problem) ctx.report(e.keyRange, `Invalid label key "${e.key}": ${problem}.`);
    }
  },
});
