/**
 * What the Build Image command offers to choose from: the file's stages (build targets) and its build
 * arguments with their defaults. Served to the client by the `dockwright/stages` request.
 *
 * Pure: reads the semantic model only.
 */
import type { Analysis } from '../analyze';
import type { Stage } from '../semantic/model';
import { parseImageRef } from '../semantic/image-ref';

export interface StageInfo {
  readonly index: number;
  /** The name as written (`AS Builder`), undefined for unnamed stages. */
  readonly name: string | undefined;
  /** What `--target` takes for it: the name, or undefined when the stage has none (it cannot be a target). */
  readonly target: string | undefined;
  /** 0-based line of its FROM. */
  readonly line: number;
  /** The base as written (`node:${NODE}`) and expanded. */
  readonly base: string;
  readonly baseExpanded: string;
  /** The earlier stage it is built on, by name. */
  readonly fromStage: string | undefined;
  readonly platform: string | undefined;
  /** Instructions after FROM. */
  readonly instructionCount: number;
}

export interface BuildArgInfo {
  readonly name: string;
  /** The default as written (`1.2.${PATCH}`), undefined when there is none. */
  readonly defaultValue: string | undefined;
  /** The default after expansion, when known. */
  readonly expandedDefault: string | undefined;
  /** 0-based line of the first declaration. */
  readonly line: number;
  /** Stage names (or `stage N`) that declare it; empty for a global ARG only. */
  readonly stages: readonly string[];
  /** Declared before the first FROM. */
  readonly global: boolean;
}

export interface BuildInfo {
  readonly stages: readonly StageInfo[];
  readonly args: readonly BuildArgInfo[];
  /** The stage built without `--target`: the last one (its label, `stage N` when unnamed). */
  readonly defaultTarget: string | undefined;
}

function stageLabel(s: Stage): string {
  return s.nameRaw ?? `stage ${s.index}`;
}

/** Predefined ARGs (TARGETPLATFORM, BUILDKIT_INLINE_CACHE...) are not offered: the builder sets them. */
const PREDEFINED = /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$|^BUILDKIT_|^(HTTP|HTTPS|FTP|NO|ALL)_PROXY$/i;

export function buildInfo(analysis: Analysis): BuildInfo {
  const model = analysis.model;
  const stages: StageInfo[] = model.stages.map((s) => ({
    index: s.index,
    name: s.nameRaw,
    target: s.nameRaw,
    line: s.from.startLine,
    base: s.base.raw,
    baseExpanded: s.base.expanded,
    fromStage: s.base.stage ? stageLabel(s.base.stage) : undefined,
    platform: s.platform?.expanded,
    instructionCount: s.instructions.length,
  }));
  const byName = new Map<string, { info: BuildArgInfo; stages: string[] }>();
  const order: string[] = [];
  for (const d of model.decls) {
    if (d.kind !== 'ARG' || !d.instruction || PREDEFINED.test(d.name)) continue;
    let cur = byName.get(d.name);
    const raw = d.pair?.value;
    if (!cur) {
      cur = {
        info: { name: d.name, defaultValue: raw, expandedDefault: raw !== undefined ? d.value : undefined, line: d.instruction.startLine, stages: [], global: !d.stage },
        stages: [],
      };
      byName.set(d.name, cur);
      order.push(d.name);
    } else if (cur.info.defaultValue === undefined && raw !== undefined) {
      cur.info = { ...cur.info, defaultValue: raw, expandedDefault: d.value };
    }
    if (d.stage) {
      const label = stageLabel(d.stage);
      if (!cur.stages.includes(label)) cur.stages.push(label);
    } else if (!cur.info.global) cur.info = { ...cur.info, global: true };
  }
  const args = order.map((n) => {
    const e = byName.get(n)!;
    return { ...e.info, stages: e.stages };
  });
  const last = model.stages[model.stages.length - 1];
  return { stages, args, defaultTarget: last ? stageLabel(last) : undefined };
}

/**
 * A default image name from a folder name: lower-case, runs of characters a repository name cannot hold
 * replaced by `-`, separators trimmed (`My App_v2!` -> `my-app_v2`). `image` when nothing is left.
 */
export function sanitizeImageName(folder: string): string {
  const s = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, (m) => (m === '__' ? m : '-'))
    .replace(/^[._-]+|[._-]+$/g, '');
  return s.slice(0, 128).replace(/[._-]+$/, '') || 'image';
}

/** Why `tag` cannot name an image (`docker build --tag`), or undefined when it can. */
export function validateImageTag(tag: string): string | undefined {
  if (tag.trim() !== tag || tag === '') return 'An image name cannot be empty or have leading or trailing spaces.';
  const r = parseImageRef(tag);
  if (!r.ok) return `Not a valid image name: ${r.error}.`;
  if (r.ref.digest) return 'An image name to build cannot have a digest (@sha256:...).';
  return undefined;
}
