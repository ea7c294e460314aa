/** `RUN --mount=` values split into their options, with positions, as BuildKit's CSV reader splits them. */
import type { Flag, Instruction, Span } from '../syntax/ast';

export interface MountOptionNode {
  readonly key: string;
  /** Undefined for a bare key such as `readonly`. */
  readonly value: string | undefined;
  readonly range: Span;
  readonly keyRange: Span;
  readonly valueRange: Span | undefined;
}

export interface ParsedMount {
  /** The mount type (`bind` when not given). */
  readonly type: string;
  readonly typeOption: MountOptionNode | undefined;
  readonly options: readonly MountOptionNode[];
}

/** Splits a `--mount` flag value. Positions are exact when the value has no quotes. */
export function parseMount(ins: Instruction, flag: Flag): ParsedMount {
  const value = flag.value ?? '';
  const base = flag.valueLogicalStart ?? 0;
  const exact = flag.rawValue === flag.value;
  const span = (a: number, b: number): Span => (exact ? ins.logical.spanOf(base + a, base + b) : flag.valueRange ?? flag.range);
  const options: MountOptionNode[] = [];
  let i = 0;
  while (i <= value.length) {
    const start = i;
    let field = '';
    let quoted = false;
    while (i < value.length && (quoted || value[i] !== ',')) {
      if (value[i] === '"') {
        if (quoted && value[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      field += value[i];
      i++;
    }
    const end = i;
    if (field.length > 0 || end > start) {
      const eq = field.indexOf('=');
      const rawEq = value.indexOf('=', start);
      const hasEq = eq !== -1 && rawEq !== -1 && rawEq < end;
      const key = (hasEq ? field.slice(0, eq) : field).trim().toLowerCase();
      options.push({
        key,
        value: hasEq ? field.slice(eq + 1) : undefined,
        range: span(start, end),
        keyRange: span(start, hasEq ? rawEq : end),
        valueRange: hasEq ? span(rawEq + 1, end) : undefined,
      });
    }
    i++;
  }
  const typeOption = options.find((o) => o.key === 'type');
  return { type: (typeOption?.value ?? 'bind').toLowerCase(), typeOption, options };
}
