// One process of the multi-process fleet test: imports the rows it is given into the loopback API, under an executor
// whose circuit is shared through Redis, and tells the parent (IPC) what happens, with Date.now() times.
import { createClient } from 'redis';
import { CircuitOpenError, createExecutor, isRateLimitError } from '../../../src/index.js';
import { linkToRedis } from '../../../src/redis/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fleetWorker needs ${name}`);
  return value;
};
const worker = env('FLEET_WORKER');
const api = env('FLEET_API');
const send = (message: Record<string, unknown>): void => void process.send?.({ worker, pid: process.pid, at: Date.now(), ...message });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const client = createClient({ url: env('FLEET_REDIS'), socket: { reconnectStrategy: () => 20 } });
client.on('error', () => undefined); // every failed reconnect lands here; the fleet link logs the outage once
await client.connect();
const fleet = linkToRedis(client, { prefix: 'fleet-test:', commandTimeoutMs: 200, rejoinIntervalMs: 50 });
fleet.subscribe((state) => send({ type: 'link', state }));

const executor = createExecutor({
  maxRetries: 8,
  initialDelayMs: 5,
  maxDelayMs: 50,
  failureThreshold: 2,
  openDurationMs: Number(env('FLEET_OPEN_MS')),
  pacer: false,
  retryBudget: false,
  // A 429 is the server pacing us, not failing: it does not count against the circuit.
  isFailure: (error) => !isRateLimitError(error),
  logger: (entry) => send({ type: 'log', event: entry.event, source: entry.data?.source ?? null, message: entry.message }),
  persist: fleet.persist({ name: env('FLEET_NAME'), trialLeaseMs: Number(env('FLEET_LEASE_MS')) }),
});
executor.subscribe((state) => send({ type: 'state', state: state.state }));

async function postRow(id: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${api}/rows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-worker': worker },
    body: JSON.stringify({ id }),
    signal,
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status === 409) return; // stored by an earlier attempt whose answer was lost
  if (!response.ok) throw response;
}

const queue: string[] = [];
let running = true;
process.on('message', (message: { type: string; ids?: string[] }) => {
  if (message.type === 'rows') queue.push(...(message.ids ?? []));
  if (message.type === 'stop') running = false;
});

const waitForUp = async (): Promise<void> => {
  while (fleet.state !== 'up') await sleep(5);
};
await waitForUp();
send({ type: 'ready' });

while (running) {
  const id = queue.shift();
  if (id === undefined) {
    await sleep(10);
    continue;
  }
  try {
    await executor.execute(
      async ({ signal, attempt }) => {
        if (attempt === 1 && executor.getCircuitState().state === 'halfOpen') {
          send({ type: 'trial', id });
          await sleep(100); // a trial long enough for the other processes to ask for it meanwhile
        }
        await postRow(id, signal);
      },
      { idempotent: true },
    );
    send({ type: 'stored', id });
    await sleep(5);
  } catch (error) {
    queue.unshift(id); // tried again later: the import loses no row
    await sleep(error instanceof CircuitOpenError ? 20 : 10);
  }
}
send({ type: 'done', sync: executor.getSyncStats(), fleet: fleet.getStats() });
executor.stop();
await fleet.close();
await client.close();
process.exit(0);
