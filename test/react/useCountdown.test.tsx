// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatNextTrial, useCountdown } from '../../src/react/index.js';
import { renderModes } from './support.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe.each(renderModes)('useCountdown (%s)', (_mode, Wrapper) => {
  const wrapper = Wrapper;

  it('ticks down each second on fake timers and Date.now(), then stops at 0 with no timer left', async () => {
    vi.useFakeTimers({ now: 50_000 });
    const { result } = renderHook(() => useCountdown(53_000), { wrapper });
    expect(result.current).toBe(3000);
    await act(() => vi.advanceTimersByTimeAsync(999));
    expect(result.current).toBe(3000); // not re-rendered before the second is up
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current).toBe(2000);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(result.current).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wakes up on the whole second of the remaining time, not a second after the start', async () => {
    vi.useFakeTimers({ now: 0 });
    const { result } = renderHook(() => useCountdown(2500), { wrapper });
    expect(Math.ceil(result.current! / 1000)).toBe(3);
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(result.current).toBe(2000);
  });

  it('reads the clock it is given, not Date.now()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let now = 1000;
    const clock = { now: () => now };
    const { result } = renderHook(() => useCountdown(11_000, clock), { wrapper });
    expect(result.current).toBe(10_000);
    now = 5000;
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(result.current).toBe(6000);
    // The clock did not move between two ticks: it keeps ticking all the same.
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(result.current).toBe(6000);
    now = 11_000;
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(result.current).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is null and sets no timer without a target; restarts when the target changes; clears its timer on unmount', async () => {
    vi.useFakeTimers({ now: 0 });
    const { result, rerender, unmount } = renderHook(({ target }: { target: number | null }) => useCountdown(target), {
      wrapper,
      initialProps: { target: null as number | null },
    });
    expect(result.current).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    rerender({ target: 5000 });
    expect(result.current).toBe(5000);
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('formatNextTrial', () => {
  it('rounds up to whole seconds and shows minutes from one minute on', () => {
    expect(formatNextTrial(41_200)).toBe('next trial in 42 s');
    expect(formatNextTrial(1)).toBe('next trial in 1 s');
    expect(formatNextTrial(0)).toBe('next trial now');
    expect(formatNextTrial(60_000)).toBe('next trial in 1 min');
    expect(formatNextTrial(125_000)).toBe('next trial in 2 min 5 s');
  });
});
