import type { CSSProperties, ReactNode } from 'react';
import type { CircuitStateName } from '../types.js';
import { circuitStateSymbols } from './circuitStateSymbols.js';
import { useCircuitStatusOf, type CircuitStatusOptions } from './useCircuitStatus.js';

/** Props of {@link CircuitStatusBadge}. */
export interface CircuitStatusBadgeProps extends CircuitStatusOptions {
  readonly className?: string;
  /** Merged over the default inline style. */
  readonly style?: CSSProperties;
  /** Render nothing while the circuit is closed (show the badge only when something is wrong). */
  readonly hideWhenClosed?: boolean;
}

/** The colour of each state: a CSS custom property, with a default of sufficient contrast on a light background. */
const stateColors: Readonly<Record<CircuitStateName, string>> = {
  closed: 'var(--xcb-closed, #1b6e34)',
  open: 'var(--xcb-open, #b3261e)',
  halfOpen: 'var(--xcb-half-open, #8a5300)',
  isolated: 'var(--xcb-isolated, #555b61)',
};

const baseStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: '0.35em',
  padding: 'var(--xcb-padding, 0.1em 0.6em)',
  border: '1px solid currentColor',
  borderRadius: 'var(--xcb-radius, 999px)',
  background: 'var(--xcb-background, transparent)',
  font: 'inherit',
  fontSize: 'var(--xcb-font-size, 0.875em)',
  lineHeight: 1.4,
  whiteSpace: 'nowrap',
};

/**
 * The state of a circuit as a small badge: text (`"contacts: Open"`), a shape per state, and while open a countdown
 * (`"next trial in 42 s"`), and while closed the failures so far (`"2 of 5 failed"`). Its state sentence
 * (`"contacts: Open"`) is a polite live region (`role="status"`), so screen readers announce each state change once;
 * the countdown and failure count sit outside it. `data-state` on the outer element carries the state name for CSS
 * and tests.
 *
 * Theme it without any UI kit through CSS custom properties set on any ancestor: `--xcb-closed`, `--xcb-open`,
 * `--xcb-half-open`, `--xcb-isolated` (colours), `--xcb-background`, `--xcb-padding`, `--xcb-radius`,
 * `--xcb-font-size`; or restyle it entirely with `className` and `[data-state="open"]` selectors (pass `style={{}}`
 * overrides for the inline defaults you replace).
 *
 * @throws {@link TypeError} while rendering, when `executor` is given and is not an executor.
 * @throws {@link Error} while rendering without `executor`: outside a `<CircuitProvider>`, or when it has no executor
 * for `name`.
 * @example
 * <CircuitProvider executor={executor}>
 *   <header>
 *     <CircuitStatusBadge label="API" hideWhenClosed />
 *   </header>
 * </CircuitProvider>
 */
export function CircuitStatusBadge(props: CircuitStatusBadgeProps): ReactNode {
  const { className, style, hideWhenClosed = false } = props;
  const status = useCircuitStatusOf(props, '<CircuitStatusBadge>');
  if (hideWhenClosed && status.state === 'closed') return null;
  const detail = status.countdownText ?? status.failuresText;
  return (
    <span data-state={status.state} className={className} style={{ ...baseStyle, color: stateColors[status.state], ...style }}>
      {/* The spaces between the parts are for screen readers and textContent; the flex gap spaces them on screen. */}
      <span aria-hidden="true">{circuitStateSymbols[status.state]}</span>{' '}
      {/* The live region holds the state sentence only, so it changes (and is announced) once per state change. */}
      <span role="status" aria-live="polite">
        {status.stateText}
      </span>
      {detail === null ? null : (
        <>
          {' '}
          {/* Outside the live region: the countdown ticks each second and must not be announced on each tick. */}
          <span aria-live="off">
            <span aria-hidden="true">·</span> {detail}
          </span>
        </>
      )}
    </span>
  );
}
