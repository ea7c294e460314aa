/**
 * Which Dockerfile instruction made each entry of an image's history, for the layer size lenses, the layer
 * hover (through `KnownImageLayers`, see known-layers.ts) and the Inspect Image view.
 *
 * Input is the history as the engine reports it (`docker history --no-trunc --human=false --format '{{json .}}'`,
 * or the image config's `history` from `docker save`) and, optionally, `RootFS.Layers` (the diff ids). Both
 * builders' `created_by` formats are read:
 * - BuildKit: `RUN |1 A=b /bin/sh -c make # buildkit`, `COPY . /app # buildkit`, `WORKDIR /app`, `ENV K=v`,
 *   `EXPOSE map[80/tcp:{}]`, `CMD ["sh"]` (flags such as `--from` dropped, variables of RUN left unexpanded);
 * - the classic builder: `/bin/sh -c #(nop)  ENV K=v`, `/bin/sh -c #(nop) COPY dir:<hash> in /app `,
 *   `|1 A=b /bin/sh -c make`, `/bin/sh -c make` (the `#(nop)` prefix carries the stage's SHELL).
 *
 * The entries are aligned with the instructions of the target stage and the stages it is built on
 * (`FROM builder`), oldest first, by a weighted order-preserving alignment: an entry matches an instruction
 * of the same keyword, more strongly when the command, destination or value agree. Entries older than the
 * first match are the base image's; unmatched later entries (classic `--label`, ONBUILD triggers of the
 * base image) stay unmatched. ARG and ONBUILD instructions may have no entry (builders differ).
 *
 * Pure: history comes in as data. Must not: run docker, read files or guess beyond the alignment.
 */
import type { Analysis } from '../analyze';
import type { Instruction } from '../syntax/ast';
import type { Stage } from '../semantic/model';
import { ancestorStages } from '../semantic/stage-chain';
import type { KnownImageLayers } from './known-layers';

/** One history entry of an image. */
export interface HistoryEntry {
  /** `created_by` as the engine reports it ("" for imported base layers). */
  readonly createdBy: string;
  /** Size of the entry's layer in bytes (0 for entries without a layer). */
  readonly size: number;
  readonly createdAt?: string;
  /** `buildkit.dockerfile.v0` for BuildKit, "" for the classic builder, `Imported from -`... */
  readonly comment?: string;
  /** The image id of this step, when the engine still has it (the classic builder's intermediate images). */
  readonly id?: string;
  /** Whether the entry made no layer, when known (the image config says so; `docker history` does not). */
  readonly emptyLayer?: boolean;
}

/** What a `created_by` says the step was. */
export interface HistoryStep {
  /** Upper-case instruction keyword (`RUN` for classic entries without `#(nop)`). */
  readonly keyword: string;
  /** The rest: the command (classic: with the shell prefix), the arguments or the value. */
  readonly text: string;
  readonly builder: 'buildkit' | 'classic';
}

/** One history entry and what it maps to. */
export interface MappedEntry {
  readonly entry: HistoryEntry;
  readonly step: HistoryStep | undefined;
  /** The instruction that made it (undefined for base image entries and unmatched ones). */
  readonly instruction: Instruction | undefined;
  /** 0-based first line of that instruction. */
  readonly line: number | undefined;
  /** True when the text agrees too (command, destination or value), not just the keyword. */
  readonly exact: boolean;
  /** Whether the entry comes from the base image (older than every entry this Dockerfile made). */
  readonly base: boolean;
  /** Whether the entry made a filesystem layer. */
  readonly layer: boolean;
  /** The layer's diff id (`sha256:...`), when the layers could be paired with the entries. */
  readonly digest: string | undefined;
  /** Sum of the sizes of this entry and every older one, bytes. */
  readonly cumulativeSize: number;
}

export interface LayerMapping {
  /** Oldest first, like the image config's history. */
  readonly entries: readonly MappedEntry[];
  /** The stage whose image this is (the target). */
  readonly target: Stage | undefined;
  /** How many entries were matched to instructions. */
  readonly matched: number;
}

export interface MapLayersOptions {
  /** The build target: stage name (case-insensitive) or index. Undefined: the stage that fits best (ties: the last). */
  readonly target?: string;
  /** `RootFS.Layers`, oldest first. */
  readonly diffIds?: readonly string[];
}

