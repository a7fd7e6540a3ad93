import { act } from '@testing-library/react';
import { Fragment, StrictMode, type ComponentType, type ReactNode } from 'react';
import type { Executor } from '../../src/index.js';
import { httpError } from '../support/clock.js';

/** The main rendering tests run twice: plainly, and under StrictMode (double render, effects mounted twice). */
export const renderModes: ReadonlyArray<readonly [string, ComponentType<{ children?: ReactNode }>]> = [
  ['plain', Fragment],
  ['StrictMode', StrictMode],
];

const fail500 = async (): Promise<never> => {
  throw httpError(500);
};

/** Makes `n` calls that fail with a 500 (each counts against the circuit), inside `act`. */
export async function failCalls(executor: Executor, n = 1): Promise<void> {
  await act(async () => {
    for (let i = 0; i < n; i++) await executor.execute(fail500).catch(() => undefined);
  });
}

/** Makes one call that succeeds, inside `act`. */
export async function succeedCall(executor: Executor): Promise<void> {
  await act(async () => {
    await executor.execute(() => 'ok');
  });
}
