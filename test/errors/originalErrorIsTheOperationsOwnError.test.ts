import { describe, expect, it } from 'vitest';
import { runBulk } from '../../src/bulk/index.js';
import { createExecutor } from '../../src/createExecutor.js';
import {
  AttemptTimeoutError,
  CircuitOpenError,
  RetriesExhaustedError,
  isAttemptTimeoutError,
  isCircuitOpenError,
  isRetriesExhaustedError,
} from '../../src/errors/index.js';
import { createResilientFetch, isFetchResponseError } from '../../src/supabase/index.js';

describe('originalError', () => {
  it('is the cause each error was given', () => {
    const cause = Object.assign(new Error('Too Many Requests'), { status: 429 });
    expect(new RetriesExhaustedError({ attempts: 4, retryAfterMs: null, cause }).originalError).toBe(cause);
    expect(new CircuitOpenError({ retryAfterMs: 1, state: 'open', cause }).originalError).toBe(cause);
    expect(new AttemptTimeoutError(100, { cause }).originalError).toBe(cause);
  });

  it('is undefined when there is no cause', () => {
    expect(new CircuitOpenError({ retryAfterMs: 1, state: 'open' }).originalError).toBeUndefined();
    expect(new AttemptTimeoutError(100).originalError).toBeUndefined();
    expect(new RetriesExhaustedError({ attempts: 1, retryAfterMs: null }).originalError).toBeUndefined();
  });
});

/** An error whose `prop` getter throws, as a hostile or half-built error object can. */
function withThrowingGetter(prop: string): Error {
  const error = new Error('the operation failed');
  Object.defineProperty(error, prop, {
    get() {
      throw new Error(`reading ${prop} failed`);
    },
  });
  return error;
}

/** An error no property of which can be read, nor its prototype, nor its keys. */
function unreadable(): Error {
  const fail = (): never => {
    throw new Error('unreadable');
  };
  return new Proxy(new Error('the operation failed'), { get: fail, getPrototypeOf: fail, ownKeys: fail, has: fail, getOwnPropertyDescriptor: fail });
}

describe("an error whose properties cannot be read stays the operation's error", () => {
  it.each(['code', 'status'])('the error guards say no, without throwing, when its %s getter throws', (prop) => {
    const error = withThrowingGetter(prop);
    for (const guard of [isCircuitOpenError, isRetriesExhaustedError, isAttemptTimeoutError, isFetchResponseError]) {
      expect(guard(error)).toBe(false);
      expect(guard(unreadable())).toBe(false);
    }
  });

  it.each(['code', 'status'])('execute() rejects with the operation’s own error when its %s getter throws', async (prop) => {
    const error = withThrowingGetter(prop);
    for (const options of [{ maxRetries: 0 }, { maxRetries: 2, failureThreshold: 1 }]) {
      const executor = createExecutor({ jitter: 'none', ...options });
      await expect(executor.execute(() => Promise.reject(error))).rejects.toBe(error);
      executor.stop();
    }
  });

  it.each([
    ['a code getter that throws', () => withThrowingGetter('code')],
    ['a status getter that throws', () => withThrowingGetter('status')],
    ['nothing readable', unreadable],
  ])('a resilient fetch rejects with the error its fetch threw, one with %s', async (_label, make) => {
    const error = make();
    const executor = createExecutor({ jitter: 'none', maxRetries: 0 });
    const fetch = createResilientFetch(executor, () => Promise.reject(error));
    // Compared by identity: expect's own matchers would read the unreadable error.
    const outcome = await fetch('http://127.0.0.1:9/rest/v1/contacts').then(
      () => 'resolved',
      (reason: unknown) => (reason === error ? 'rejected with it' : 'rejected with another error'),
    );
    expect(outcome).toBe('rejected with it');
    executor.stop();
  });

  it.each([
    ['a code getter that throws', () => withThrowingGetter('code')],
    ['nothing readable', unreadable],
  ])('a bulk row fails with the error its task threw, one with %s, and is described', async (_label, make) => {
    const error = make();
    const executor = createExecutor({ jitter: 'none', maxRetries: 0 });
    const report = await runBulk([1], () => Promise.reject(error), { executor });
    const row = report.results[0]!;
    expect(row.status === 'failed' && row.error === error).toBe(true);
    expect(report.errors).toEqual([{ row: 1, index: 0, errors: [{ field: null, message: expect.any(String), code: 'ERROR' }] }]);
    executor.stop();
  });
});
