/**
 * Image labels as the builder sets them (LABEL keys and values with quotes removed and variables
 * expanded), the label schema people configure for hadolint (`label-schema:` with the types text, url,
 * rfc3339, semver, hash, spdx, email), and validators for each value type.
 */
import type { Instruction, KeyValue, Span } from '../syntax/ast';
import { expand } from './expand';
import type { SemanticModel, Stage } from './model';

export type LabelType = 'text' | 'url' | 'rfc3339' | 'semver' | 'hash' | 'spdx' | 'email';

export const LABEL_TYPES: readonly LabelType[] = ['text', 'url', 'rfc3339', 'semver', 'hash', 'spdx', 'email'];

/** A label schema: label key -> value type. */
export type LabelSchema = ReadonlyMap<string, LabelType>;

/** A configured schema (`label-schema:`) as a map; unknown type names count as `text`. */
export function parseLabelSchema(schema: Readonly<Record<string, string>> | undefined): LabelSchema | undefined {
  if (!schema) return undefined;
  const out = new Map<string, LabelType>();
  for (const [key, type] of Object.entries(schema)) {
    const t = String(type).trim().toLowerCase() as LabelType;
    out.set(key, LABEL_TYPES.includes(t) ? t : 'text');
  }
  return out;
}

/** The labels the configured schema gives `type` (none without a schema). */
export function labelsOfType(schema: Readonly<Record<string, string>> | undefined, type: LabelType): Set<string> {
  const out = new Set<string>();
  for (const [k, t] of parseLabelSchema(schema) ?? []) if (t === type) out.add(k);
  return out;
}

/** One `key=value` of a LABEL instruction, as the builder sets it. */
export interface LabelEntry {
  readonly instruction: Instruction;
  readonly pair: KeyValue;
  /** The key with quotes removed and variables expanded; undefined when it uses an unknown variable. */
  readonly key: string | undefined;
  readonly keyRange: Span;
  /** The value with quotes removed; variables expanded where known. */
  readonly value: string;
  /** True when the value reads a variable (its build-time value may differ). */
  readonly hasVariables: boolean;
  /** Source range of the value text without its outer quotes (empty range where the value is empty). */
  readonly valueRange: Span;
  /** Source range of the whole value as written (quotes included), or the end of the key when absent. */
  readonly rawValueRange: Span;
}

/** The `key=value` entries of a LABEL instruction (not of an ONBUILD LABEL). */
export function labelEntries(model: SemanticModel, ins: Instruction): LabelEntry[] {
  if (ins.keyword !== 'LABEL' || !ins.pairs) return [];
  const scope = model.scopeAt(ins);
  const lookup = (name: string): string | undefined => {
    const d = scope.get(name);
    return d ? (d.value ?? undefined) : undefined;
  };
  const escape = model.ast.escape;
  const out: LabelEntry[] = [];
  for (const pair of ins.pairs) {
    let key: string | undefined = pair.key;
    if (/["'$]/.test(key) || key.includes(escape)) {
      const ex = expand(key, lookup, escape);
      key = ex.error || ex.uses.some((u) => !u.found) ? undefined : ex.words.join(' ');
    }
    const raw = pair.value ?? '';
    const ex = expand(raw, lookup, escape);
    const hasVariables = ex.uses.length > 0;
    const value = ex.error ? raw : ex.words.join(' ');
    const rawValueRange = pair.valueRange ?? { start: pair.keyRange.end, end: pair.keyRange.end };
    out.push({ instruction: ins, pair, key, keyRange: pair.keyRange, value, hasVariables, valueRange: innerRange(model.ast.text, rawValueRange), rawValueRange });
  }
  return out;
}

/** A quoted value's range without its quotes. */
function innerRange(text: string, r: Span): Span {
  const s = text.slice(r.start, r.end);
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return { start: r.start + 1, end: r.end - 1 };
  return r;
}

/** Every LABEL entry of the file, in order (ONBUILD LABELs excluded: they label a child image). */
export function allLabelEntries(model: SemanticModel): LabelEntry[] {
  const out: LabelEntry[] = [];
  for (const ins of model.ast.instructions) if (ins.keyword === 'LABEL') out.push(...labelEntries(model, ins));
  return out;
}

/** Label keys a stage's image carries: its own LABELs and those of the earlier stages it builds on. */
export function stageLabelKeys(model: SemanticModel, stage: Stage): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = stage; s && !seen.has(s); s = s.base.stage) {
    seen.add(s);
    for (const key of ownLabelKeys(model, s)) keys.add(key);
  }
  return keys;
}

