/**
 * Open documents and their analyses: one analysis per document version and settings generation,
 * shared by every request. Also decides what a document's analysis options are (settings,
 * .hadolint.yaml, build context) and what is too large or not text to analyse.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSyntax, runRules, type Analysis, type AnalyzeOptions } from '../core/analyze';
import type { Finding } from '../core/rules/types';
import { documentContext } from '../host/context-scan';
import { findHadolintConfig, loadHadolintConfig, type LoadedConfig } from '../host/hadolint-config';
import type { Settings, SettingsStore } from './settings';

/** Above this size a document is not analysed at all (the user is told), so the server stays responsive. */
export const MAX_ANALYSED_BYTES = 2 * 1024 * 1024;

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly analysis: Analysis;
  readonly settings: Settings;
  readonly config: LoadedConfig | undefined;
  /** Why analysis was limited, if it was. */
  readonly skipped: string | undefined;
}

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  return head.includes('\u0000');
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, { version: number; generation: number; result: Promise<DocumentAnalysis> }>();
  /** Parse + semantic model per document version, shared by the full analysis and by editor features. */
  private readonly syntaxCache = new Map<string, { version: number; analysis: Analysis }>();
  /** Trust of the workspace: untrusted workspaces do not read config files from disk. */
  trusted = true;

  constructor(private readonly settings: SettingsStore) {
    this.documents.onDidClose((e) => {
      this.cache.delete(e.document.uri);
      this.syntaxCache.delete(e.document.uri);
    });
    // A re-opened document may have the same version number with different text.
    this.documents.onDidOpen((e) => {
      this.cache.delete(e.document.uri);
      this.syntaxCache.delete(e.document.uri);
    });
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The analysis of the document's current version (cached). */
  analysis(uri: string): Promise<DocumentAnalysis> | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const hit = this.cache.get(uri);
    if (hit && hit.version === doc.version && hit.generation === this.settings.generation) return hit.result;
    const result = this.compute(doc);
    this.cache.set(uri, { version: doc.version, generation: this.settings.generation, result });
    return result;
  }

  invalidateAll(): void {
    this.cache.clear();
  }

  /**
   * The syntax tree and semantic model of the current version, without rule findings: cheap, so
   * completion, hover and the like never wait for the rules. Undefined for unknown documents.
   */
  syntax(uri: string): Analysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const hit = this.syntaxCache.get(uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const text = doc.getText();
    let analysis: Analysis;
    if (looksBinary(text) || text.length > MAX_ANALYSED_BYTES) analysis = { ...analyzeSyntax(''), text };
    // The version before lends the scripts of the RUN instructions the edit did not change.
    else analysis = analyzeSyntax(text, hit?.analysis);
    this.syntaxCache.set(uri, { version: doc.version, analysis });
    return analysis;
  }

  /** Like `analysis`, but with the syntax-only analysis: for features that need no findings. */
  syntaxAnalysis(uri: string): Promise<DocumentAnalysis> | undefined {
    const doc = this.documents.get(uri);
    const analysis = this.syntax(uri);
    if (!doc || !analysis) return undefined;
    const version = doc.version;
    return this.settings.get(uri).then((settings) => ({ uri, version, analysis, settings, config: undefined, skipped: undefined }));
  }

  private async compute(doc: TextDocument): Promise<DocumentAnalysis> {
    const settings = await this.settings.get(doc.uri);
    const text = doc.getText();
    const path = filePathOf(doc.uri);
    let config: LoadedConfig | undefined;
    if (path && this.trusted) {
      const file = settings.hadolint.configFile || findHadolintConfig(dirname(path));
      if (file) config = loadHadolintConfig(file);
    }
    let skipped: string | undefined;
    const options: AnalyzeOptions = {
      levels: { ...(config?.levels ?? {}), ...settings.rules },
      all: settings.lint.enableAll,
      // Build context: .dockerignore plus the scanned file index (host/context-scan.ts, layer-cache module).
      context: path && this.trusted ? await documentContext(doc.uri, path, text) : undefined,
      ruleOptions: {
        trustedRegistries: config?.trustedRegistries,
        labelSchema: config?.labelSchema,
        strictLabels: config?.strictLabels,
      },
      disableIgnorePragma: config?.disableIgnorePragma,
    };
    let analysis: Analysis;
    const base = this.syntax(doc.uri) ?? analyzeSyntax(text);
    if (looksBinary(text)) {
      skipped = 'This file contains NUL bytes and looks binary: Dockwright did not analyse it.';
      analysis = base;
    } else if (text.length > MAX_ANALYSED_BYTES) {
      skipped = `This file is ${(text.length / 1048576).toFixed(1)} MB: Dockwright analyses files up to ${MAX_ANALYSED_BYTES / 1048576} MB, so checks and editor features were skipped for it.`;
      analysis = base;
    } else {
      analysis = runRules(base, options);
    }
    return { uri: doc.uri, version: doc.version, analysis, settings, config, skipped };
  }
}

/** Findings plus notices about skipped analysis and configuration errors. */
export function allFindings(da: DocumentAnalysis): readonly Finding[] {
  const extra: Finding[] = [];
  if (da.skipped) extra.push({ rule: 'AnalysisSkipped', severity: 'info', message: da.skipped, range: { start: 0, end: 0 }, fixes: [] });
  for (const e of da.config?.errors ?? []) {
    extra.push({ rule: 'ConfigError', severity: 'warning', message: `hadolint configuration: ${e}`, range: { start: 0, end: 0 }, fixes: [] });
  }
  for (const f of da.analysis.failures) {
    extra.push({ rule: 'InternalError', severity: 'hint', message: `Rule ${f.rule} failed on this file and was skipped: ${f.message}`, range: { start: 0, end: 0 }, fixes: [] });
  }
  return extra.length ? [...extra, ...da.analysis.findings] : da.analysis.findings;
}
