/**
 * The layers of an image known to be built from a Dockerfile (recorded by the build feature, e.g. from
 * `docker history --no-trunc` or the build's metadata) and their matching to the Dockerfile's instructions,
 * so the layer hover can show the real size, digest and `created_by` next to the prediction.
 *
 * Pure: the host supplies `KnownImageLayers`; nothing here runs docker. Must not: guess beyond the text match.
 */
import type { Analysis } from '../analyze';
import type { Instruction } from '../syntax/ast';

/** One history entry of a built image. */
export interface KnownLayer {
  /** 0-based line of the instruction that made it, when the recorder knows it (then matching is exact). */
  readonly line?: number;
  /** The history's `created_by`, e.g. `RUN /bin/sh -c npm ci # buildkit`. */
  readonly createdBy: string;
  /** Size of the layer in bytes (0 for metadata-only entries). */
  readonly size: number;
  /** The layer's diff id or digest (`sha256:...`); undefined for entries without a layer. */
  readonly digest?: string;
  /** True for entries that made no filesystem layer (ENV, LABEL, CMD...). */
  readonly empty?: boolean;
}

/** An image built from this Dockerfile. */
export interface KnownImageLayers {
  /** A tag or id to name it in the hover (`myapp:dev`). */
  readonly image: string;
  /** When it was built (ISO 8601). */
  readonly created?: string;
  /** History entries, oldest first (base image entries included). */
  readonly layers: readonly KnownLayer[];
}

/** `created_by` without the builder's decorations: `RUN /bin/sh -c x # buildkit` -> `RUN x`. */
export function normalizeCreatedBy(createdBy: string): string {
  let s = createdBy.trim().replace(/\s+# buildkit$/, '');
  s = s.replace(/^\/bin\/sh -c #\(nop\)\s+/, '');
  s = s.replace(/^\/bin\/sh -c /, 'RUN ');
  // Build arguments in front of the command (`|2 A=b C=d e /bin/sh -c x`): values may hold spaces.
  s = s.replace(/^(?:RUN )?\|\d+ .*?(?=\/bin\/(?:ba)?sh -c |cmd \/S \/C |powershell)/, 'RUN ');
  s = s.replace(/^RUN (?:\/bin\/(?:ba)?sh|cmd \/S \/C|powershell(?:\.exe)?) (?:-\S+ )*-c /, 'RUN ');
  return s.replace(/\s+/g, ' ');
}

function instructionText(analysis: Analysis, ins: Instruction): string {
  const text = analysis.text.slice(ins.range.start, ins.range.end).replace(/\\\r?\n/g, ' ');
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether a history entry plausibly came from an instruction (same keyword, same leading text). */
function sameStep(analysis: Analysis, ins: Instruction, layer: KnownLayer): boolean {
  const created = normalizeCreatedBy(layer.createdBy);
  const keyword = created.split(' ', 1)[0].toUpperCase();
  if (keyword !== ins.keyword) return false;
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD' || ins.keyword === 'EXPOSE' || ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') return true;
  const want = instructionText(analysis, ins).slice(ins.keywordRaw.length).trim().replace(/^(--\S+\s+)+/, '');
  const got = created.slice(keyword.length).trim();
  const n = Math.min(24, want.length, got.length);
  return n === 0 || want.slice(0, n) === got.slice(0, n);
}

/**
 * Matches history entries to the instructions of the last stage (the image the Dockerfile builds by
 * default): by recorded line when given, otherwise from the newest entry backwards while the text agrees.
 */
export function matchKnownLayers(analysis: Analysis, known: KnownImageLayers | undefined): Map<Instruction, KnownLayer> {
  const out = new Map<Instruction, KnownLayer>();
  if (!known || known.layers.length === 0) return out;
  const instructions = analysis.ast.instructions;
  const byLine = known.layers.filter((l) => l.line !== undefined);
  if (byLine.length > 0) {
    // The recorder aligned them already: the keyword agreeing is enough.
    for (const l of byLine) {
      const ins = instructions.find((i) => i.startLine === l.line);
      if (ins && normalizeCreatedBy(l.createdBy).split(' ', 1)[0].toUpperCase() === ins.keyword) out.set(ins, l);
    }
    return out;
  }
  const stage = analysis.model.stages[analysis.model.stages.length - 1];
  if (!stage) return out;
  const own = stage.instructions.filter((i) => !i.trigger && i.keyword !== 'ONBUILD');
  const isArg = (l: KnownLayer) => normalizeCreatedBy(l.createdBy).startsWith('ARG ');
  let li = known.layers.length - 1;
  let ii = own.length - 1;
  // Builders differ in whether ARG leaves a history entry: skip an ARG on either side that has no partner.
  while (ii >= 0 && li >= 0) {
    const ins = own[ii];
    const layer = known.layers[li];
    if (sameStep(analysis, ins, layer)) {
      out.set(ins, layer);
      ii--;
      li--;
    } else if (ins.keyword === 'ARG') ii--;
    else if (isArg(layer)) li--;
    else break;
  }
  return out;
}
