// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor, type CircuitState, type Executor } from '../../src/index.js';
import { useCircuitState } from '../../src/react/index.js';
import { createTestClock } from '../support/clock.js';
import { failCalls, renderModes } from './support.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function newExecutor(): Executor {
  return createExecutor({ clock: createTestClock(), failureThreshold: 2, openDurationMs: 10_000 });
}

describe.each(renderModes)('useCircuitState (%s)', (_mode, Wrapper) => {
  it('returns the circuit and re-renders on every change of it', async () => {
    const executor = newExecutor();
    const seen: CircuitState[] = [];
    function Probe(): string {
      const circuit = useCircuitState(executor);
      seen.push(circuit);
      return `${circuit.state}/${circuit.consecutiveFailures}`;
    }
    const { container } = render(
      <Wrapper>
        <Probe />
      </Wrapper>,
    );
    expect(container.textContent).toBe('closed/0');
    expect(seen.at(-1)).toBe(executor.getCircuitState());

    await failCalls(executor, 1);
    expect(container.textContent).toBe('closed/1');
    await failCalls(executor, 1);
    expect(container.textContent).toBe('open/2');
    expect(seen.at(-1)).toBe(executor.getCircuitState());
  });

  it('with a selector, does not re-render for changes outside the selection', async () => {
    const executor = newExecutor();
    let renders = 0;
    function Probe(): string {
      renders++;
      // An inline selector: a new function on every render must not cause extra renders either.
      return useCircuitState(executor, (circuit) => circuit.state);
    }
    const { container } = render(
      <Wrapper>
        <Probe />
      </Wrapper>,
    );
    const afterMount = renders;

    await failCalls(executor, 1); // consecutiveFailures 0 -> 1: the circuit changed, its state did not
    expect(executor.getCircuitState().consecutiveFailures).toBe(1);
    expect(renders).toBe(afterMount);

    await failCalls(executor, 1); // closed -> open
    expect(container.textContent).toBe('open');
    expect(renders).toBeGreaterThan(afterMount);
  });

  it('with isEqual, an object selection re-renders only when it is no longer equal', async () => {
    const executor = newExecutor();
    const shallow = (a: { state: string; isOpen: boolean }, b: { state: string; isOpen: boolean }): boolean =>
      a.state === b.state && a.isOpen === b.isOpen;
    // Defined once: an inline selector would be recreated by StrictMode's second render and build a second object.
    const select = (c: CircuitState): { state: string; isOpen: boolean } => ({ state: c.state, isOpen: c.isOpen });
    const seen: object[] = [];
    function Probe(): string {
      const view = useCircuitState(executor, select, shallow);
      seen.push(view);
      return `${view.state}:${view.isOpen}`;
    }
    const { container } = render(
      <Wrapper>
        <Probe />
      </Wrapper>,
    );
    const afterMount = seen.length;
    await failCalls(executor, 1);
    expect(seen.length).toBe(afterMount);

    await failCalls(executor, 1);
    expect(container.textContent).toBe('open:true');
    expect(seen.length).toBeGreaterThan(afterMount);
    expect(new Set(seen.slice(afterMount)).size).toBe(1); // one new object, kept by every later render
  });

  it('without isEqual, an object selection re-renders on each circuit change and never loops', async () => {
    const executor = newExecutor();
    let renders = 0;
    function Probe(): string {
      renders++;
      const view = useCircuitState(executor, (c) => ({ state: c.state }));
      return view.state;
    }
    render(
      <Wrapper>
        <Probe />
      </Wrapper>,
    );
    const afterMount = renders;
    await failCalls(executor, 1);
    expect(renders).toBeGreaterThan(afterMount);
    expect(renders).toBeLessThanOrEqual(afterMount + 2);
  });

  it('follows a new executor given on re-render and leaves the old one', async () => {
    const first = newExecutor();
    const second = newExecutor();
    let renders = 0;
    function Probe({ executor }: { executor: Executor }): string {
      renders++;
      return useCircuitState(executor, (c) => c.state);
    }
    const { container, rerender } = render(
      <Wrapper>
        <Probe executor={first} />
      </Wrapper>,
    );
    await failCalls(second, 2);
    rerender(
      <Wrapper>
        <Probe executor={second} />
      </Wrapper>,
    );
    expect(container.textContent).toBe('open');
    const before = renders;
    await failCalls(first, 2);
    expect(renders).toBe(before);
    act(() => second.resetCircuit());
    expect(container.textContent).toBe('closed');
  });

  it('unsubscribes when unmounted', async () => {
    const executor = newExecutor();
    const unsubscribes: Array<ReturnType<typeof vi.fn>> = [];
    const subscribe = executor.subscribe.bind(executor);
    vi.spyOn(executor, 'subscribe').mockImplementation((listener) => {
      const unsubscribe = vi.fn(subscribe(listener));
      unsubscribes.push(unsubscribe);
      return unsubscribe;
    });
    function Probe(): string {
      return useCircuitState(executor).state;
    }
    const { unmount } = render(
      <Wrapper>
        <Probe />
      </Wrapper>,
    );
    expect(unsubscribes.length).toBeGreaterThan(0);
    unmount();
    for (const unsubscribe of unsubscribes) expect(unsubscribe).toHaveBeenCalledOnce();
    await failCalls(executor, 2); // no render, no act warning, no error
    act(() => executor.resetCircuit());
  });
});

describe('useCircuitState arguments', () => {
  it('throws a TypeError naming the argument when given something that is not an executor', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    function Probe(): string {
      return useCircuitState({} as Executor).state;
    }
    expect(() => render(<Probe />)).toThrow(
      'useCircuitState(executor) must be an executor from createExecutor(), got an object without getCircuitState()/subscribe().',
    );
  });

  it('gives the same value for the server render (getServerSnapshot is the same getter)', async () => {
    const { renderToString } = await import('react-dom/server');
    const executor = newExecutor();
    await failCalls(executor, 2);
    function Probe(): string {
      return useCircuitState(executor, (c) => c.state);
    }
    expect(renderToString(<Probe />)).toBe('open');
  });
});
