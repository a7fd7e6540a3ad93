import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSystemClock } from '../src/clock.js';

/** The longest delay a platform timer holds; fake timers, like Node, fire a longer one after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const T0 = 1_700_000_000_000;

describe('createSystemClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('now() follows Date.now', () => {
    const clock = createSystemClock();
    expect(clock.now()).toBe(T0);
    vi.advanceTimersByTime(1234);
    expect(clock.now()).toBe(T0 + 1234);
    vi.setSystemTime(T0 - 5000);
    expect(clock.now()).toBe(T0 - 5000);
  });

  it('looks the timer functions up when called, so timers installed after it was created drive it', () => {
    vi.useRealTimers();
    const clock = createSystemClock();
    vi.useFakeTimers({ now: T0 });
    const fn = vi.fn();
    clock.setTimeout(fn, 50);
    vi.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('fires a short wait after exactly its delay', () => {
    const fn = vi.fn();
    createSystemClock().setTimeout(fn, 1000);
    vi.advanceTimersByTime(999);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a wait a platform timer can hold is one platform timer: its handle is the platform handle', () => {
    const fn = vi.fn();
    const handle: unknown = createSystemClock().setTimeout(fn, MAX_TIMER_MS);
    globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
  });

  it.each([MAX_TIMER_MS + 1, 2 * MAX_TIMER_MS + 10])('chains a wait of %s ms, which fires neither early nor late', (ms) => {
    const fn = vi.fn();
    createSystemClock().setTimeout(fn, ms);
    vi.advanceTimersByTime(1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(ms - MAX_TIMER_MS - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clearTimeout cancels a plain wait', () => {
    const clock = createSystemClock();
    const fn = vi.fn();
    clock.clearTimeout(clock.setTimeout(fn, 1000));
    vi.advanceTimersByTime(2000);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clearTimeout cancels a chained wait before its first timer fires', () => {
    const clock = createSystemClock();
    const fn = vi.fn();
    clock.clearTimeout(clock.setTimeout(fn, 2 * MAX_TIMER_MS + 10));
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
  });

  it('clearTimeout cancels a chained wait after its first timer fired', () => {
    const clock = createSystemClock();
    const fn = vi.fn();
    const handle = clock.setTimeout(fn, 2 * MAX_TIMER_MS + 10);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1);
    expect(vi.getTimerCount()).toBe(1);
    clock.clearTimeout(handle);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
  });

  it('a wait of a whole number of platform maximums fires with its last platform timer, with no extra 0 ms hop', () => {
    const fn = vi.fn();
    createSystemClock().setTimeout(fn, 2 * MAX_TIMER_MS);
    vi.advanceTimersToNextTimer();
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersToNextTimer();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(Date.now()).toBe(T0 + 2 * MAX_TIMER_MS);
  });
});
