/** Reads what a story's loader returned under `key`, or throws a message naming it (never renders `undefined`). */
export function loadedValue<T>(loaded: Readonly<Record<string, unknown>>, key: string): T {
  if (!Object.hasOwn(loaded, key) || loaded[key] === undefined) {
    throw new Error(`This story needs its loader to return { ${key} }; it returned { ${Object.keys(loaded).join(', ')} }.`);
  }
  return loaded[key] as T;
}
