const MAX = Number.MAX_SAFE_INTEGER;

/**
 * Parses the non-negative decimal written in `text` from `start` (inclusive) to `end` (exclusive), spaces and tabs
 * around it ignored, without allocating.
 *
 * With `fractionDigits` 3 it returns the value times 1000 (seconds to milliseconds), computed on the decimal digits so
 * `"0.57"` gives exactly 570; digits past the third round up (a wait is never shortened). With `fractionDigits` 0 only
 * whole numbers are accepted. Signs, exponents, hex and empty text are rejected. Results are capped at
 * `Number.MAX_SAFE_INTEGER`.
 *
 * @internal
 * @returns The scaled value, or -1 when the text is not a plain non-negative decimal.
 * @example
 * parseDecimal(' 1.5 ', 0, 5, 3) // 1500
 * parseDecimal('42', 0, 2, 0) // 42
 * parseDecimal('-1', 0, 2, 0) // -1
 */
export function parseDecimal(text: string, start: number, end: number, fractionDigits: 0 | 3): number {
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  if (start >= end) return -1;

  let whole = 0;
  let digits = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    digits++;
  }

  let fraction = 0;
  let kept = 0;
  let roundUp = false;
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    if (fractionDigits === 0) return -1;
    i++;
    for (; i < end; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (kept < fractionDigits) {
        fraction = fraction * 10 + c;
        kept++;
      } else if (c !== 0) {
        roundUp = true;
      }
    }
  }
  if (i !== end || digits === 0) return -1;

  if (fractionDigits === 0) return whole > MAX ? MAX : whole;
  for (; kept < 3; kept++) fraction *= 10;
  const value = whole * 1000 + fraction + (roundUp ? 1 : 0);
  return value > MAX ? MAX : value;
}

function isOws(code: number): boolean {
  return code === 32 || code === 9;
}
