/**
 * react-admin / Material UI flavoured components. `@mui/material` is an optional peer dependency; only this entry
 * (`xstate-circuit-breaker/react-admin`) imports it. The hooks and `CircuitProvider` come from
 * `xstate-circuit-breaker/react`.
 */
export { CircuitStatusChip, type CircuitStatusChipProps } from './CircuitStatusChip.js';
export { useRefreshOnCircuitClose } from './useRefreshOnCircuitClose.js';
