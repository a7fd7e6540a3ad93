import type { Faults, FaultSettings } from './createFaults.js';
import { parseRateLimitSettings, type RateLimitSettings } from './rateLimiter.js';

/** What the control routes act on. */
export interface ControlTarget {
  readonly faults: Faults;
  rateLimit: RateLimitSettings | false;
  /** The settings `POST /__control/rate-limit` merges into when the limiter is off. */
  readonly lastRateLimit: RateLimitSettings;
  statsSnapshot(): unknown;
  reset(): Promise<void>;
}

/** A JSON answer of a control route. */
export interface ControlResponse {
  readonly status: number;
  readonly body: unknown;
}

function badRequest(message: string): ControlResponse {
  return { status: 400, body: { code: '400', message, details: null, hint: null } };
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: body.trim() === '' ? {} : JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/**
 * Control routes for the browser demo (never rate-limited):
 * - `GET /__control/faults`, `POST /__control/faults` with a partial `{ outage, status503Rate, latencyMs }`;
 * - `GET /__control/rate-limit`, `POST /__control/rate-limit` with `false`, `{ "enabled": false }` or a partial
 *   `{ ratePerSecond, burst, headers, retryAfter }` (merged into the current or last settings, and enabling);
 * - `GET /__control/stats`;
 * - `POST /__control/reset`: truncate the tables (and seed again when the backend seeds), zero the stats,
 *   refill every bucket. Faults and rate-limit settings stay as they are.
 *
 * @example
 * ```ts
 * await handleControl(target, 'POST', '/__control/faults', '{"outage":true}'); // { status: 200, body: { outage: true, … } }
 * ```
 */
export async function handleControl(target: ControlTarget, method: string, path: string, body: string): Promise<ControlResponse> {
  const name = path.replace(/^\/__control\/?/, '').replace(/\/$/, '');
  const write = method === 'POST' || method === 'PUT' || method === 'PATCH';
  if (method !== 'GET' && method !== 'HEAD' && !write) return { status: 405, body: { code: '405', message: `Method ${method} not allowed` } };
  switch (name) {
    case 'faults': {
      if (write) {
        const parsed = parseJson(body);
        if (!parsed.ok) return badRequest('Body must be JSON');
        try {
          target.faults.set(parsed.value as Partial<FaultSettings>);
        } catch (error) {
          return badRequest((error as Error).message);
        }
      }
      return { status: 200, body: target.faults.toJSON() };
    }
    case 'rate-limit': {
      if (write) {
        const parsed = parseJson(body);
        if (!parsed.ok) return badRequest('Body must be JSON');
        const value = parsed.value;
        try {
          if (value === false || (typeof value === 'object' && value !== null && (value as { enabled?: unknown }).enabled === false)) {
            target.rateLimit = false;
          } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
            const { enabled: _enabled, ...patch } = value as Record<string, unknown>;
            const base = target.rateLimit === false ? target.lastRateLimit : target.rateLimit;
            target.rateLimit = parseRateLimitSettings({ ...base, ...patch });
          } else {
            return badRequest('Body must be false or an object');
          }
        } catch (error) {
          return badRequest((error as Error).message);
        }
      }
      const current = target.rateLimit;
      return { status: 200, body: current === false ? { enabled: false, ...target.lastRateLimit } : { enabled: true, ...current } };
    }
    case 'stats':
      return { status: 200, body: target.statsSnapshot() };
    case 'reset':
      if (!write) return { status: 405, body: { code: '405', message: 'Use POST /__control/reset' } };
      await target.reset();
      return { status: 200, body: { reset: true } };
    default:
      return { status: 404, body: { code: '404', message: `Unknown control route ${path}`, hint: 'faults, rate-limit, stats, reset' } };
  }
}
