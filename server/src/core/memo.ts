/**
 * Answers of pure functions kept on the object they are about: for parse results that never change and that many
 * rules ask the same question of (what a shell command really runs, which package manager it is). Stored as
 * non-enumerable properties, which JSON and deep equality do not see; a property read is cheaper than a WeakMap
 * lookup on paths that run for every command of every rule.
 */
export function memoOn<O extends object, T>(obj: O, key: symbol, compute: (obj: O) => T | undefined): T | undefined {
  const known = (obj as Record<symbol, T | null | undefined>)[key];
  if (known !== undefined) return known ?? undefined;
  const value = compute(obj);
  Object.defineProperty(obj, key, { value: value ?? null });
  return value;
}
