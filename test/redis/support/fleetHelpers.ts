import { createClient } from 'redis';
import { createExecutor, type Executor, type ExecutorOptions, type LogEntry } from '../../../src/index.js';
import { linkToRedis, type LinkToRedisOptions, type RedisFleet } from '../../../src/redis/index.js';

/** A node-redis client that retries a lost connection every 20 ms (tests wait less for a restarted Redis). */
export function makeClient(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: () => 20 } });
  client.on('error', () => undefined); // node-redis reports every failed reconnect here; the link has its own view
  return client;
}

/** One process of a fleet, played in this process: its own node-redis client, link and executor. */
export interface Member {
  readonly client: ReturnType<typeof makeClient>;
  readonly fleet: RedisFleet;
  readonly executor: Executor;
  /** What the executor logged. */
  readonly logs: LogEntry[];
  /** The fleet-link entries only, as `event`. */
  linkEvents(): string[];
}

export const OPEN_MS = 10_000;

/**
 * Members are created against one Redis url; `stopAll()` stops them in an afterEach. A client is connected without
 * waiting when Redis is down (`connect()` retries until it answers).
 */
export function fleetOf(url: string, name: string) {
  const members: Member[] = [];
  return {
    members,
    async join(
      options: { link?: LinkToRedisOptions; executor?: ExecutorOptions; waitForRedis?: boolean; trialLeaseMs?: number } = {},
    ): Promise<Member> {
      const client = makeClient(url);
      const connected = client.connect();
      if (options.waitForRedis ?? true) await connected;
      else connected.catch(() => undefined);
      const fleet = linkToRedis(client, { prefix: 'test:', commandTimeoutMs: 200, rejoinIntervalMs: 50, ...options.link });
      const logs: LogEntry[] = [];
      const executor = createExecutor({
        maxRetries: 0,
        failureThreshold: 2,
        openDurationMs: OPEN_MS,
        trialTimeoutMs: 60_000,
        pacer: false,
        retryBudget: false,
        logger: (entry) => logs.push(entry),
        persist: fleet.persist({ name, ...(options.trialLeaseMs === undefined ? {} : { trialLeaseMs: options.trialLeaseMs }) }),
        ...options.executor,
      });
      const member: Member = {
        client,
        fleet,
        executor,
        logs,
        linkEvents: () => logs.filter((e) => e.event.startsWith('fleet-link')).map((e) => e.event),
      };
      members.push(member);
      return member;
    },
    async stopAll(): Promise<void> {
      for (const m of members.splice(0)) {
        m.executor.stop();
        await m.fleet.close();
        if (m.client.isOpen) m.client.destroy();
      }
    },
  };
}

let names = 0;
/** A circuit name no other test uses. */
export const freshName = (): string => `circuit-${process.pid}-${++names}`;
