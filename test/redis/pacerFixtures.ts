import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import type { PacerSlot } from '../../src/pacing/pacerTypes.js';
import { useRedisServer } from '../support/servers/redisServer.js';

function newClient(url: string) {
  return createClient({ url, socket: { reconnectStrategy: () => 50, connectTimeout: 500 } });
}

export type TestRedisClient = ReturnType<typeof newClient>;

/**
 * A node-redis client on `url` that reconnects every 50 ms while Redis is away (so a test does not wait for the
 * default back-off) and keeps its errors (node-redis needs an 'error' listener, or a dropped socket crashes the process).
 */
export function redisClient(url: string): { client: TestRedisClient; errors: unknown[] } {
  const errors: unknown[] = [];
  const client = newClient(url);
  client.on('error', (error: unknown) => errors.push(error));
  return { client, errors };
}

export async function connectedClient(url: string): Promise<TestRedisClient> {
  const { client } = redisClient(url);
  await client.connect();
  return client;
}

/** Redis's clock now, in ms. */
export async function redisTime(client: TestRedisClient): Promise<number> {
  const [seconds, micros] = (await client.sendCommand(['TIME'])) as [string, string];
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

/** Resolves when the slot moved (the script answered or the slot fell back to the local pacer). */
export function moved(slot: PacerSlot): Promise<void> {
  return new Promise((resolve) => {
    slot.onMove = () => {
      slot.onMove = null;
      resolve();
    };
  });
}

/** Waits until `condition()` holds, polling every 10 ms, for `ms` at most. */
export async function until(condition: () => boolean, ms = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A prefix no other test uses, so tests on one server do not share buckets. */
let prefixes = 0;
export function uniquePrefix(): string {
  return `test${process.pid}-${++prefixes}-${Date.now()}:`;
}

/** A redis-server for the file's tests, an admin client on it, and the clients the tests connect (all closed after). */
export interface PacerRedis {
  /** The admin connection: for reading keys and Redis's clock, and for pausing Redis. */
  readonly admin: TestRedisClient;
  /** A new connected client, as a separate process would have; destroyed after the file's tests. */
  client(): Promise<TestRedisClient>;
}

/** {@link useRedisServer}, with an admin client connected in `beforeAll`; it and every test client are closed in `afterAll`. */
export function usePacerRedis(): PacerRedis {
  const server = useRedisServer();
  let admin: TestRedisClient | undefined;
  const clients: TestRedisClient[] = [];
  beforeAll(async () => {
    admin = await connectedClient(server.url);
  });
  afterAll(() => {
    for (const client of [...(admin === undefined ? [] : [admin]), ...clients]) client.destroy();
  });
  return {
    get admin() {
      if (admin === undefined) throw new Error('usePacerRedis(): the admin client connects in beforeAll; use it inside a test.');
      return admin;
    },
    async client() {
      const connected = await connectedClient(server.url);
      clients.push(connected);
      return connected;
    },
  };
}
