import type { CircuitStateName } from '../types.js';

/**
 * A shape per state, shown next to the text so that colour is never the only signal (WCAG 1.4.1): a check, a cross,
 * a half-filled circle, a barred circle. Hidden from screen readers, which read the text. @internal
 */
export const circuitStateSymbols: Readonly<Record<CircuitStateName, string>> = Object.freeze({
  closed: '✓',
  open: '✕',
  halfOpen: '◐',
  isolated: '⊘',
});