const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD',
  'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
/** Keywords whose history text the builders reformat (Go map or slice syntax), so only the keyword can agree. */
const REFORMATTED = new Set(['EXPOSE', 'VOLUME', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);
/** Keywords that may make a layer even when its size is 0 (WORKDIR creates its directory). */
const LAYER_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Reads a `created_by`. Undefined for entries without one (imported base layers).
 * @example parseCreatedBy('/bin/sh -c #(nop)  ENV A=b') // { keyword: 'ENV', text: 'A=b', builder: 'classic' }
 */
export function parseCreatedBy(createdBy: string, comment = ''): HistoryStep | undefined {
  let s = createdBy.trim();
  if (!s) return undefined;
  let buildkit = comment.startsWith('buildkit.dockerfile');
  if (/\s#\s?buildkit$/.test(s)) {
    s = s.replace(/\s+#\s?buildkit$/, '');
    buildkit = true;
  }
  const first = /^([A-Z]+)(?=\s|$)/.exec(s);
  if (first && KEYWORDS.has(first[1])) return { keyword: first[1], text: s.slice(first[1].length).trim(), builder: 'buildkit' };
  const nop = s.indexOf('#(nop)');
  if (nop >= 0) {
    const rest = s.slice(nop + '#(nop)'.length).trim();
    const m = /^([A-Za-z]+)/.exec(rest);
    if (m) return { keyword: m[1].toUpperCase(), text: rest.slice(m[1].length).trim(), builder: 'classic' };
  }
  return { keyword: 'RUN', text: s, builder: buildkit ? 'buildkit' : 'classic' };
}

/** Parses a size as `docker history` prints it: bytes (`--human=false`) or `50kB`, `1.98MB` (powers of 1000). */
export function parseSize(s: string | number | undefined): number {
  if (typeof s === 'number') return s;
  if (!s) return 0;
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^([\d.]+)\s*([kKMGTP]?i?B)$/.exec(t);
  if (!m) return 0;
  const unit = m[2].toUpperCase();
  const pow = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'].indexOf(unit.replace('I', ''));
  const base = unit.includes('I') ? 1024 : 1000;
  return Math.round(Number(m[1]) * base ** Math.max(0, pow));
}

/**
 * Reads `docker history --no-trunc --human=false --format '{{json .}}'` output (newest first, one JSON object a
 * line) into entries, oldest first. Lines that are not JSON objects are skipped.
 */
export function parseHistoryJsonLines(text: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(t) as Record<string, unknown>;
    } catch {
      continue;
    }
    const id = typeof o.ID === 'string' && o.ID.startsWith('sha256:') ? o.ID : undefined;
    out.push({
      createdBy: typeof o.CreatedBy === 'string' ? o.CreatedBy : '',
      size: parseSize(o.Size as string | number | undefined),
      createdAt: typeof o.CreatedAt === 'string' ? o.CreatedAt : undefined,
      comment: typeof o.Comment === 'string' ? o.Comment : '',
      id,
    });
  }
  return out.reverse();
}

/** The history of an image config (`{ history: [{ created_by, empty_layer, ... }] }`), sizes unknown (0). */
export function historyFromConfig(config: unknown): HistoryEntry[] {
  const h = (config as { history?: unknown } | undefined)?.history;
  if (!Array.isArray(h)) return [];
  return h.map((e: Record<string, unknown>) => ({
    createdBy: typeof e.created_by === 'string' ? e.created_by : '',
    size: 0,
    createdAt: typeof e.created === 'string' ? e.created : undefined,
    comment: typeof e.comment === 'string' ? e.comment : '',
    emptyLayer: e.empty_layer === true,
  }));
}

interface InsKey {
  readonly keyword: string;
  /** RUN: the command as the shell gets it; COPY/ADD: the destination. */
  readonly main: string | undefined;
  /** The arguments, whitespace collapsed. */
  readonly text: string;
}

function insKey(ins: Instruction): InsKey {
  const keyword = ins.keyword;
  if (keyword === 'RUN') {
    const main = ins.json ? collapse(ins.json.items.map((w) => w.value).join(' ')) : ins.shell ? collapse(ins.shell.text) : undefined;
    return { keyword, main: main || undefined, text: collapse(ins.argsText) };
  }
  if (keyword === 'COPY' || keyword === 'ADD') {
    const words = ins.json ? ins.json.items : ins.args;
    const last = words.length > 0 ? words[words.length - 1].value : undefined;
    return { keyword, main: last, text: collapse(ins.argsText) };
  }
  return { keyword, main: undefined, text: collapse(ins.argsText) };
}

