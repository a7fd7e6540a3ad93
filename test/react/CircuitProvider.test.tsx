// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExecutor, type Executor } from '../../src/index.js';
import { CircuitProvider, useCircuitState, useExecutor, useExecutors } from '../../src/react/index.js';
import { createTestClock } from '../support/clock.js';
import { failCalls, renderModes } from './support.js';

function newExecutor(): Executor {
  return createExecutor({ clock: createTestClock(), failureThreshold: 1 });
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('useExecutor outside a provider', () => {
  // React reports the render error to the console before rethrowing it; keep the output clean.
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));

  it('throws a message that says what to do', () => {
    expect(() => renderHook(() => useExecutor())).toThrow(
      'xstate-circuit-breaker: useExecutor() must be used inside <CircuitProvider executor={...}>. ' +
        'Wrap your app (or this part of it) in <CircuitProvider executor={createExecutor()}>.',
    );
  });

  it('names the executor asked for', () => {
    expect(() => renderHook(() => useExecutor('contacts'))).toThrow(
      'useExecutor("contacts") must be used inside <CircuitProvider executor={...}>',
    );
  });

  it('useExecutors() throws the same kind of message', () => {
    expect(() => renderHook(() => useExecutors())).toThrow('useExecutors() must be used inside <CircuitProvider executor={...}>');
  });
});

describe.each(renderModes)('CircuitProvider (%s)', (_mode, Wrapper) => {
  it('gives its executor to useExecutor()', () => {
    const executor = newExecutor();
    const { result } = renderHook(() => useExecutor(), {
      wrapper: ({ children }) => (
        <Wrapper>
          <CircuitProvider executor={executor}>{children}</CircuitProvider>
        </Wrapper>
      ),
    });
    expect(result.current).toBe(executor);
  });

  it('looks per-resource executors up by name, and each component follows its own circuit', async () => {
    const contacts = newExecutor();
    const deals = newExecutor();
    function Resource({ name }: { name: string }): ReactNode {
      const state = useCircuitState(useExecutor(name), (c) => c.state);
      return <li>{`${name}=${state}`}</li>;
    }
    render(
      <Wrapper>
        <CircuitProvider executors={{ contacts, deals }}>
          <ul>
            <Resource name="contacts" />
            <Resource name="deals" />
          </ul>
        </CircuitProvider>
      </Wrapper>,
    );
    await failCalls(deals, 1);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['contacts=closed', 'deals=open']);
  });

  it('nested providers inherit names, add their own, and keep the outer default unless given one', () => {
    const outerDefault = newExecutor();
    const contacts = newExecutor();
    const innerDeals = newExecutor();
    const outerDeals = newExecutor();
    const { result } = renderHook(
      () => ({ fallback: useExecutor(), contacts: useExecutor('contacts'), deals: useExecutor('deals'), all: useExecutors() }),
      {
        wrapper: ({ children }) => (
          <Wrapper>
            <CircuitProvider executor={outerDefault} executors={{ contacts, deals: outerDeals }}>
              <CircuitProvider executors={{ deals: innerDeals }}>{children}</CircuitProvider>
            </CircuitProvider>
          </Wrapper>
        ),
      },
    );
    expect(result.current.fallback).toBe(outerDefault);
    expect(result.current.contacts).toBe(contacts);
    expect(result.current.deals).toBe(innerDeals);
    expect(result.current.all).toEqual({ contacts, deals: innerDeals });
  });

  it('useExecutors() keeps its identity when the provider re-renders with an equal inline record', () => {
    const contacts = newExecutor();
    const deals = newExecutor();
    const seen: Array<Readonly<Record<string, Executor>>> = [];
    let rerenderApp!: () => void;
    function Probe(): null {
      seen.push(useExecutors());
      return null;
    }
    function App(): ReactNode {
      const [, setCount] = useState(0);
      rerenderApp = () => setCount((n) => n + 1);
      // A new record object on every render, with the same executors in it.
      return (
        <CircuitProvider executors={{ contacts, deals }}>
          <Probe />
        </CircuitProvider>
      );
    }
    render(
      <Wrapper>
        <App />
      </Wrapper>,
    );
    const before = seen.length;
    act(() => rerenderApp());
    expect(seen.length).toBeGreaterThan(before);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toEqual({ contacts, deals });
  });
});

describe('CircuitProvider mistakes', () => {
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));

  it('says which name is missing and which names exist', () => {
    const contacts = newExecutor();
    expect(() =>
      renderHook(() => useExecutor('deal'), {
        wrapper: ({ children }) => <CircuitProvider executors={{ contacts }}>{children}</CircuitProvider>,
      }),
    ).toThrow(
      'useExecutor("deal") asked for the executor "deal", which no <CircuitProvider> above provides (names: "contacts"). ' +
        'Add it: <CircuitProvider executors={{ "deal": executor }}>.',
    );
  });

  it('says how to get a default executor when the provider only has named ones', () => {
    const contacts = newExecutor();
    expect(() =>
      renderHook(() => useExecutor(), {
        wrapper: ({ children }) => <CircuitProvider executors={{ contacts }}>{children}</CircuitProvider>,
      }),
    ).toThrow('useExecutor() found no default executor: the <CircuitProvider> above was given only executors={...} (names: "contacts")');
  });

  it('rejects a provider without executors, and values that are not executors, naming the prop', () => {
    const Provider = CircuitProvider as (props: Record<string, unknown>) => ReactNode;
    expect(() => render(<Provider />)).toThrow(TypeError);
    expect(() => render(<Provider />)).toThrow('<CircuitProvider> needs executor={createExecutor()} or executors={{ name: executor }}');
    expect(() => render(<Provider executor={{}} />)).toThrow('<CircuitProvider executor> must be an executor from createExecutor()');
    expect(() => render(<Provider executors={{ contacts: 42 }} />)).toThrow(
      '<CircuitProvider executors> entry "contacts" must be an executor from createExecutor(), got number 42.',
    );
  });
});
