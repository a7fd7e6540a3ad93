// Type tests (checked by `tsc --noEmit`): `Clock` has no `any`. Its timer handle is the clock's own type, so Node's
// timers, a browser's, XState's SimulatedClock and a hand-written wrapper all fit where an executor asks for a clock.
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { expectTypeOf } from 'vitest';
import { createExecutor, createPacer, type Clock } from '../src/index.js';

expectTypeOf<ReturnType<Clock['setTimeout']>>().toBeUnknown();
expectTypeOf<Parameters<Clock['clearTimeout']>[0]>().toBeUnknown();
expectTypeOf<Parameters<Clock['setTimeout']>[0]>().toEqualTypeOf<() => void>();
expectTypeOf<ReturnType<Clock<number>['setTimeout']>>().toEqualTypeOf<number>();

const simulated = new SimulatedClock();
const node: Clock<NodeJS.Timeout> = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id),
};
const browser: Clock<number> = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (id) => window.clearTimeout(id),
};
const wrapped: Clock<number> = {
  now: () => simulated.now(),
  setTimeout: (fn, ms) => simulated.setTimeout(fn, ms),
  clearTimeout: (id) => simulated.clearTimeout(id),
};

export const clocks: Clock[] = [simulated, node, browser, wrapped];

export function executorsOnEveryClock(): void {
  for (const clock of clocks) createExecutor({ clock }).stop();
  createPacer({ clock: simulated });
  // What the executor passes on: a Clock is the clock XState's actors take.
  createActor(createMachine({}), { clock: clocks[0]! });
}
