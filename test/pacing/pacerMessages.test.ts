import { describe, expect, it } from 'vitest';
import { parseSharedLimits } from '../../src/pacing/pacerMessages.js';

// Every branch and boundary of the parser of pacer limit messages from other tabs (see reasons-c.md).

const valid = { v: 1, kind: 'pacer-limits', tab: 'tab-a', source: 'headers', ratePerSecond: 5, burst: 10, blockedUntil: null };

describe('parseSharedLimits', () => {
  it('returns exactly the known fields of a valid message', () => {
    const parsed = parseSharedLimits({ ...valid, extra: 'dropped', seq: 9 });
    expect(parsed).toStrictEqual({ v: 1, kind: 'pacer-limits', tab: 'tab-a', source: 'headers', ratePerSecond: 5, burst: 10, blockedUntil: null });
    expect(Object.keys(parsed as object)).toEqual(['v', 'kind', 'tab', 'source', 'ratePerSecond', 'burst', 'blockedUntil']);
  });

  it('accepts source adaptive and a blockedUntil time', () => {
    expect(parseSharedLimits({ ...valid, source: 'adaptive', blockedUntil: 12_345 })).toStrictEqual({ ...valid, source: 'adaptive', blockedUntil: 12_345 });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 5],
    ['a string', 'pacer-limits'],
    ['a function', () => valid],
    ['an array carrying the fields', Object.assign([], valid)],
  ])('%s is malformed', (_label, value) => {
    expect(parseSharedLimits(value)).toBe('malformed');
  });

  it.each([
    ['missing', undefined],
    ['another kind', 'circuit'],
  ])('kind %s is malformed', (_label, kind) => {
    expect(parseSharedLimits({ ...valid, kind })).toBe('malformed');
  });

  it('kind is checked before the version', () => {
    expect(parseSharedLimits({ ...valid, kind: 'other', v: 2 })).toBe('malformed');
  });

  it.each([
    ['2', 2],
    ['3', 3],
    ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
  ])('v %s is unsupported', (_label, v) => {
    expect(parseSharedLimits({ ...valid, v })).toBe('unsupported');
  });

  it.each([
    ['1.5', 1.5],
    ['2.5', 2.5],
    ['"1"', '1'],
    ['"2"', '2'],
    ['0', 0],
    ['-1', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['missing', undefined],
    ['true', true],
  ])('v %s is malformed', (_label, v) => {
    expect(parseSharedLimits({ ...valid, v })).toBe('malformed');
  });

  it('tab: 1 and 64 characters accepted; empty, 65 characters, not a string or missing are malformed', () => {
    expect(parseSharedLimits({ ...valid, tab: 't' })).toStrictEqual({ ...valid, tab: 't' });
    const tab64 = 't'.repeat(64);
    expect(parseSharedLimits({ ...valid, tab: tab64 })).toStrictEqual({ ...valid, tab: tab64 });
    expect(parseSharedLimits({ ...valid, tab: 't'.repeat(65) })).toBe('malformed');
    expect(parseSharedLimits({ ...valid, tab: '' })).toBe('malformed');
    expect(parseSharedLimits({ ...valid, tab: 5 })).toBe('malformed');
    expect(parseSharedLimits({ ...valid, tab: ['t'] })).toBe('malformed');
    expect(parseSharedLimits({ ...valid, tab: undefined })).toBe('malformed');
  });

  it('source other than headers or adaptive is malformed', () => {
    expect(parseSharedLimits({ ...valid, source: 'other' })).toBe('malformed');
    expect(parseSharedLimits({ ...valid, source: undefined })).toBe('malformed');
  });

  it('ratePerSecond: accepted in (0, 1e9]', () => {
    expect(parseSharedLimits({ ...valid, ratePerSecond: 1e9 })).toStrictEqual({ ...valid, ratePerSecond: 1e9 });
    expect(parseSharedLimits({ ...valid, ratePerSecond: 0.001 })).toStrictEqual({ ...valid, ratePerSecond: 0.001 });
  });

  it.each([
    ['0', 0],
    ['-1', -1],
    ['1e9 + 1', 1e9 + 1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['"5"', '5'],
    ['missing', undefined],
  ])('ratePerSecond %s is malformed', (_label, ratePerSecond) => {
    expect(parseSharedLimits({ ...valid, ratePerSecond })).toBe('malformed');
  });

  it('burst: accepted in [1, 1e6], fractions included', () => {
    expect(parseSharedLimits({ ...valid, burst: 1 })).toStrictEqual({ ...valid, burst: 1 });
    expect(parseSharedLimits({ ...valid, burst: 1e6 })).toStrictEqual({ ...valid, burst: 1e6 });
    expect(parseSharedLimits({ ...valid, burst: 1.5 })).toStrictEqual({ ...valid, burst: 1.5 });
  });

  it.each([
    ['0.5', 0.5],
    ['0.999', 0.999],
    ['0', 0],
    ['1e6 + 1', 1e6 + 1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['"10"', '10'],
    ['missing', undefined],
  ])('burst %s is malformed', (_label, burst) => {
    expect(parseSharedLimits({ ...valid, burst })).toBe('malformed');
  });

  it('blockedUntil: null and 0 accepted', () => {
    expect(parseSharedLimits({ ...valid, blockedUntil: 0 })).toStrictEqual({ ...valid, blockedUntil: 0 });
    expect(parseSharedLimits({ ...valid, blockedUntil: null })).toStrictEqual(valid);
  });

  it.each([
    ['-1', -1],
    ['-0.5', -0.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['"5"', '5'],
    ['missing (undefined)', undefined],
  ])('blockedUntil %s is malformed', (_label, blockedUntil) => {
    expect(parseSharedLimits({ ...valid, blockedUntil })).toBe('malformed');
  });
});
