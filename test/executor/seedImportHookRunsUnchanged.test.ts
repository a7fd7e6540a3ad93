import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitService } from '../../src/index.js';
import { createRecordingClock, type RecordingClock } from '../reliability/support/recordingClock.js';

/* A caller written against the seed's hand-written service: only what the seed offered is used. */

/** What the seed's callers know of the service they were given. */
interface SeedService {
  executeWithRetry<T>(operation: () => Promise<T>, context?: { resourceName: string; operation: string }): Promise<T>;
  getCircuitState(): { isOpen: boolean; failures: number; timeSinceLastFailure: number };
}

interface SeedError {
  code?: string;
  message: string;
  originalError?: { status?: number };
}

type RowOutcome =
  | { row: number; ok: true }
  | { row: number; ok: false; code: string | undefined; message: string; upstreamStatus: number | undefined };

/** The import hook of the app, in the shape it had before our package. */
class ContactImportHook {
  constructor(
    private readonly service: SeedService,
    private readonly baseUrl: string,
  ) {}

  async importRow(row: number): Promise<RowOutcome> {
    try {
      await this.service.executeWithRetry(
        async () => {
          const response = await fetch(`${this.baseUrl}/contacts`, { method: 'POST', body: JSON.stringify({ row }) });
          if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
          return response.json();
        },
        { resourceName: 'contacts', operation: 'import' },
      );
      return { row, ok: true };
    } catch (caught) {
      const error = caught as SeedError;
      return { row, ok: false, code: error.code, message: error.message, upstreamStatus: error.originalError?.status };
    }
  }

  health(): string {
    const { isOpen, failures, timeSinceLastFailure } = this.service.getCircuitState();
    return `${isOpen ? 'open' : 'closed'} ${failures} ${timeSinceLastFailure}`;
  }
}

/* A real loopback server: answers each request with the next scripted status (200 once the script is used up). */
let server: Server;
let baseUrl: string;
let script: number[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      const status = script.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 200 ? '{"ok":true}' : '{"message":"Too Many Requests"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  script = [];
  requests = 0;
});

/** Lets the loopback I/O finish, then jumps the simulated clock to each due timer until the call settles. */
async function drive<T>(clock: RecordingClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const result = promise.finally(() => {
    settled = true;
  });
  for (let turn = 0; !settled && turn < 2000; turn++) {
    const due = clock.nextDue();
    if (due !== null) await clock.advance(Math.max(0, due - clock.now()));
    else await new Promise((resolve) => setTimeout(resolve, 1)); // real I/O on the loopback socket
  }
  return result;
}

function setup() {
  const clock = createRecordingClock();
  const service = new RateLimitService({}, { clock, logger: () => {} });
  return { clock, hook: new ContactImportHook(service, baseUrl) };
}

describe('a seed import hook runs unchanged on RateLimitService', () => {
  it('succeeds after the server answered 429 twice', async () => {
    const { clock, hook } = setup();
    script = [429, 429];
    await expect(drive(clock, hook.importRow(1))).resolves.toEqual({ row: 1, ok: true });
    expect(requests).toBe(3);
    expect(hook.health()).toBe('closed 0 0');
  });

  it('after 4 failed attempts reports RATE_LIMIT_MAX_RETRIES_EXCEEDED with the seed message and the 429', async () => {
    const { clock, hook } = setup();
    script = [429, 429, 429, 429];
    const outcome = await drive(clock, hook.importRow(2));
    expect(outcome).toEqual({
      row: 2,
      ok: false,
      code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED',
      message: 'System overloaded. Try again in a few moments.',
      upstreamStatus: 429,
    });
    expect(requests).toBe(4);
    await clock.advance(500);
    expect(hook.health()).toBe('closed 1 500');
  });

  it('the 5th failed operation rejects with RATE_LIMIT_CIRCUIT_OPEN and the circuit is open', async () => {
    const { clock, hook } = setup();
    script = Array.from({ length: 20 }, () => 429);
    const outcomes: RowOutcome[] = [];
    for (let row = 1; row <= 5; row++) outcomes.push(await drive(clock, hook.importRow(row)));
    expect(outcomes.slice(0, 4).map((o) => !o.ok && o.code)).toEqual(Array(4).fill('RATE_LIMIT_MAX_RETRIES_EXCEEDED'));
    expect(outcomes[4]).toMatchObject({ ok: false, code: 'RATE_LIMIT_CIRCUIT_OPEN' });
    expect(hook.health()).toMatch(/^open 5 /);
  });

  it('once 5 operations have failed, the next is refused with RATE_LIMIT_CIRCUIT_OPEN and the seed message, unsent', async () => {
    const { clock, hook } = setup();
    script = Array.from({ length: 20 }, () => 429);
    for (let row = 1; row <= 5; row++) await drive(clock, hook.importRow(row));
    // Not 20: the executor's default retry budget (burst 10, 0.2 per call) stops retrying once it is spent.
    expect(requests).toBeGreaterThanOrEqual(14);
    expect(hook.health()).toMatch(/^open 5 \d+$/);
    const sent = requests;
    const refused = await drive(clock, hook.importRow(6));
    expect(refused).toMatchObject({ ok: false, code: 'RATE_LIMIT_CIRCUIT_OPEN', message: 'Too many requests. Wait 1-2 minutes before trying again.' });
    expect(requests).toBe(sent);
  });
});
