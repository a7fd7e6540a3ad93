/** Where the demo's embedded backend listens when `npm start` runs it with no PORT_API. */
export const EMBEDDED_BACKEND_URL = 'http://127.0.0.1:54321';
export const DEFAULT_ANON_KEY = 'demo-anon-key';
/** The demo's open time: shorter than the library's 60 s, so a newcomer sees the circuit recover. */
export const DEFAULT_OPEN_DURATION_MS = 10_000;

/** What the demo app is configured with. */
export interface DemoConfig {
  /** The Supabase project (or embedded backend) URL, without `/rest/v1`. */
  readonly apiUrl: string;
  readonly anonKey: string;
  /** How long a circuit stays open before its trial call (`?openMs=`). */
  readonly openDurationMs: number;
  /** Whether to connect the executors to the Stately inspector (`?inspect`). */
  readonly inspect: boolean;
  /** How long a circuit sits half-open with no call before the demo probes the resource by itself (`?probeMs=`). */
  readonly probeDelayMs: number;
}

/**
 * Reads the demo's configuration from Vite's environment (`VITE_SUPABASE_URL`, `VITE_SUPABASE_ANON_KEY`) and the
 * page's query string (`?openMs=2000`, `?inspect`). Throws a `RangeError` naming the bad value.
 *
 * @example
 * readDemoConfig({ VITE_SUPABASE_URL: 'https://abc.supabase.co/' }, '?openMs=2000&inspect')
 * // { apiUrl: 'https://abc.supabase.co', anonKey: 'demo-anon-key', openDurationMs: 2000, inspect: true, probeDelayMs: 1000 }
 */
/** The half-open wait before the demo's own probe, without `?probeMs=`. */
export const DEFAULT_PROBE_DELAY_MS = 1_000;

export function readDemoConfig(env: Readonly<Record<string, unknown>>, search: string): DemoConfig {
  const text = (name: string): string | undefined => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const apiUrl = (text('VITE_SUPABASE_URL') ?? EMBEDDED_BACKEND_URL).replace(/\/+$/, '');
  try {
    new URL(apiUrl);
  } catch {
    throw new RangeError(`VITE_SUPABASE_URL must be an absolute URL such as https://<project>.supabase.co, got ${JSON.stringify(apiUrl)}.`);
  }
  const params = new URLSearchParams(search);
  let openDurationMs = DEFAULT_OPEN_DURATION_MS;
  const openMs = params.get('openMs');
  if (openMs !== null) {
    openDurationMs = Number(openMs);
    if (openMs.trim() === '' || !Number.isInteger(openDurationMs) || openDurationMs < 1) {
      throw new RangeError(`?openMs must be a whole number of milliseconds >= 1, got ${JSON.stringify(openMs)}.`);
    }
  }
  let probeDelayMs = DEFAULT_PROBE_DELAY_MS;
  const probeMs = params.get('probeMs');
  if (probeMs !== null) {
    probeDelayMs = Number(probeMs);
    if (probeMs.trim() === '' || !Number.isInteger(probeDelayMs) || probeDelayMs < 0) {
      throw new RangeError(`?probeMs must be a whole number of milliseconds >= 0, got ${JSON.stringify(probeMs)}.`);
    }
  }
  const inspect = params.get('inspect');
  return {
    probeDelayMs,
    apiUrl,
    anonKey: text('VITE_SUPABASE_ANON_KEY') ?? DEFAULT_ANON_KEY,
    openDurationMs,
    inspect: inspect !== null && inspect !== 'false' && inspect !== '0',
  };
}