const ownLabelKeysCache = new WeakMap<SemanticModel, Map<Stage, readonly string[]>>();

/** The label keys a stage's own LABELs set, in order; computed once per model and stage. */
function ownLabelKeys(model: SemanticModel, stage: Stage): readonly string[] {
  let byStage = ownLabelKeysCache.get(model);
  if (!byStage) ownLabelKeysCache.set(model, (byStage = new Map()));
  let keys = byStage.get(stage);
  if (!keys) {
    const out: string[] = [];
    for (const ins of stage.instructions) for (const e of labelEntries(model, ins)) if (e.key !== undefined) out.push(e.key);
    byStage.set(stage, (keys = out));
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Value validators

const URI_CHARS = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@/?#[\]]*$/;

/** An absolute URI as RFC 3986 defines it (`scheme:rest`), as hadolint's `parseURI` accepts it. */
export function isValidUrl(v: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(v);
  if (!m) return false;
  const rest = m[2];
  if (!URI_CHARS.test(rest)) return false;
  if (/%(?![0-9A-Fa-f]{2})/.test(rest)) return false;
  const hash = rest.indexOf('#');
  if (hash !== -1 && rest.indexOf('#', hash + 1) !== -1) return false;
  const beforeQuery = rest.split(/[?#]/)[0];
  if (beforeQuery.startsWith('//')) {
    const authority = beforeQuery.slice(2).split('/')[0];
    const host = authority.replace(/^[^@]*@/, '');
    if (host.startsWith('[')) {
      if (!/^\[[0-9A-Fa-f:.]+\](:[0-9]*)?$/.test(host) && !/^\[v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+\](:[0-9]*)?$/.test(host)) return false;
    } else if (!/^[A-Za-z0-9\-._~%!$&'()*+,;=]*(:[0-9]*)?$/.test(host)) return false;
  } else if (/[[\]]/.test(beforeQuery)) return false;
  return true;
}

/** A URL fix for a value written without a scheme (`github.com/org/repo`). */
export function urlSuggestion(v: string): string | undefined {
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i.test(v) && !v.includes('..')) {
    const s = 'https://' + v;
    return isValidUrl(s) ? s : undefined;
  }
  return undefined;
}

/** An RFC 3339 date-time (`2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.5+02:00`). */
export function isRfc3339(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (d > days) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A semantic version 2.0.0 (`1.2.3`, `1.0.0-rc.1+build.5`). */
export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}

/** A Git commit id: 7 to 40 lower-case hex digits (abbreviated or full SHA-1), or 64 (SHA-256). */
export function isGitHash(v: string): boolean {
  return /^[0-9a-f]+$/.test(v) && ((v.length >= 7 && v.length <= 40) || v.length === 64);
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = `${ATOM}(?:\\.${ATOM})*`;
const QUOTED = '"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*"';
const DOMAIN_LITERAL = '\\[[\\x21-\\x5a\\x5e-\\x7e]*\\]';
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

/** An RFC 5322 address (`addr-spec`: `local@domain`), as hadolint's email validator accepts it. */
export function isEmail(v: string): boolean {
  if (v.length > 254) return false;
  return ADDR_SPEC.test(v);
}

/**
 * Common SPDX license identifiers (the SPDX License List; matching is case-insensitive). Not the whole
 * list: rare identifiers are reported as unknown, with `LicenseRef-` as the way out.
 */
export const SPDX_IDS: readonly string[] = [
  '0BSD', 'AAL', 'AFL-1.1', 'AFL-1.2', 'AFL-2.0', 'AFL-2.1', 'AFL-3.0', 'AGPL-1.0', 'AGPL-1.0-only', 'AGPL-1.0-or-later',
  'AGPL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.0', 'Apache-1.1', 'Apache-2.0', 'APSL-2.0', 'Artistic-1.0',
  'Artistic-1.0-Perl', 'Artistic-2.0', 'BlueOak-1.0.0', 'BSD-1-Clause', 'BSD-2-Clause', 'BSD-2-Clause-Patent',
  'BSD-2-Clause-Views', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'BSD-3-Clause-LBNL', 'BSD-4-Clause', 'BSD-Source-Code',
  'BSL-1.0', 'BUSL-1.1', 'bzip2-1.0.6', 'CAL-1.0', 'CC-BY-1.0', 'CC-BY-2.0', 'CC-BY-2.5', 'CC-BY-3.0', 'CC-BY-4.0',
  'CC-BY-NC-4.0', 'CC-BY-NC-ND-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0', 'CC0-1.0',
  'CDDL-1.0', 'CDDL-1.1', 'CECILL-2.0', 'CECILL-2.1', 'CECILL-B', 'CECILL-C', 'ClArtistic', 'CNRI-Python', 'CPAL-1.0',
  'CPL-1.0', 'curl', 'ECL-2.0', 'EFL-2.0', 'Elastic-2.0', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.1', 'EUPL-1.2', 'FSFAP',
  'FTL', 'GFDL-1.3', 'GFDL-1.3-only', 'GFDL-1.3-or-later', 'GPL-1.0', 'GPL-1.0-only', 'GPL-1.0-or-later', 'GPL-2.0',
  'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0', 'GPL-3.0-only', 'GPL-3.0-or-later', 'HPND', 'ICU', 'IJG', 'ImageMagick',
  'Imlib2', 'Intel', 'IPA', 'IPL-1.0', 'ISC', 'JSON', 'LGPL-2.0', 'LGPL-2.0-only', 'LGPL-2.0-or-later', 'LGPL-2.1',
  'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'libpng-2.0', 'libtiff',
  'LPL-1.02', 'LPPL-1.3c', 'MirOS', 'MIT', 'MIT-0', 'MIT-CMU', 'MIT-Modern-Variant', 'MPL-1.0', 'MPL-1.1', 'MPL-2.0',
  'MPL-2.0-no-copyleft-exception', 'MS-PL', 'MS-RL', 'MulanPSL-2.0', 'NCSA', 'Net-SNMP', 'NTP', 'OFL-1.1',
  'OFL-1.1-no-RFN', 'OFL-1.1-RFN', 'OGL-UK-3.0', 'OLDAP-2.8', 'OpenSSL', 'OSL-1.0', 'OSL-2.0', 'OSL-2.1', 'OSL-3.0',
  'PHP-3.0', 'PHP-3.01', 'PostgreSQL', 'PSF-2.0', 'Python-2.0', 'Python-2.0.1', 'QPL-1.0', 'Ruby', 'SGI-B-2.0',
  'Sleepycat', 'SMLNJ', 'SSPL-1.0', 'TCL', 'UCL-1.0', 'Unicode-3.0', 'Unicode-DFS-2015', 'Unicode-DFS-2016',
  'Unlicense', 'UPL-1.0', 'Vim', 'W3C', 'W3C-20150513', 'WTFPL', 'X11', 'XFree86-1.1', 'Xnet', 'Zend-2.0', 'Zlib',
  'zlib-acknowledgement', 'ZPL-2.0', 'ZPL-2.1',
];

/** Common SPDX license exceptions (after `WITH`). */
export const SPDX_EXCEPTIONS: readonly string[] = [
  '389-exception', 'Autoconf-exception-2.0', 'Autoconf-exception-3.0', 'Bison-exception-2.2', 'Bootloader-exception',
  'Classpath-exception-2.0', 'CLISP-exception-2.0', 'eCos-exception-2.0', 'Font-exception-2.0', 'GCC-exception-2.0',
  'GCC-exception-3.1', 'GPL-3.0-linking-exception', 'GPL-3.0-linking-source-exception', 'GPL-CC-1.0', 'LGPL-3.0-linking-exception',
  'Libtool-exception', 'Linux-syscall-note', 'LLVM-exception', 'OCaml-LGPL-linking-exception', 'OpenJDK-assembly-exception-1.0',
  'openvpn-openssl-exception', 'Qt-GPL-exception-1.0', 'Qt-LGPL-exception-1.1', 'Swift-exception', 'u-boot-exception-2.0',
  'Universal-FOSS-exception-1.0', 'WxWindows-exception-3.1',
];

const SPDX_BY_LOWER = new Map(SPDX_IDS.map((id) => [id.toLowerCase(), id]));
const EXCEPTION_BY_LOWER = new Map(SPDX_EXCEPTIONS.map((id) => [id.toLowerCase(), id]));

/** Names people write instead of the SPDX identifier. */
const SPDX_ALIASES: Readonly<Record<string, string>> = {
  'apache 2': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  apache2: 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'apache-2.0 license': 'Apache-2.0',
  'mit license': 'MIT',
  'the mit license': 'MIT',
  gplv2: 'GPL-2.0-only',
  'gpl v2': 'GPL-2.0-only',
  'gpl-2': 'GPL-2.0-only',
  gpl2: 'GPL-2.0-only',
  gplv3: 'GPL-3.0-only',
  'gpl v3': 'GPL-3.0-only',
  'gpl-3': 'GPL-3.0-only',
  gpl3: 'GPL-3.0-only',
  lgplv2: 'LGPL-2.0-only',
  'lgplv2.1': 'LGPL-2.1-only',
  lgplv3: 'LGPL-3.0-only',
  agplv3: 'AGPL-3.0-only',
  'agpl-3': 'AGPL-3.0-only',
  'bsd-2': 'BSD-2-Clause',
  'bsd-3': 'BSD-3-Clause',
  'bsd 2-clause': 'BSD-2-Clause',
  'bsd 3-clause': 'BSD-3-Clause',
  'mpl 2.0': 'MPL-2.0',
  'mpl2': 'MPL-2.0',
  'mozilla public license 2.0': 'MPL-2.0',
  'public domain': 'Unlicense',
  cc0: 'CC0-1.0',
};

export type SpdxResult = { ok: true } | { ok: false; message: string; suggestion?: string };

/**
 * Checks an SPDX license expression: identifiers (with an optional `+`), `LicenseRef-`/`DocumentRef-`
 * references, `WITH` exceptions, `AND`/`OR` and parentheses.
 */
export function checkSpdxExpression(v: string): SpdxResult {
  const alias = SPDX_ALIASES[v.trim().toLowerCase()];
  if (alias) return { ok: false, message: `"${v}" is not an SPDX identifier`, suggestion: alias };
  const tokens = v.match(/\(|\)|[^\s()]+/g) ?? [];
  if (tokens.length === 0) return { ok: false, message: 'the value is empty' };
  let pos = 0;
  let error: string | undefined;
  const peek = (): string | undefined => tokens[pos];
  const license = (): boolean => {
    const t = tokens[pos];
    if (t === undefined) {
      error = 'the expression ends early';
      return false;
    }
    if (t === '(') {
      pos++;
      if (!orExpr()) return false;
      if (tokens[pos] !== ')') {
        error = 'a parenthesis is not closed';
        return false;
      }
      pos++;
      return true;
    }
    if (/^(AND|OR|WITH)$/i.test(t) || t === ')') {
      error = `"${t}" where a license identifier was expected`;
      return false;
    }
    pos++;
    if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(t)) return true;
    const id = t.endsWith('+') ? t.slice(0, -1) : t;
    if (!SPDX_BY_LOWER.has(id.toLowerCase())) {
      error = `"${t}" is not a known SPDX license identifier (write LicenseRef-<name> for a license outside the SPDX list)`;
      return false;
    }
    if (peek()?.toUpperCase() === 'WITH') {
      pos++;
      const ex = tokens[pos];
      if (ex === undefined || !EXCEPTION_BY_LOWER.has(ex.toLowerCase())) {
        error = ex === undefined ? 'WITH needs an exception identifier' : `"${ex}" is not a known SPDX license exception`;
        return false;
      }
      pos++;
    }
    return true;
  };
  const andExpr = (): boolean => {
    if (!license()) return false;
    while (peek()?.toUpperCase() === 'AND') {
      pos++;
      if (!license()) return false;
    }
    return true;
  };
  const orExpr = (): boolean => {
    if (!andExpr()) return false;
    while (peek()?.toUpperCase() === 'OR') {
      pos++;
      if (!andExpr()) return false;
    }
    return true;
  };
  if (!orExpr()) return { ok: false, message: error ?? 'invalid expression' };
  if (pos < tokens.length) return { ok: false, message: `unexpected "${tokens[pos]}"` };
  return { ok: true };
}

/**
 * The LABEL entries whose key the configured schema gives `type`, with a literal, non-empty value:
 * values read from variables are only known when the build runs, and empty values are the
 * empty-label check's concern. None without a schema.
 */
export function literalEntriesOfType(model: SemanticModel, schema: Readonly<Record<string, string>> | undefined, type: LabelType): LabelEntry[] {
  const keys = labelsOfType(schema, type);
  if (keys.size === 0) return [];
  return allLabelEntries(model).filter((e) => e.key !== undefined && keys.has(e.key) && !e.hasVariables && e.value !== '');
}
