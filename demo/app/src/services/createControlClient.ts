/** The fault switches of the embedded backend (`/__control/faults`). */
export interface BackendFaults {
  readonly outage: boolean;
  readonly status503Rate: number;
  readonly latencyMs: number;
}

/** The embedded backend's rate limiter (`/__control/rate-limit`). */
export interface BackendRateLimit {
  readonly enabled: boolean;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly headers: string;
  readonly retryAfter: string;
}

/** The embedded backend's counters of REST requests (`/__control/stats`). */
export interface BackendStats {
  readonly requests: number;
  readonly rateLimited: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

/** The control routes of the embedded backend; see {@link createControlClient}. */
export interface ControlClient {
  readonly baseUrl: string;
  getFaults(): Promise<BackendFaults>;
  setFaults(patch: Partial<BackendFaults>): Promise<BackendFaults>;
  getRateLimit(): Promise<BackendRateLimit>;
  /** `false` turns the limiter off; an object merges into the current (or last) settings and turns it on. */
  setRateLimit(patch: Partial<Omit<BackendRateLimit, 'enabled'>> | false): Promise<BackendRateLimit>;
  getStats(): Promise<BackendStats>;
  /** Empties the tables and seeds them again, zeroes the counters, refills the rate-limit buckets. */
  reset(): Promise<void>;
}

/** The control routes answered something other than JSON 2xx: they exist only on the embedded backend. */
export class ControlUnavailableError extends Error {
  readonly code = 'DEMO_CONTROL_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControlUnavailableError';
  }
}

/**
 * A client of the embedded backend's `/__control/*` routes (fault switches, rate limiter, counters, reset). They are
 * never rate-limited and never go through an executor: they are the demo's remote control, not the app's traffic.
 * A real Supabase project has no such routes: every method then rejects with `ControlUnavailableError`.
 *
 * @example
 * const control = createControlClient('http://127.0.0.1:54321')
 * await control.setFaults({ outage: true }) // every REST request now answers 503
 */
export function createControlClient(apiUrl: string, fetchImpl?: typeof fetch): ControlClient {
  const baseUrl = `${apiUrl.replace(/\/+$/, '')}/__control`;
  const call = async <T>(route: string, body?: unknown): Promise<T> => {
    const send = fetchImpl ?? globalThis.fetch;
    let response: Response;
    try {
      response = await send(`${baseUrl}/${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      throw new ControlUnavailableError(`The backend at ${apiUrl} did not answer (${String(error)}).`, { cause: error });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok || json === undefined) {
      const message = (json as { message?: unknown } | undefined)?.message;
      throw new ControlUnavailableError(
        `${baseUrl}/${route} answered ${response.status}${typeof message === 'string' ? `: ${message}` : ''}. ` +
          'Fault switches exist only on the embedded demo backend (npm start).',
      );
    }
    return json as T;
  };
  return {
    baseUrl,
    getFaults: () => call<BackendFaults>('faults'),
    setFaults: (patch) => call<BackendFaults>('faults', patch),
    getRateLimit: () => call<BackendRateLimit>('rate-limit'),
    setRateLimit: (patch) => call<BackendRateLimit>('rate-limit', patch),
    getStats: () => call<BackendStats>('stats'),
    reset: async () => {
      await call<unknown>('reset', {});
    },
  };
}
