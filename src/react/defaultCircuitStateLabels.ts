import type { CircuitStateName } from '../types.js';

/**
 * The words the status components show for each state. Override some with their `labels` prop.
 *
 * @example
 * <CircuitStatusBadge labels={{ ...defaultCircuitStateLabels, open: 'Paused' }} />
 */
export const defaultCircuitStateLabels: Readonly<Record<CircuitStateName, string>> = Object.freeze({
  closed: 'Closed',
  open: 'Open',
  halfOpen: 'Half-open',
  isolated: 'Isolated',
});
