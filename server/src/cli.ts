/**
 * The Dockwright CLI: the same analysis core as the language server, files in, tty/json/sarif/checkstyle
 * out. Exit status: 1 when a finding is at or above the failure threshold, 0 otherwise, 2 on usage
 * errors or unreadable input.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, type AnalyzeOptions } from './core/analyze';
import { RULES } from './core/rules/index';
import type { Finding, Level, Rule, Severity } from './core/rules/types';
import { resolveRuleId } from './core/rules/registry';
import { cliContextInfo } from './host/context-scan';
import { findDockerfiles } from './host/find-dockerfiles';
import { findHadolintConfig, loadHadolintConfig, type LoadedConfig } from './host/hadolint-config';
import { formatSarif } from './cli/format-sarif';
import { formatCheckstyle, formatTty } from './cli/format-text';
import { type FileResult, place, SEVERITY_RANK } from './cli/report';

const VERSION = '0.1.0';
const FORMATS = ['tty', 'json', 'sarif', 'checkstyle'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: dockwright lint [options] [paths... | -]

Lint Dockerfiles. Directories are searched for Dockerfile, Containerfile, *.Dockerfile and Dockerfile.*;
"-" reads one Dockerfile from standard input.

Options:
  -f, --format <tty|json|sarif|checkstyle>   output format (default: tty)
  -t, --failure-threshold <error|warning|info|hint|none>
                                  exit 1 when a finding is at or above this level (default: error)
  -a, --all                       also run the rules that are off by default
  -c, --config <file>             hadolint configuration to use instead of the nearest .hadolint.yaml
      --no-config                 do not read any .hadolint.yaml
      --rule <id>=<level>         set a rule's level (off, hint, info, warning, error); repeatable
      --ignore <id>               turn a rule off (same as --rule <id>=off); repeatable
      --no-color                  plain output even on a terminal
  -h, --help                      show this help
  -v, --version                   print the version

Other commands:
  dockwright rules [--format tty|json]   list every rule with its id, level and equivalents

Rule ids may be Dockwright ids, hadolint DL ids or BuildKit check names.
`;

class UsageError extends Error {}

interface LintArgs {
  format: Format;
  threshold: Severity | 'none';
  thresholdGiven: boolean;
  all: boolean;
  config: string | undefined;
  noConfig: boolean;
  levels: Record<string, Level>;
  color: boolean;
  paths: string[];
}

function parseArgs(argv: string[]): LintArgs {
  const a: LintArgs = { format: 'tty', threshold: 'error', thresholdGiven: false, all: false, config: undefined, noConfig: false, levels: {}, color: process.stdout.isTTY === true && !process.env.NO_COLOR, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-f':
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format "${v}" (use ${FORMATS.join(', ')})`);
        a.format = v as Format;
        break;
      }
      case '-t':
      case '--failure-threshold': {
        const v = value().toLowerCase().replace(/^style$/, 'info');
        if (!['error', 'warning', 'info', 'hint', 'none'].includes(v)) throw new UsageError(`unknown failure threshold "${v}"`);
        a.threshold = v as Severity | 'none';
        a.thresholdGiven = true;
        break;
      }
      case '-a':
      case '--all':
        a.all = true;
        break;
      case '-c':
      case '--config':
        a.config = value();
        break;
      case '--no-config':
        a.noConfig = true;
        break;
      case '--rule': {
        const v = value();
        const eq = v.lastIndexOf('=');
        const level = v.slice(eq + 1).toLowerCase();
        if (eq <= 0 || !['off', 'hint', 'info', 'warning', 'error'].includes(level)) throw new UsageError(`--rule expects <id>=<off|hint|info|warning|error>, got "${v}"`);
        const id = v.slice(0, eq);
        if (!resolveRuleId(id, RULES)) throw new UsageError(`unknown rule "${id}"`);
        a.levels[id] = level as Level;
        break;
      }
      case '--ignore': {
        const id = value();
        if (!resolveRuleId(id, RULES)) throw new UsageError(`unknown rule "${id}"`);
        a.levels[id] = 'off';
        break;
      }
      case '--no-color':
        a.color = false;
        break;
      case '--color':
        a.color = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        a.paths.push(arg);
    }
  }
  if (a.paths.length === 0) a.paths.push('.');
  return a;
}

function readStdin(): string {
  return readFileSync(0, 'utf8');
}

function lint(argv: string[]): number {
  const args = parseArgs(argv);
  const files: { display: string; path: string | undefined }[] = [];
  const unreadable: string[] = [];
  for (const p of args.paths) {
    if (p === '-') {
      files.push({ display: '-', path: undefined });
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      unreadable.push(`${p}: no such file or directory`);
      continue;
    }
    if (st.isDirectory()) {
      const found = findDockerfiles(p);
      for (const f of found) files.push({ display: relative(process.cwd(), f) || f, path: f });
    } else files.push({ display: p, path: p });
  }
  let explicit: LoadedConfig | undefined;
  if (args.config && !args.noConfig) {
    explicit = loadHadolintConfig(resolve(args.config));
    if (explicit.errors.some((e) => e.endsWith('cannot be read'))) {
      process.stderr.write(`dockwright: ${explicit.errors.join('; ')}\n`);
      return 2;
    }
  }
  const results: FileResult[] = [];
  let threshold = args.threshold;
  for (const f of files) {
    let text: string;
    try {
      text = f.path === undefined ? readStdin() : readFileSync(f.path, 'utf8');
    } catch (e) {
      unreadable.push(`${f.display}: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
      continue;
    }
    const dir = f.path ? dirname(resolve(f.path)) : process.cwd();
    const config = args.noConfig ? undefined : (explicit ?? loadNearest(dir));
    if (config?.failureThreshold && !args.thresholdGiven) threshold = config.failureThreshold;
    const options: AnalyzeOptions = {
      levels: { ...(config?.levels ?? {}), ...args.levels },
      all: args.all,
      // The build context: .dockerignore and, when a rule asks, the files (host/context-scan.ts).
      context: cliContextInfo(f.path ? resolve(f.path) : undefined, text, dir),
      ruleOptions: { trustedRegistries: config?.trustedRegistries, labelSchema: config?.labelSchema, strictLabels: config?.strictLabels },
      disableIgnorePragma: config?.disableIgnorePragma,
    };
    const extra: Finding[] = [];
    if (text.slice(0, 8192).includes('\u0000')) {
      unreadable.push(`${f.display}: looks binary (contains NUL bytes), skipped`);
      continue;
    }
    const analysis = analyze(text, options);
    for (const e of config?.errors ?? []) extra.push({ rule: 'ConfigError', severity: 'warning', message: e, range: { start: 0, end: 0 }, fixes: [] });
    for (const fail of analysis.failures) {
      extra.push({ rule: 'InternalError', severity: 'warning', message: `rule ${fail.rule} failed on this file: ${fail.message}`, range: { start: 0, end: 0 }, fixes: [] });
    }
    results.push({ file: f.display, analysis, error: undefined, extra });
  }
  const byId = new Map<string, Rule>(RULES.map((r) => [r.meta.id, r]));
  const placed = place(results, byId);
  const cwdUri = pathToFileURL(process.cwd() + sep).href;
  switch (args.format) {
    case 'json':
      process.stdout.write(JSON.stringify(placed, null, 2) + '\n');
      break;
    case 'sarif':
      process.stdout.write(
        formatSarif(placed, RULES, VERSION, (file) => {
          if (file === '-') return 'stdin';
          const abs = pathToFileURL(resolve(file)).href;
          return abs.startsWith(cwdUri) ? abs.slice(cwdUri.length) : abs;
        }) + '\n',
      );
      break;
    case 'checkstyle':
      process.stdout.write(formatCheckstyle(placed, results.map((r) => r.file)));
      break;
    default:
      process.stdout.write(formatTty(placed, results.length, args.color));
  }
  for (const u of unreadable) process.stderr.write(`dockwright: ${u}\n`);
  if (unreadable.length > 0) return 2;
  if (files.length === 0) {
    process.stderr.write(`dockwright: no Dockerfiles found in ${args.paths.join(', ')}\n`);
    return 2;
  }
  if (threshold === 'none') return 0;
  return placed.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold as Severity]) ? 1 : 0;
}

const configCache = new Map<string, LoadedConfig | undefined>();
function loadNearest(dir: string): LoadedConfig | undefined {
  if (configCache.has(dir)) return configCache.get(dir);
  const file = findHadolintConfig(dir);
  const c = file ? loadHadolintConfig(file) : undefined;
  configCache.set(dir, c);
  return c;
}

function listRules(argv: string[]): number {
  const json = argv.includes('json') || argv.includes('--format=json');
  if (json) {
    process.stdout.write(
      JSON.stringify(
        RULES.map((r) => ({ id: r.meta.id, title: r.meta.title, severity: r.meta.severity, enabledByDefault: r.meta.enabledByDefault, category: r.meta.category, equivalents: r.meta.equivalents, fixable: r.meta.fixable })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  for (const r of RULES) {
    const eq = r.meta.equivalents.length ? ` (${r.meta.equivalents.join(', ')})` : '';
    process.stdout.write(`${r.meta.id.padEnd(36)} ${r.meta.severity.padEnd(8)}${r.meta.enabledByDefault ? '' : ' [off]'} ${r.meta.title}${eq}\n`);
  }
  return 0;
}

export function main(argv: string[]): number {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '-v' || cmd === '--version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    if (cmd === 'lint') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE);
        return 0;
      }
      return lint(rest);
    }
    if (cmd === 'rules') return listRules(rest);
    throw new UsageError(`unknown command "${cmd}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dockwright: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`dockwright: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  process.stdout.write('', () => process.exit(code));
}