const firstToken = (s: string): string => s.split(/[=\s]/, 1)[0];

/** 0: cannot be; 1: same keyword; 2: plausible; 3: the text agrees. */
function score(step: HistoryStep | undefined, key: InsKey): number {
  if (!step || step.keyword !== key.keyword) return 0;
  const t = collapse(step.text);
  switch (key.keyword) {
    case 'RUN': {
      const cmd = key.main;
      if (!cmd) return 1;
      if (t === cmd || t.endsWith(' ' + cmd)) return 3;
      return t.includes(cmd.slice(0, 24)) ? 2 : 1;
    }
    case 'COPY':
    case 'ADD': {
      const want = key.main;
      if (!want) return 1;
      if (want.includes('$')) return 2;
      const inAt = step.builder === 'classic' ? t.lastIndexOf(' in ') : -1;
      const dest = inAt >= 0 ? t.slice(inAt + 4).trim() : t.slice(t.lastIndexOf(' ') + 1);
      return dest === want ? 3 : 1;
    }
    default: {
      if (t === key.text) return 3;
      if (REFORMATTED.has(key.keyword)) return 2;
      if (!key.text.includes('$') && firstToken(t) === firstToken(key.text)) return 2;
      return key.text.includes('$') ? 2 : 1;
    }
  }
}

/** The stage named (case-insensitive) or numbered `target`, or undefined. */
export function findStage(analysis: Analysis, target: string | undefined): Stage | undefined {
  if (target === undefined || target === '') return undefined;
  const stages = analysis.model.stages;
  const lower = target.toLowerCase();
  const named = stages.find((s) => s.name === lower);
  if (named) return named;
  if (/^\d+$/.test(target)) return stages[Number(target)];
  return undefined;
}

/** Instructions whose effect reaches the image of `target`, oldest first: its ancestors' and its own. */
export function chainInstructions(target: Stage): Instruction[] {
  const chain = [...ancestorStages(target)].reverse();
  chain.push(target);
  return chain.flatMap((s) => s.instructions);
}

interface Alignment {
  /** For each entry, the instruction index it matched, or -1. */
  readonly match: Int32Array;
  readonly scores: Int8Array;
  readonly total: number;
}

function align(steps: readonly (HistoryStep | undefined)[], keys: readonly InsKey[]): Alignment {
  const n = steps.length;
  const m = keys.length;
  const w = m + 1;
  // F[i][j]: best score aligning entries i.. with instructions j.. (suffixes, so that the backtrack from the
  // start prefers skipping older entries: an instruction then takes the newest entry that fits).
  const F = new Int32Array((n + 1) * w);
  const S = new Int8Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) S[i * m + j] = score(steps[i], keys[j]);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      let best = Math.max(F[(i + 1) * w + j], F[i * w + j + 1]);
      const s = S[i * m + j];
      if (s > 0) best = Math.max(best, s + F[(i + 1) * w + j + 1]);
      F[i * w + j] = best;
    }
  }
  const match = new Int32Array(n).fill(-1);
  const scores = new Int8Array(n);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const here = F[i * w + j];
    if (F[(i + 1) * w + j] === here) i++;
    else if (F[i * w + j + 1] === here) j++;
    else {
      match[i] = j;
      scores[i] = S[i * m + j];
      i++;
      j++;
    }
  }
  return { match, scores, total: F[0] };
}

