import { Chip, Tooltip, type ChipProps, type SxProps, type Theme } from '@mui/material';
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

/**
 * MUI's light `warning.main` (#ED6C02) gives white text 3.1:1 and is 3.1:1 as text on white; the half-open chip uses
 * a darker orange (#8A5300: 6.1:1 with white, 6.1:1 on white) so every state passes WCAG AA (4.5:1) in the default
 * light theme. The other palette colours (success #2E7D32 5.1:1, error #D32F2F 5.0:1, default grey) already pass.
 */
const halfOpenColor = '#8a5300';

function stateSx(state: CircuitStateName, variant: ChipProps['variant']): SxProps<Theme> {
  if (state !== 'halfOpen') return {};
  return variant === 'outlined'
    ? { color: halfOpenColor, borderColor: halfOpenColor }
    : { bgcolor: halfOpenColor, color: '#fff' };
}

const defaultDescriptions: Readonly<Record<CircuitStateName, string>> = {
  closed: 'The service answers normally; calls go through.',
  open: 'The service failed repeatedly: calls are refused without being sent until a trial call is let through.',
  halfOpen: 'Trial calls are being let through; the circuit closes if they succeed.',
  isolated: 'Calls are held back by hand until the isolation is released.',
};

/**
 * The state of a circuit as a Material UI `Chip` for a react-admin `AppBar`: coloured from the theme palette
 * (success, error, warning, default), with the same words, shape and countdown as `CircuitStatusBadge`
 * (`"contacts: Open · next trial in 42 s"`, `"contacts: Closed · 2 of 5 failed"`) and a `Tooltip` that explains the
 * state. It is focusable (Tab reaches it and opens the tooltip), named by its visible text, and carries `data-state`;
 * its state sentence is a polite live region (`role="status"`) announced once per state change. Falls back to the executor of the nearest `<CircuitProvider>`.
 *
 * @throws {@link TypeError} while rendering, when `executor` is given and is not an executor.
 * @throws {@link Error} while rendering without `executor`: outside a `<CircuitProvider>`, or when it has no executor
 * for `name`.
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

  const detail = status.countdownText ?? status.failuresText;
  const chip = (
    <Chip
      // Focusable so keyboard users reach it and its tooltip opens on focus; a named group, so its accessible name is
      // the visible text (WCAG 2.5.3) while the live region inside it holds only the state sentence.
      tabIndex={0}
      role="group"
      aria-label={status.text}
      data-state={status.state}
      color={paletteColors[status.state]}
      size={size}
      variant={variant}
      sx={[stateSx(status.state, variant), ...(Array.isArray(sx) ? sx : [sx])]}
      className={className}
      icon={<span aria-hidden="true">{circuitStateSymbols[status.state]}</span>}
      label={
        <>
          {/* Changes only when the state changes: one polite announcement per change. */}
          <span role="status" aria-live="polite">
            {status.stateText}
          </span>
          {detail === null ? null : (
            <>
              {' '}
              {/* Outside the live region: the countdown ticks each second. */}
              <span aria-live="off">
                <span aria-hidden="true">·</span> {detail}
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
