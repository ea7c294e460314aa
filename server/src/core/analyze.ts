/**
 * One analysis of one document version: parse, build the semantic model, run every enabled rule,
 * apply the suppressions people already write (`# check=skip=`, `# hadolint ignore=`,
 * `# dockwright ignore=`) and the configured levels. A failing rule is recorded, never thrown.
 */
import { parse } from './syntax/parser';
import type { DockerfileAst, Instruction, Span } from './syntax/ast';
import { buildModel, type SemanticModel } from './semantic/model';
import type { ContextInfo, Finding, Level, ReportOptions, Rule, RuleOptions, Severity } from './rules/types';
import { RULES } from './rules/index';
import { resolveRuleId } from './rules/registry';
import { reuseScriptsFrom } from './shell/index';

export interface AnalyzeOptions {
  /** Levels by rule id, hadolint DL id or BuildKit check name. */
  readonly levels?: Readonly<Record<string, Level>>;
  /** Run rules that are off by default too. */
  readonly all?: boolean;
  readonly context?: ContextInfo;
  readonly ruleOptions?: RuleOptions;
  /** Ignore `# hadolint ignore=` and `# dockwright ignore=` comments (hadolint's disable-ignore-pragma). */
  readonly disableIgnorePragma?: boolean;
  /** Rules to run instead of the registry (tests). */
  readonly rules?: readonly Rule[];
}

export interface RuleFailure {
  readonly rule: string;
  readonly message: string;
}

export interface Analysis {
  readonly text: string;
  readonly ast: DockerfileAst;
  readonly model: SemanticModel;
  readonly findings: readonly Finding[];
  /** Rules that threw; their findings are missing, everything else is intact. */
  readonly failures: readonly RuleFailure[];
}

/**
 * Parses and builds the semantic model only: what editor features need, without running rules. With the
 * analysis of the document's previous version, the shell scripts of unchanged RUN instructions are taken
 * from it instead of being parsed again.
 */
export function analyzeSyntax(text: string, previous?: Analysis): Analysis {
  const ast = parse(text);
  const model = buildModel(ast);
  if (previous) reuseScriptsFrom(model, previous.model);
  return { text, ast, model, findings: [], failures: [] };
}

/** Analyses a Dockerfile. Never throws. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return runRules(analyzeSyntax(text), options);
}

/** Runs the rules over an existing syntax analysis (sharing its tree and model). */
export function runRules(base: Analysis, options: AnalyzeOptions = {}): Analysis {
  const { text, ast, model } = base;
  const rules = options.rules ?? RULES;
  const levels = normalizeLevels(options.levels, rules);
  const suppress = collectSuppressions(ast, options.disableIgnorePragma === true, rules);
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of rules) {
    const id = rule.meta.id;
    const configured = levels.get(id);
    if (configured === 'off') continue;
    const isBuildkit = rule.meta.equivalents.some((e) => e.startsWith('buildkit:'));
    // BuildKit's experimental checks (off by default here too) can be enabled by the file itself.
    const enabledByFile = isBuildkit && !rule.meta.enabledByDefault && (suppress.allExperimental || suppress.experimental.has(id));
    if (!configured && !rule.meta.enabledByDefault && !options.all && !enabledByFile) continue;
    if (suppress.fileSkips.has(id)) continue;
    if (isBuildkit && suppress.checkSkipAll && !enabledByFile) continue;
    let severity: Severity = configured ?? rule.meta.severity;
    if (!configured && isBuildkit && suppress.checkError && rule.meta.category === 'buildkit') severity = 'error';
    const report = (range: Span, message: string, opts: ReportOptions = {}): void => {
      const start = Math.max(0, Math.min(range.start, text.length));
      const end = Math.max(start, Math.min(range.end, text.length));
      findings.push({
        rule: id,
        severity: configured ?? (opts.severity && severity === rule.meta.severity ? opts.severity : severity),
        message,
        range: { start, end },
        fixes: opts.fixes ?? [],
        related: opts.related,
        tags: opts.tags,
      });
    };
    try {
      rule.check({ text, ast, model, context: options.context, options: options.ruleOptions ?? {}, report });
    } catch (e) {
      failures.push({ rule: id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  const kept = findings.filter((f) => !suppress.isSuppressed(f));
  kept.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.rule.localeCompare(b.rule));
  return { text, ast, model, findings: kept, failures };
}

function normalizeLevels(levels: Readonly<Record<string, Level>> | undefined, rules: readonly Rule[]): Map<string, Level> {
  const out = new Map<string, Level>();
  if (!levels) return out;
  for (const [key, level] of Object.entries(levels)) {
    const id = resolveRuleId(key, rules);
    if (id) out.set(id, level);
  }
  return out;
}

interface Suppressions {
  /** BuildKit experimental checks turned on with `# check=experimental=...`. */
  readonly experimental: Set<string>;
  readonly allExperimental: boolean;
  readonly fileSkips: Set<string>;
  readonly checkSkipAll: boolean;
  readonly checkError: boolean;
  isSuppressed(f: Finding): boolean;
}

const HADOLINT_RE = /^\s*hadolint\s+(global\s+)?ignore\s*=\s*([\w,\s-]+)$/i;
const DOCKWRIGHT_RE = /^\s*dockwright\s+(global\s+)?ignore\s*=\s*([\w,\s-]+)$/i;
const CHECK_RE = /^\s*check\s*=\s*(.*)$/i;

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * Parses BuildKit's `check` directive value as BuildKit does: `skip=A,B` or `skip=all`, and
 * `error=<bool>`, separated by one `;`. Keys are case-sensitive; `all` counts only on its own.
 */
export function parseCheckDirective(value: string): { skip: string[]; all: boolean; error: boolean; experimental: string[]; allExperimental: boolean } {
  const skip: string[] = [];
  const experimental: string[] = [];
  let all = false;
  let allExperimental = false;
  let error = false;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === 'skip') {
      const ids = val.split(',').map((s) => s.trim()).filter(Boolean);
      if (ids.length === 1 && ids[0] === 'all') all = true;
      else skip.push(...ids.filter((id) => id !== 'all'));
    } else if (key === 'error') error = GO_TRUE.has(val);
    else if (key === 'experimental') {
      const ids = val.split(',').map((s) => s.trim()).filter(Boolean);
      if (ids.length === 1 && ids[0] === 'all') allExperimental = true;
      else experimental.push(...ids.filter((id) => id !== 'all'));
    }
  }
  return { skip, all, error, experimental, allExperimental };
}

