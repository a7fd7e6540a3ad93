import { Chip, Tooltip, type ChipProps } from '@mui/material';
import type { ReactNode } from 'react';
import type { CircuitStateName } from '../types.js';
import { circuitStateSymbols } from '../react/circuitStateSymbols.js';
import { useCircuitStatusOf, type CircuitStatusOptions } from '../react/useCircuitStatus.js';

/** Props of {@link CircuitStatusChip}. */
export interface CircuitStatusChipProps extends CircuitStatusOptions, Pick<ChipProps, 'size' | 'variant' | 'sx' | 'className'> {
  /** Render nothing while the circuit is closed (show the chip only when something is wrong). */
  readonly hideWhenClosed?: boolean;
  /** Tooltip text per state, replacing some of the defaults; `false` for no tooltip. */
  readonly descriptions?: Partial<Record<CircuitStateName, ReactNode>> | false;
}

const paletteColors: Readonly<Record<CircuitStateName, ChipProps['color']>> = {
  closed: 'success',
  open: 'error',
  halfOpen: 'warning',
  isolated: 'default',
};

const defaultDescriptions: Readonly<Record<CircuitStateName, string>> = {
  closed: 'The service answers normally; calls go through.',
  open: 'The service failed repeatedly: calls are refused without being sent until a trial call is let through.',
  halfOpen: 'Trial calls are being let through; the circuit closes if they succeed.',
  isolated: 'Calls are held back by hand until the isolation is released.',
};

/**
 * The state of a circuit as a Material UI `Chip` for a react-admin `AppBar`: coloured from the theme palette
 * (success, error, warning, default), with the same words, shape and countdown as `CircuitStatusBadge`
 * (`"contacts: Open · next trial in 42 s"`) and a `Tooltip` that explains the state. It is a polite live region
 * (`role="status"`) and carries `data-state`. Falls back to the executor of the nearest `<CircuitProvider>`.
 *
 * @example
 * import { AppBar, TitlePortal } from 'react-admin'
 * import { CircuitStatusChip } from 'xstate-circuit-breaker/react-admin'
 *
 * const MyAppBar = () => (
 *   <AppBar>
 *     <TitlePortal />
 *     <CircuitStatusChip name="contacts" hideWhenClosed />
 *   </AppBar>
 * )
 */
export function CircuitStatusChip(props: CircuitStatusChipProps): ReactNode {
  const { hideWhenClosed = false, descriptions, size = 'small', variant = 'filled', sx, className } = props;
  const status = useCircuitStatusOf(props, '<CircuitStatusChip>');
  if (hideWhenClosed && status.state === 'closed') return null;

  const chip = (
    <Chip
      role="status"
      aria-live="polite"
      data-state={status.state}
      color={paletteColors[status.state]}
      size={size}
      variant={variant}
      sx={sx}
      className={className}
      icon={<span aria-hidden="true">{circuitStateSymbols[status.state]}</span>}
      label={
        <>
          <span>{status.stateText}</span>
          {status.countdownText === null ? null : (
            <>
              {' '}
              {/* Not announced on each tick; read out with the state when that changes. */}
              <span aria-live="off">
                <span aria-hidden="true">·</span> {status.countdownText}
              </span>
            </>
          )}
        </>
      }
    />
  );
  if (descriptions === false) return chip;
  const description = descriptions?.[status.state] ?? defaultDescriptions[status.state];
  // describeChild: the tooltip describes the chip instead of replacing its accessible name with the tooltip text.
  return (
    <Tooltip title={description} describeChild>
      {chip}
    </Tooltip>
  );
}
