/**
 * Expands an instruction's word with the values the semantic model knows, the way the builder expands
 * it, and says whether the result depends on a value only known at build time (an ARG without default,
 * a `--build-arg`, an ENV of the base image, a platform ARG). Rules that check expanded values skip
 * those.
 */
import type { Instruction } from '../syntax/ast';
import { expand } from './expand';
import type { SemanticModel } from './model';

export interface ResolvedWords {
  /** The words after expansion (one word unless `split`). */
  readonly words: readonly string[];
  /** True when a variable without a known value was read: `words` is then a guess. */
  readonly unresolved: boolean;
  /** A substitution syntax error (reported by SyntaxError). */
  readonly error: string | undefined;
}

/**
 * Expands `text` with the variables in scope at `ins`. `split` splits the result into words on
 * unquoted white space, as BuildKit's ProcessWords does (EXPOSE); otherwise one word (ProcessWord).
 */
export function resolveWords(model: SemanticModel, ins: Instruction, text: string, split = false): ResolvedWords {
  if (!text.includes('$') && !text.includes('"') && !text.includes("'") && !text.includes(model.ast.escape)) {
    return { words: split ? text.split(/\s+/).filter((w) => w.length > 0) : [text], unresolved: false, error: undefined };
  }
  const scope = model.scopeAt(ins);
  let unresolved = false;
  const ex = expand(
    text,
    (name) => {
      const d = scope.get(name);
      if (!d || d.value === undefined) {
        unresolved = true;
        return undefined;
      }
      return d.value;
    },
    model.ast.escape,
    { split },
  );
  if (ex.error) return { words: [], unresolved: true, error: ex.error.message };
  return { words: ex.words, unresolved, error: undefined };
}
