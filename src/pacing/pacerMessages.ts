import { MAX_TAB_ID_LENGTH, SYNC_VERSION } from '../sync/records.js';

/** What a pacer has learnt of the server's limit, as announced to the other tabs. */
export interface SharedLimits {
  readonly v: typeof SYNC_VERSION;
  readonly kind: 'pacer-limits';
  /** The tab (pacer) that announced it. */
  readonly tab: string;
  readonly source: 'headers' | 'adaptive';
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Clock time before which the server said no request should go (its quota is used up), or `null`. */
  readonly blockedUntil: number | null;
}

const MAX_RATE = 1e9;
const MAX_BURST = 1e6;

/** Checks a message from another tab: `'malformed'` for anything that is not exactly a limits message of this version. */
export function parseSharedLimits(value: unknown): SharedLimits | 'malformed' | 'unsupported' {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'malformed';
  const m = value as Record<string, unknown>;
  if (m.kind !== 'pacer-limits') return 'malformed';
  if (m.v !== SYNC_VERSION) return typeof m.v === 'number' && Number.isInteger(m.v) && m.v > 0 ? 'unsupported' : 'malformed';
  if (typeof m.tab !== 'string' || m.tab.length === 0 || m.tab.length > MAX_TAB_ID_LENGTH) return 'malformed';
  if (m.source !== 'headers' && m.source !== 'adaptive') return 'malformed';
  const rate = m.ratePerSecond;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) return 'malformed';
  const burst = m.burst;
  if (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1 || burst > MAX_BURST) return 'malformed';
  const blocked = m.blockedUntil;
  if (blocked !== null && (typeof blocked !== 'number' || !Number.isFinite(blocked) || blocked < 0)) return 'malformed';
  return { v: SYNC_VERSION, kind: 'pacer-limits', tab: m.tab, source: m.source, ratePerSecond: rate, burst, blockedUntil: blocked };
}
