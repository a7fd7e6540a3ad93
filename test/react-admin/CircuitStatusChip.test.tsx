// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { CircuitProvider } from '../../src/react/index.js';
import { CircuitStatusChip } from '../../src/react-admin/index.js';
import { createTestClock } from '../support/clock.js';
import { failCalls, renderModes, succeedCall } from '../react/support.js';

/** The whole indicator (it carries `data-state`); its live region (`role="status"`) holds only the state sentence. */
function chipElement(): HTMLElement {
  const element = screen.getByRole('status').closest<HTMLElement>('[data-state]');
  if (element === null) throw new Error('The live region is not inside the element that carries data-state.');
  return element;
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe.each(renderModes)('CircuitStatusChip (%s)', (_mode, Wrapper) => {
  it('shows the state in text, palette colour, role and data-state as the circuit opens, half-opens and closes', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 10_000 });
    render(
      <Wrapper>
        <CircuitStatusChip executor={executor} label="contacts" />
      </Wrapper>,
    );
    const chip = (): HTMLElement => chipElement();
    expect(screen.getByRole('status').getAttribute('aria-live')).toBe('polite');
    expect(chip().getAttribute('data-state')).toBe('closed');
    expect(chip().textContent).toBe('✓contacts: Closed');
    expect(chip().className).toContain('MuiChip-colorSuccess');

    await failCalls(executor, 2);
    expect(chip().getAttribute('data-state')).toBe('open');
    expect(chip().textContent).toBe('✕contacts: Open · next trial in 10 s');
    expect(chip().className).toContain('MuiChip-colorError');

    await act(() => clock.advance(10_000));
    expect(chip().getAttribute('data-state')).toBe('halfOpen');
    expect(chip().textContent).toBe('◐contacts: Half-open');
    expect(chip().className).toContain('MuiChip-colorWarning');

    await succeedCall(executor);
    expect(chip().textContent).toBe('✓contacts: Closed');
    expect(chip().className).toContain('MuiChip-colorSuccess');
  });

  it('counts down with the same hooks as the badge', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const executor = createExecutor({ failureThreshold: 1, openDurationMs: 5000 });
    render(
      <Wrapper>
        <CircuitStatusChip executor={executor} />
      </Wrapper>,
    );
    await failCalls(executor, 1);
    expect(chipElement().textContent).toBe('✕Open · next trial in 5 s');
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(chipElement().textContent).toBe('✕Open · next trial in 3 s');
  });

  it('is grey (default colour) while isolated', () => {
    const executor = createExecutor({ clock: createTestClock() });
    render(
      <Wrapper>
        <CircuitStatusChip executor={executor} />
      </Wrapper>,
    );
    act(() => void executor.isolate());
    expect(chipElement().className).toContain('MuiChip-colorDefault');
    expect(chipElement().textContent).toBe('⊘Isolated');
  });
});

describe('CircuitStatusChip in an app', () => {
  it('takes a named executor from the provider, and its tooltip describes the chip without renaming it', async () => {
    const contacts = createExecutor({ clock: createTestClock(), failureThreshold: 1 });
    render(
      <CircuitProvider executors={{ contacts }}>
        <CircuitStatusChip name="contacts" />
      </CircuitProvider>,
    );
    await failCalls(contacts, 1);
    const chip = chipElement();
    expect(chip.textContent).toBe('✕contacts: Open · next trial in 1 min');
    // Named by its visible text (WCAG 2.5.3), described (not renamed) by the tooltip.
    expect(chip.getAttribute('aria-label')).toBe('contacts: Open · next trial in 1 min');
    expect(chip.getAttribute('title')).toMatch(/calls are refused/);
  });

  it('renders nothing while closed with hideWhenClosed', async () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1 });
    render(<CircuitStatusChip executor={executor} hideWhenClosed descriptions={false} />);
    expect(screen.queryByRole('status')).toBeNull();
    await failCalls(executor, 1);
    expect(chipElement().getAttribute('title')).toBeNull();
  });

  it('says what to do outside a provider without an executor prop', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => render(<CircuitStatusChip />)).toThrow('<CircuitStatusChip> must be used inside <CircuitProvider executor={...}>');
  });
});
