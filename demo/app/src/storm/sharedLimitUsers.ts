import { createExecutor, createPacer, runBulk, type BulkProgress, type Executor, type Pacer } from '../../../../src/index.js';
import type { HttpClient } from '../../../../src/ra-core/index.js';
import { createContactImport, toImportItems } from '../import/createContactImport.js';
import { generateContactsCsv, randomBatch } from '../import/generateContactsCsv.js';
import { readContactsCsv } from '../import/readContactsCsv.js';

/**
 * Another user importing contacts on the same API key as this tab: an executor and a pacer of its own that know
 * nothing of this tab's, or of each other's, as if it ran in another browser. Only the server's limit is shared.
 */
export interface SharedLimitUser {
  readonly name: string;
  readonly executor: Executor;
  readonly pacer: Pacer;
  readonly rows: number;
  /** The last progress of its run (null before the first row ends). */
  readonly progress: BulkProgress | null;
  /** How the run ended: rows stored and failed, or null while it runs. */
  readonly outcome: { readonly stored: number; readonly failed: number; readonly notStarted: number; readonly stopped: boolean } | null;
}

export interface StartUsersOptions {
  readonly count: number;
  readonly rows: number;
  readonly concurrency: number;
  readonly httpClient: HttpClient;
  readonly restUrl: string;
  readonly openDurationMs: number;
}

type Listener = () => void;

let users: readonly SharedLimitUser[] = [];
let controller: AbortController | null = null;
const listeners = new Set<Listener>();

function publish(next: readonly SharedLimitUser[]): void {
  users = next;
  for (const listener of listeners) listener();
}

/** Changes the user of `executor` (not found by name: a stopped run's late outcome must not land on the next run's). */
function update(executor: Executor, change: Partial<SharedLimitUser>): void {
  publish(users.map((user) => (user.executor === executor ? { ...user, ...change } : user)));
}

/**
 * The users started from the Storm page, kept outside any component: they go on importing while this tab's own
 * import runs on the Import page, and the Storm page finds them again when it is opened.
 */
export const sharedLimitUsers = {
  /** The current users (a new array on each change, for `useSyncExternalStore`). */
  get(): readonly SharedLimitUser[] {
    return users;
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** Whether a run of the users is still going. */
  running(): boolean {
    return users.some((user) => user.outcome === null);
  },

  /** Starts `count` users, each importing `rows` generated contacts with runBulk. A run still going is stopped first. */
  start(options: StartUsersOptions): void {
    this.stop();
    // The last run's executors are done with: stop them, so their timers and actors go.
    for (const user of users) user.executor.stop();
    const run = new AbortController();
    controller = run;
    const task = createContactImport({ httpClient: options.httpClient, restUrl: options.restUrl });
    const started = Array.from({ length: options.count }, (_, i): SharedLimitUser => {
      const pacer = createPacer();
      return {
        name: `user ${i + 2}`,
        pacer,
        executor: createExecutor({ pacer, openDurationMs: options.openDurationMs }),
        rows: options.rows,
        progress: null,
        outcome: null,
      };
    });
    publish(started);
    for (const user of started) {
      const items = toImportItems(readContactsCsv(generateContactsCsv(options.rows, randomBatch())).drafts);
      runBulk(items, task, {
        executor: user.executor,
        concurrency: options.concurrency,
        idempotent: true,
        signal: run.signal,
        onProgress: (progress) => update(user.executor, { progress }),
      }).then(
        (report) => {
          const notStarted = report.results.filter((row) => row.status === 'failed' && row.reason === 'not-started').length;
          update(user.executor, { outcome: { stored: report.succeeded, failed: report.failed - notStarted, notStarted, stopped: report.wasAborted } });
        },
        // runBulk reports row failures in its report; a rejection is a bad option: every row counts as failed.
        () => update(user.executor, { outcome: { stored: 0, failed: options.rows, notStarted: 0, stopped: run.signal.aborted } }),
      );
    }
  },

  /** Stops the users' run: rows not sent yet are reported not started. */
  stop(): void {
    controller?.abort(new DOMException('The other users were stopped.', 'AbortError'));
    controller = null;
  },
};