/** Decides which entries made layers and pairs them with the diff ids when the counts allow it. */
function layerFlags(entries: readonly HistoryEntry[], steps: readonly (HistoryStep | undefined)[], diffIds: readonly string[] | undefined): { layer: boolean[]; digest: (string | undefined)[] } {
  const n = entries.length;
  const digest: (string | undefined)[] = new Array(n).fill(undefined);
  if (entries.every((e) => e.emptyLayer !== undefined)) {
    const layer = entries.map((e) => !e.emptyLayer);
    if (diffIds && diffIds.length === layer.filter(Boolean).length) {
      let k = 0;
      for (let i = 0; i < n; i++) if (layer[i]) digest[i] = diffIds[k++];
    }
    return { layer, digest };
  }
  // Tier A: certainly a layer (bytes, or a BuildKit RUN/COPY/ADD/WORKDIR: BuildKit always commits those).
  // Tier B: a classic WORKDIR of 0 bytes (a layer when it created the directory).
  // Tier C: a classic RUN/COPY/ADD of 0 bytes, or a 0-byte base entry (no layer when nothing changed).
  const tier = entries.map((e, i): 'A' | 'B' | 'C' | undefined => {
    if (e.size > 0) return 'A';
    const st = steps[i];
    if (!st) return 'C';
    if (!LAYER_KEYWORDS.has(st.keyword)) return undefined;
    if (st.builder === 'buildkit') return 'A';
    return st.keyword === 'WORKDIR' ? 'B' : 'C';
  });
  const count = (ts: string) => tier.filter((t) => t !== undefined && ts.includes(t)).length;
  const guess = tier.map((t) => t === 'A' || t === 'B');
  if (!diffIds) return { layer: guess, digest };
  const pick = [ 'A', 'AB', 'ABC' ].find((ts) => count(ts) === diffIds.length);
  // Counts do not settle it: the best guess, and no digests (they could be off by one).
  if (!pick) return { layer: guess, digest };
  const layer = tier.map((t) => t !== undefined && pick.includes(t));
  let k = 0;
  for (let i = 0; i < n; i++) if (layer[i]) digest[i] = diffIds[k++];
  return { layer, digest };
}

/**
 * Maps history entries (oldest first) to the instructions of the target stage and the stages it builds on.
 * Never throws; with no stages every entry is reported as the base image's.
 */
export function mapLayers(analysis: Analysis, history: readonly HistoryEntry[], options: MapLayersOptions = {}): LayerMapping {
  const steps = history.map((e) => parseCreatedBy(e.createdBy, e.comment));
  const stages = analysis.model.stages;
  let target = findStage(analysis, options.target);
  let best: { stage: Stage; instructions: Instruction[]; alignment: Alignment } | undefined;
  const candidates = target ? [target] : stages;
  for (const stage of candidates) {
    const instructions = chainInstructions(stage);
    const alignment = align(steps, instructions.map(insKey));
    if (!best || alignment.total >= best.alignment.total) best = { stage, instructions, alignment };
  }
  target = best?.stage;
  const match = best ? Array.from(best.alignment.match) : history.map(() => -1);
  const scores = best ? best.alignment.scores : new Int8Array(history.length);
  // A keyword-only match older than the first convincing one is a base image entry that happened to share a
  // keyword (an ARG or ONBUILD of ours that left no entry), not ours.
  const firstStrong = match.findIndex((j, i) => j >= 0 && scores[i] >= 2);
  if (firstStrong > 0) for (let i = 0; i < firstStrong; i++) if (scores[i] < 2) match[i] = -1;
  const firstMatched = match.findIndex((j) => j >= 0);
  const { layer, digest } = layerFlags(history, steps, options.diffIds);
  let cumulative = 0;
  let matched = 0;
  const entries: MappedEntry[] = history.map((entry, i) => {
    cumulative += entry.size;
    const ins = match[i] >= 0 && best ? best.instructions[match[i]] : undefined;
    if (ins) matched++;
    return {
      entry,
      step: steps[i],
      instruction: ins,
      line: ins?.startLine,
      exact: ins !== undefined && scores[i] >= 3,
      base: firstMatched < 0 || i < firstMatched,
      layer: layer[i],
      digest: digest[i],
      cumulativeSize: cumulative,
    };
  });
  return { entries, target, matched };
}

/** The entries that made a layer and map to an instruction: what the layer lenses show. */
export function instructionLayers(mapping: LayerMapping): MappedEntry[] {
  return mapping.entries.filter((e) => e.instruction !== undefined && e.layer && !e.base);
}

/** The mapping as the layer hover's input (known-layers.ts), with the recorded lines. */
export function toKnownImageLayers(mapping: LayerMapping, image: string, created?: string): KnownImageLayers {
  return {
    image,
    created,
    layers: mapping.entries.map((e) => ({
      line: e.line,
      createdBy: e.entry.createdBy,
      size: e.entry.size,
      digest: e.digest,
      empty: !e.layer,
    })),
  };
}
