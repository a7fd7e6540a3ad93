/**
 * Gives `target` the former names of some of its fields, as read-only getters of the fields they were renamed to:
 * `former` maps each old name to the current one. The getters are not enumerable, so `JSON.stringify`, an object
 * spread and `toEqual` show the current names only, while code that still reads an old name gets the same value for
 * one more release. Returns `target`.
 */
export function withFormerNames<T extends object, F extends Readonly<Record<string, keyof T>>>(
  target: T,
  former: F,
): T & { readonly [K in keyof F]: T[F[K]] } {
  for (const [oldName, currentName] of Object.entries(former) as [string, keyof T][]) {
    // Not enumerable, not writable, not configurable: defineProperty's defaults.
    Object.defineProperty(target, oldName, { get: () => target[currentName] });
  }
  return target as T & { readonly [K in keyof F]: T[F[K]] };
}
