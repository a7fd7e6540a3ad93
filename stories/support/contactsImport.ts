import type { SimulatedClock } from 'xstate';
import { createExecutor, runBulk, type BulkReport, type Clock, type Executor } from '../../src/index.js';
import { httpError } from './httpError.js';
import { storyExecutorOptions } from './executorInState.js';
import { createStoryClock, settleOnClock } from './simulatedTime.js';

/** A line of the CSV a person imports. */
export interface ContactRow {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

/** What the fake server answers for an inserted contact. */
export interface InsertedContact extends ContactRow {
  readonly id: number;
}

/**
 * Nine rows that meet every outcome an import screen must show: rows that go in, one of them after a 429 and its
 * retry; a row with two invalid fields (400 with a react-admin validation body); a repeated email (409 with a Postgres
 * unique-violation body); an outage (500) that opens the circuit; and rows the open circuit then refuses unsent.
 */
export const sampleContacts: readonly ContactRow[] = [
  { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0001' },
  { name: 'Alan Turing', email: 'alan@example.com', phone: '+44 20 7946 0002' },
  { name: 'Grace Hopper', email: 'grace.example.com', phone: '555-0103' },
  { name: 'Ada King', email: 'ada@example.com', phone: '+44 20 7946 0004' },
  { name: 'Margaret Hamilton', email: 'margaret@example.com', phone: '+1 617 555 0105' },
  { name: 'Radia Perlman', email: 'radia@example.com', phone: '+1 617 555 0106' },
  { name: 'Katherine Johnson', email: 'katherine@example.com', phone: '+1 757 555 0107' },
  { name: 'Edsger Dijkstra', email: 'edsger@example.com', phone: '+31 20 555 0108' },
  { name: 'Barbara Liskov', email: 'barbara@example.com', phone: '+1 617 555 0109' },
];

/** The rows of {@link sampleContacts} that the server accepts (Alan's after a 429 and a retry). */
export const acceptedContacts: readonly ContactRow[] = sampleContacts.filter((row) =>
  ['Ada Lovelace', 'Alan Turing', 'Margaret Hamilton', 'Radia Perlman', 'Edsger Dijkstra', 'Barbara Liskov'].includes(row.name),
);

/** The rows of {@link sampleContacts} that the fake server fails once: Alan with a 429, Katherine with a 500. */
const answersOnce: Readonly<Record<string, () => Error>> = {
  'alan@example.com': () => httpError(429, { headers: { 'Retry-After': '1' } }),
  'katherine@example.com': () => httpError(500),
};

/**
 * A contacts table behind a fake REST endpoint that answers after `latencyMs` on `clock`: it validates like a
 * react-admin backend, enforces a unique email like Postgres, and answers a few rows once with a 429 or a 500 (the
 * outage is over by the time they are sent again).
 */
export function createContactsServer(options: { clock: Clock; latencyMs?: number }): {
  insert(contact: ContactRow, signal: AbortSignal): Promise<InsertedContact>;
} {
  const { clock, latencyMs = 300 } = options;
  const emails = new Set<string>();
  const failedOnce = new Set<string>();
  let nextId = 1;

  const answer = (contact: ContactRow): InsertedContact => {
    const invalid: Record<string, string> = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(contact.email)) invalid.email = 'Enter a valid email address.';
    if (!contact.phone.startsWith('+')) invalid.phone = 'Use the international format, such as +44 20 7946 0958.';
    if (Object.keys(invalid).length > 0) throw httpError(400, { body: { message: 'Invalid contact', errors: invalid } });
    if (emails.has(contact.email)) {
      throw httpError(409, {
        body: {
          code: '23505',
          message: 'duplicate key value violates unique constraint "contacts_email_key"',
          details: `Key (email)=(${contact.email}) already exists.`,
        },
      });
    }
    const failure = answersOnce[contact.email];
    if (failure !== undefined && !failedOnce.has(contact.email)) {
      failedOnce.add(contact.email);
      throw failure();
    }
    emails.add(contact.email);
    return { ...contact, id: nextId++ };
  };

  return {
    insert(contact, signal) {
      return new Promise<InsertedContact>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          clock.clearTimeout(timer);
          reject(signal.reason);
        };
        const timer: unknown = clock.setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          try {
            resolve(answer(contact));
          } catch (error) {
            reject(error);
          }
        }, latencyMs);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** An import that ran, with what a screen needs to run its failed rows again. */
export interface ContactsImport {
  readonly report: BulkReport<ContactRow, InsertedContact>;
  readonly executor: Executor;
  readonly clock: SimulatedClock;
  /**
   * Runs the failed rows of `report` again, as a person would after waiting: the simulated clock first moves to the end
   * of the open period (if the circuit is open), then `report.retryFailed()` runs on it.
   */
  retryFailed(report: BulkReport<ContactRow, InsertedContact>): Promise<BulkReport<ContactRow, InsertedContact>>;
}

/**
 * Imports `rows` into a fresh fake server with `runBulk`, one row at a time, through a real executor
 * (`failureThreshold: 1`, `openDurationMs: 60_000`) on a simulated clock that is moved on while rows wait.
 */
export async function importContacts(rows: readonly ContactRow[] = sampleContacts): Promise<ContactsImport> {
  const clock = createStoryClock();
  const executor = createExecutor({ ...storyExecutorOptions, clock });
  const server = createContactsServer({ clock });
  const report = await settleOnClock(
    clock,
    runBulk(rows, (contact, _index, { signal }) => server.insert(contact, signal), { executor, concurrency: 1, onCircuitOpen: 'fail' }),
  );
  return {
    report,
    executor,
    clock,
    async retryFailed(previous) {
      const { nextAttemptAt } = executor.getCircuitState();
      if (nextAttemptAt !== null) clock.increment(Math.max(0, nextAttemptAt - clock.now()));
      return settleOnClock(clock, previous.retryFailed());
    },
  };
}
