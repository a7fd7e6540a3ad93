/**
 * Compares two strings ignoring ASCII case, without allocating lower-cased copies.
 *
 * @internal
 * @example
 * equalsIgnoreCase('Retry-After', 'retry-after') // true
 */
export function equalsIgnoreCase(a: string, b: string): boolean {
  const length = a.length;
  if (length !== b.length) return false;
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}
