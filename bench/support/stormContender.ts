import type { Row } from './postRow.js';

/** What the client believes happened to one row. */
export type RowOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Everything a contender gets for one import. */
export interface StormContext {
  readonly rows: readonly Row[];
  /** The most requests the contender should have in flight (the brief's pool size). */
  readonly concurrency: number;
  /**
   * Sends ONE attempt of one row: resolves on 2xx with the response headers, rejects with `HttpStatusError` (status, headers, retryAfterMs) on
   * any other answer, or with fetch's error. Retrying is the contender's business.
   */
  readonly send: (row: Row, signal: AbortSignal) => Promise<Headers>;
  /** Aborted when the contender's time budget is spent: stop taking rows and abort what is in flight. */
  readonly signal: AbortSignal;
  /** Call once per row. Reports after the budget is spent are ignored (those rows count as never reported). */
  readonly report: (id: string, outcome: RowOutcome) => void;
}

/** A client strategy for the storm bench. Swap `run` to try another one (for example `runBulk` with pacing). */
export interface StormContender {
  readonly name: string;
  /** Printed under the results, e.g. what the contender does not do. */
  readonly note?: string;
  /** Imports `context.rows`; resolves when every row is reported (or the signal aborted and the contender stopped). */
  run(context: StormContext): Promise<void>;
}

/**
 * A short label for why a row failed: the error's `code`, else `HTTP <status>`, else its class name (cockatiel's
 * errors keep `name === 'Error'`), else its name.
 */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { code, status, name } = error as { code?: unknown; status?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  if (typeof status === 'number') return `HTTP ${status}`;
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (name === 'Error' && typeof className === 'string' && className !== 'Error') return className;
  return typeof name === 'string' ? name : 'unknown error';
}
