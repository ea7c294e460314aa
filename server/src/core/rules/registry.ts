/** Looks rules up by their id or by an equivalent id of another tool (DL3008, JSONArgsRecommended, SC2086). */
import type { Rule } from './types';

const cache = new WeakMap<readonly Rule[], Map<string, string>>();

function aliasMap(rules: readonly Rule[]): Map<string, string> {
  let map = cache.get(rules);
  if (map) return map;
  map = new Map();
  for (const r of rules) {
    map.set(r.meta.id.toLowerCase(), r.meta.id);
    for (const e of r.meta.equivalents) {
      const bare = e.includes(':') ? e.slice(e.indexOf(':') + 1) : e;
      if (!map.has(bare.toLowerCase())) map.set(bare.toLowerCase(), r.meta.id);
      map.set(e.toLowerCase(), r.meta.id);
    }
  }
  cache.set(rules, map);
  return map;
}

/** The rule id for a rule id or an equivalent (case-insensitive), or undefined. */
export function resolveRuleId(key: string, rules: readonly Rule[]): string | undefined {
  return aliasMap(rules).get(key.trim().toLowerCase());
}

/** Bare equivalent ids (`DL3025`, `JSONArgsRecommended`) of a rule, for output formats. */
export function bareEquivalents(rule: Rule): string[] {
  return rule.meta.equivalents.map((e) => (e.includes(':') ? e.slice(e.indexOf(':') + 1) : e));
}
