import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { createRedisPacer } from '../../src/redis/createRedisPacer.js';
import type { RedisPacerOptions } from '../../src/redis/redisPacerTypes.js';

// A real client that is never connected: option checks happen at the call, before Redis is used.
const client = createClient({ url: 'redis://127.0.0.1:1' });
const valid: RedisPacerOptions = { prefix: 'myapp:', name: 'supabase' };
const make = (options: unknown): unknown => createRedisPacer(client, options as RedisPacerOptions);

describe('createRedisPacer checks its options at the call', () => {
  it('accepts a client that is not connected yet (it paces locally until it is)', () => {
    const pacer = createRedisPacer(client, valid);
    expect(pacer.getRedisStats()).toMatchObject({ key: 'myapp:pacer:supabase', mode: 'local', sharedSlots: 0 });
    expect(pacer.queue()).toBeNull();
    expect(pacer.getRedisStats().localSlots).toBe(1);
  });

  it.each([
    ['a client that is not node-redis', () => createRedisPacer({} as never, valid), TypeError, /client must be a node-redis client/],
    ['no client', () => createRedisPacer(null as never, valid), TypeError, /client.*got null/],
    ['no options', () => make(undefined), TypeError, /options must be an object.*got undefined/],
    ['a typo', () => make({ ...valid, timeoutMS: 50 }), TypeError, /unknown createRedisPacer\(\) option "timeoutMS"/],
    ['no name', () => make({ prefix: 'a:' }), TypeError, /option "name" must be a string, got undefined/],
    ['an empty name', () => make({ prefix: 'a:', name: '' }), RangeError, /option "name" must be 1 to 256 characters.*got ""/],
    ['a numeric prefix', () => make({ prefix: 7, name: 'x' }), TypeError, /option "prefix" must be a string, got 7/],
    ['a string timeout', () => make({ ...valid, timeoutMs: '100' }), TypeError, /option "timeoutMs" must be a number of milliseconds, got "100"/],
    ['a zero timeout', () => make({ ...valid, timeoutMs: 0 }), RangeError, /option "timeoutMs" must be >= 1 and <= 60000, got 0/],
    ['an infinite retryAfterMs', () => make({ ...valid, retryAfterMs: Infinity }), RangeError, /option "retryAfterMs".*got Infinity/],
    ['a short forgetAfterMs', () => make({ ...valid, forgetAfterMs: 10 }), RangeError, /option "forgetAfterMs" must be >= 100.*got 10/],
    ['a clock without timers', () => make({ ...valid, clock: { now: () => 0 } }), TypeError, /option "clock" must be an object with now\(\)/],
    ['onError not a function', () => make({ ...valid, onError: 'log' }), TypeError, /option "onError" must be a function, got "log"/],
    ['pacer not an object', () => make({ ...valid, pacer: 3 }), TypeError, /option "pacer" must be an object.*got 3/],
    ['a clock inside pacer', () => make({ ...valid, pacer: { clock: undefined } }), TypeError, /option "pacer.clock" is not supported: pass "clock" next to "pacer"/],
    ['shareAcrossTabs', () => make({ ...valid, pacer: { shareAcrossTabs: {} } }), TypeError, /option "pacer.shareAcrossTabs" is not supported/],
    ['a local pacer option out of range', () => make({ ...valid, pacer: { headroom: 2 } }), RangeError, /pacer option "headroom" must be >= 0.01 and <= 1, got 2/],
    ['a typo in a local pacer option', () => make({ ...valid, pacer: { headrom: 0.9 } }), TypeError, /unknown pacer option "headrom"/],
  ])('throws on %s', (_, create, type, message) => {
    expect(create).toThrow(type);
    expect(create).toThrow(message);
  });
});