function collectSuppressions(ast: DockerfileAst, disablePragma: boolean, rules: readonly Rule[]): Suppressions {
  const fileSkips = new Set<string>();
  const experimental = new Set<string>();
  let allExperimental = false;
  let checkSkipAll = false;
  let checkError = false;
  const addIds = (set: Set<string>, list: string[]) => {
    for (const raw of list) {
      const id = resolveRuleId(raw.trim(), rules);
      if (id) set.add(id);
    }
  };
  for (const d of ast.directives) {
    if (d.name !== 'check') continue;
    const c = parseCheckDirective(d.value);
    checkSkipAll = checkSkipAll || c.all;
    checkError = checkError || c.error;
    addIds(fileSkips, c.skip);
    addIds(experimental, c.experimental);
    allExperimental = allExperimental || c.allExperimental;
  }
  // Comment-based suppressions attach to the next instruction.
  const perInstruction: { span: Span; ids: Set<string> }[] = [];
  const instructions = ast.instructions;
  let next = 0;
  for (const c of ast.comments) {
    if (c.insideInstruction) continue;
    let m = !disablePragma ? HADOLINT_RE.exec(c.text) ?? DOCKWRIGHT_RE.exec(c.text) : null;
    let ids: string[] = [];
    let global = false;
    if (m) {
      global = Boolean(m[1]);
      ids = m[2].split(',');
    } else {
      m = CHECK_RE.exec(c.text);
      if (!m || ast.directives.some((d) => d.range.start === c.range.start)) continue;
      ids = parseCheckDirective(m[1]).skip;
    }
    if (global) {
      addIds(fileSkips, ids);
      continue;
    }
    while (next < instructions.length && instructions[next].range.start < c.range.end) next++;
    const target: Instruction | undefined = instructions[next];
    if (!target) continue;
    const set = new Set<string>();
    addIds(set, ids);
    perInstruction.push({ span: target.fullRange, ids: set });
  }
  return {
    experimental,
    allExperimental,
    fileSkips,
    checkSkipAll,
    checkError,
    isSuppressed(f) {
      if (fileSkips.has(f.rule)) return true;
      // The comments' instructions come in file order and do not overlap: look from the last one starting at or
      // before the finding back to the first one that ends before it.
      let lo = 0;
      let hi = perInstruction.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (perInstruction[mid].span.start <= f.range.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0 && perInstruction[i].span.end >= f.range.start; i--) {
        if (perInstruction[i].ids.has(f.rule)) return true;
      }
      return false;
    },
  };
}
