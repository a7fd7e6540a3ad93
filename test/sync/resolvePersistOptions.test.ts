import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolvePersistOptions } from '../../src/sync/resolvePersistOptions.js';
import type { CircuitStorage, SyncLockManager } from '../../src/sync/types.js';

// Pins the exact behaviour of `createExecutor({ persist })` validation: every error's class and full message,
// the boundaries, and where each default comes from (platform localStorage, BroadcastChannel, navigator.locks).

const P = 'xstate-circuit-breaker: option "persist.';
const NO_STORAGE =
  'xstate-circuit-breaker: option "persist.storage" is needed here: this platform has no localStorage. Pass one, for example createMemoryStorage().';
const NO_CHANNEL =
  'xstate-circuit-breaker: option "persist.createChannel" is needed here: this platform has no BroadcastChannel to share the circuit across tabs.';

const storage = (): CircuitStorage => ({ getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
const lockManager = (): SyncLockManager => ({ request: (() => Promise.resolve()) as unknown as SyncLockManager['request'] });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

function expectError(value: unknown, Class: typeof TypeError | typeof RangeError, message: string): void {
  const error = thrown(() => resolvePersistOptions(value));
  expect(error).toBeInstanceOf(Class);
  expect(error.constructor).toBe(Class);
  expect(error.message).toBe(message);
}

/** A Node test runs with no localStorage and no navigator.locks; make that explicit whatever the Node version. */
function bareNode(): void {
  vi.stubGlobal('localStorage', undefined);
  vi.stubGlobal('navigator', undefined);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('resolvePersistOptions: off', () => {
  it('returns undefined for undefined and for false', () => {
    expect(resolvePersistOptions(undefined)).toBeUndefined();
    expect(resolvePersistOptions(false)).toBeUndefined();
  });

  it('resolves a valid object (not undefined)', () => {
    bareNode();
    const s = storage();
    expect(resolvePersistOptions({ name: 'api', storage: s })).toEqual({
      name: 'api',
      storage: s,
      shareAcrossTabs: false,
      createChannel: null,
      locks: null,
      trialLeaseMs: 5_000,
    });
  });

  it.each([
    ['true', true, 'true'],
    ['null', null, 'null'],
    ['an array', [], 'an array'],
    ['a string', 'api', '"api"'],
    ['a number', 0, '0'],
  ])('rejects persist as %s with the exact TypeError', (_label, value, described) => {
    expectError(
      value,
      TypeError,
      `xstate-circuit-breaker: option "persist" must be an object such as { name: 'api' } or false, got ${described}.`,
    );
  });
});

describe('resolvePersistOptions: keys and name', () => {
  it('names an unknown key and lists every known one, comma separated', () => {
    expectError(
      { name: 'api', storage: storage(), nmae: 'x' },
      TypeError,
      'xstate-circuit-breaker: unknown option "persist.nmae". Known options: name, storage, shareAcrossTabs, createChannel, locks, trialLeaseMs.',
    );
  });

  it.each([
    ['missing', undefined, 'undefined'],
    ['a number', 5, '5'],
    ['null', null, 'null'],
  ])('rejects a name that is %s with a TypeError', (_label, name, described) => {
    expectError({ name, storage: storage() }, TypeError, `${P}name" must be a non-empty string, got ${described}.`);
  });

  it('rejects an empty name and a name of 201 characters with a RangeError', () => {
    expectError({ name: '', storage: storage() }, RangeError, `${P}name" must be a string of 1 to 200 characters, got "".`);
    const long = 'n'.repeat(201);
    expectError({ name: long, storage: storage() }, RangeError, `${P}name" must be a string of 1 to 200 characters, got "${long}".`);
  });

  it('accepts names of 1 and of exactly 200 characters', () => {
    expect(resolvePersistOptions({ name: 'a', storage: storage() })?.name).toBe('a');
    const max = 'n'.repeat(200);
    expect(resolvePersistOptions({ name: max, storage: storage() })?.name).toBe(max);
  });
});

describe('resolvePersistOptions: storage', () => {
  it('without storage and with no platform localStorage: the exact TypeError', () => {
    bareNode();
    expectError({ name: 'api' }, TypeError, NO_STORAGE);
  });

  it('uses the platform localStorage when storage is left out', () => {
    const platform = storage();
    vi.stubGlobal('localStorage', platform);
    expect(resolvePersistOptions({ name: 'api' })?.storage).toBe(platform);
  });

  it('ignores a platform localStorage that lacks a method', () => {
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
    expectError({ name: 'api' }, TypeError, NO_STORAGE);
  });

  it('treats a localStorage that throws when read as absent', () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    try {
      expectError({ name: 'api' }, TypeError, NO_STORAGE);
    } finally {
      if (before) Object.defineProperty(globalThis, 'localStorage', before);
      else delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it('prefers a given storage over the platform one', () => {
    vi.stubGlobal('localStorage', storage());
    const given = storage();
    expect(resolvePersistOptions({ name: 'api', storage: given })?.storage).toBe(given);
  });

  const noop = (): undefined => undefined;
  it.each([
    ['null', null, 'null'],
    ['a string', 'localStorage', '"localStorage"'],
    ['an empty object', {}, 'an object'],
    ['an object without getItem', { setItem: noop, removeItem: noop }, 'an object'],
    ['an object without setItem', { getItem: noop, removeItem: noop }, 'an object'],
    ['an object without removeItem', { getItem: noop, setItem: noop }, 'an object'],
    ['an object whose getItem is not a function', { getItem: 1, setItem: noop, removeItem: noop }, 'an object'],
    ['a function carrying the three methods', Object.assign(() => undefined, { getItem: noop, setItem: noop, removeItem: noop }), 'a function'],
  ])('rejects storage as %s with the exact TypeError', (_label, value, described) => {
    vi.stubGlobal('localStorage', storage());
    expectError(
      { name: 'api', storage: value },
      TypeError,
      `${P}storage" must be an object with getItem, setItem and removeItem (such as localStorage), got ${described}.`,
    );
  });
});

describe('resolvePersistOptions: shareAcrossTabs and createChannel', () => {
  it('rejects a non-boolean shareAcrossTabs', () => {
    expectError({ name: 'api', storage: storage(), shareAcrossTabs: 'yes' }, TypeError, `${P}shareAcrossTabs" must be a boolean, got "yes".`);
    expectError({ name: 'api', storage: storage(), shareAcrossTabs: 1 }, TypeError, `${P}shareAcrossTabs" must be a boolean, got 1.`);
  });

  it('treats shareAcrossTabs null like leaving it out (false)', () => {
    expect(resolvePersistOptions({ name: 'api', storage: storage(), shareAcrossTabs: null })?.shareAcrossTabs).toBe(false);
  });

  it('rejects a createChannel that is not a function', () => {
    expectError({ name: 'api', storage: storage(), createChannel: 5 }, TypeError, `${P}createChannel" must be a function, got 5.`);
    expectError({ name: 'api', storage: storage(), createChannel: {} }, TypeError, `${P}createChannel" must be a function, got an object.`);
  });

  it('has no channel when not sharing, even where BroadcastChannel exists', () => {
    vi.stubGlobal('BroadcastChannel', class {});
    const resolved = resolvePersistOptions({ name: 'api', storage: storage() });
    expect(resolved?.shareAcrossTabs).toBe(false);
    expect(resolved?.createChannel).toBeNull();
    expect(resolvePersistOptions({ name: 'api', storage: storage(), shareAcrossTabs: false })?.createChannel).toBeNull();
  });

  it('when sharing, defaults createChannel to one that constructs globalThis.BroadcastChannel with the name', () => {
    const made: string[] = [];
    class FakeChannel {
      constructor(readonly name: string) {
        made.push(name);
      }
    }
    vi.stubGlobal('BroadcastChannel', FakeChannel);
    const resolved = resolvePersistOptions({ name: 'api', storage: storage(), shareAcrossTabs: true });
    expect(resolved?.shareAcrossTabs).toBe(true);
    expect(typeof resolved?.createChannel).toBe('function');
    const channel = resolved?.createChannel?.('chan-x');
    expect(channel).toBeInstanceOf(FakeChannel);
    expect(made).toEqual(['chan-x']);
  });

  it('when sharing where there is no BroadcastChannel: the exact TypeError', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    expectError({ name: 'api', storage: storage(), shareAcrossTabs: true }, TypeError, NO_CHANNEL);
  });

  it('a given createChannel is kept as is, sharing or not, with or without BroadcastChannel', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const createChannel = () => ({ postMessage: () => undefined, close: () => undefined, onmessage: null });
    expect(resolvePersistOptions({ name: 'api', storage: storage(), shareAcrossTabs: true, createChannel })?.createChannel).toBe(createChannel);
    expect(resolvePersistOptions({ name: 'api', storage: storage(), createChannel })?.createChannel).toBe(createChannel);
  });
});

describe('resolvePersistOptions: locks', () => {
  it('defaults to null where there is no navigator', () => {
    bareNode();
    expect(resolvePersistOptions({ name: 'api', storage: storage() })?.locks).toBeNull();
  });

  it('defaults to null where navigator has no locks, or locks without request', () => {
    vi.stubGlobal('navigator', {});
    expect(resolvePersistOptions({ name: 'api', storage: storage() })?.locks).toBeNull();
    vi.stubGlobal('navigator', { locks: { request: 'no' } });
    expect(resolvePersistOptions({ name: 'api', storage: storage() })?.locks).toBeNull();
  });

  it('defaults to navigator.locks when it has request()', () => {
    const locks = lockManager();
    vi.stubGlobal('navigator', { locks });
    expect(resolvePersistOptions({ name: 'api', storage: storage() })?.locks).toBe(locks);
  });

  it('null turns locks off even where navigator.locks exists; a given manager is kept', () => {
    vi.stubGlobal('navigator', { locks: lockManager() });
    expect(resolvePersistOptions({ name: 'api', storage: storage(), locks: null })?.locks).toBeNull();
    const given = lockManager();
    expect(resolvePersistOptions({ name: 'api', storage: storage(), locks: given })?.locks).toBe(given);
  });

  it.each([
    ['an object without request', {}, 'an object'],
    ['an object whose request is not a function', { request: true }, 'an object'],
    ['a function carrying request', Object.assign(() => undefined, { request: () => Promise.resolve() }), 'a function'],
    ['a string', 'locks', '"locks"'],
    ['false', false, 'false'],
  ])('rejects locks as %s with the exact TypeError', (_label, value, described) => {
    expectError({ name: 'api', storage: storage(), locks: value }, TypeError, `${P}locks" must be a lock manager such as navigator.locks, or null, got ${described}.`);
  });
});

describe('resolvePersistOptions: trialLeaseMs', () => {
  it('defaults to 5000 and accepts 100 and 600000 inclusive', () => {
    expect(resolvePersistOptions({ name: 'api', storage: storage() })?.trialLeaseMs).toBe(5_000);
    expect(resolvePersistOptions({ name: 'api', storage: storage(), trialLeaseMs: null })?.trialLeaseMs).toBe(5_000);
    expect(resolvePersistOptions({ name: 'api', storage: storage(), trialLeaseMs: 100 })?.trialLeaseMs).toBe(100);
    expect(resolvePersistOptions({ name: 'api', storage: storage(), trialLeaseMs: 600_000 })?.trialLeaseMs).toBe(600_000);
    expect(resolvePersistOptions({ name: 'api', storage: storage(), trialLeaseMs: 100.5 })?.trialLeaseMs).toBe(100.5);
  });

  it('rejects a non-number with a TypeError', () => {
    expectError({ name: 'api', storage: storage(), trialLeaseMs: '5000' }, TypeError, `${P}trialLeaseMs" must be a number, got "5000".`);
    expectError({ name: 'api', storage: storage(), trialLeaseMs: true }, TypeError, `${P}trialLeaseMs" must be a number, got true.`);
  });

  it.each([
    [99, '99'],
    [99.9, '99.9'],
    [600_001, '600001'],
    [600_000.5, '600000.5'],
    [0, '0'],
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('rejects trialLeaseMs %s with a RangeError', (value, described) => {
    expectError(
      { name: 'api', storage: storage(), trialLeaseMs: value },
      RangeError,
      `${P}trialLeaseMs" must be a number of milliseconds from 100 to 600000, got ${described}.`,
    );
  });
});
