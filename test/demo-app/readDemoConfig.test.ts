import { describe, expect, it } from 'vitest';
import { DEFAULT_OPEN_DURATION_MS, DEFAULT_PROBE_DELAY_MS, EMBEDDED_BACKEND_URL, readDemoConfig } from '../../demo/app/src/services/readDemoConfig.js';

describe('readDemoConfig', () => {
  it('defaults to the embedded backend, the demo key and a 10 s open time', () => {
    expect(readDemoConfig({}, '')).toEqual({ apiUrl: EMBEDDED_BACKEND_URL, anonKey: 'demo-anon-key', openDurationMs: DEFAULT_OPEN_DURATION_MS, inspect: false, probeDelayMs: DEFAULT_PROBE_DELAY_MS });
  });

  it('reads a Supabase project from the environment and ?openMs, ?inspect from the page', () => {
    const config = readDemoConfig({ VITE_SUPABASE_URL: 'https://abc.supabase.co/', VITE_SUPABASE_ANON_KEY: 'anon' }, '?openMs=2000&inspect');
    expect(config).toEqual({ apiUrl: 'https://abc.supabase.co', anonKey: 'anon', openDurationMs: 2000, inspect: true, probeDelayMs: DEFAULT_PROBE_DELAY_MS });
    expect(readDemoConfig({}, '?inspect=false').inspect).toBe(false);
  });

  it('refuses a bad open time or URL, naming it', () => {
    expect(() => readDemoConfig({}, '?openMs=2s')).toThrow('?openMs must be a whole number of milliseconds >= 1, got "2s".');
    expect(() => readDemoConfig({}, '?openMs=0')).toThrow(RangeError);
    expect(() => readDemoConfig({ VITE_SUPABASE_URL: 'abc.supabase.co' }, '')).toThrow(/VITE_SUPABASE_URL must be an absolute URL/);
  });

  it('reads the wait before the recovery probe from ?probeMs and refuses a bad one', () => {
    expect(readDemoConfig({}, '?probeMs=2500').probeDelayMs).toBe(2500);
    expect(readDemoConfig({}, '?probeMs=0').probeDelayMs).toBe(0);
    expect(() => readDemoConfig({}, '?probeMs=-1')).toThrow('?probeMs must be a whole number of milliseconds >= 0, got "-1".');
    expect(() => readDemoConfig({}, '?probeMs=')).toThrow(RangeError);
  });
});
