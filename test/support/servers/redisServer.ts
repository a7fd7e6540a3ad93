import { afterAll, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '../freePort.js';

/** A Debian `redis-server` on a loopback port, started for a test and stopped after it. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, for `createClient({ url })`. */
  readonly url: string;
  /** Kills the server (SIGKILL: what a crash looks like to its clients); resolves once the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (it keeps nothing on disk). */
  restart(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port with persistence off (`--save ''`, `--appendonly no`): nothing is
 * written to disk, and a restart starts empty. Installed by `scripts/ensure-system-deps.sh`.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      child = await launch(port);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`redis-server did not start (is it installed? run scripts/ensure-system-deps.sh): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before answering on port ${port}: ${stderr}`)));
  });
  failed.catch(() => {}); // only the race below reports it
  await Promise.race([answersPing(port), failed]);
  return child;
}

/** Resolves once a PING on the port is answered with PONG (retrying for up to 10 s while the server starts). */
async function answersPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await pingOnce(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A redis-server for the tests of one file: started before them, stopped after them. The returned object reads the
 * running server, so a test uses it as it would the server itself (`redis.url`, `redis.restart()`).
 */
export function useRedisServer(): RedisServer {
  let server: RedisServer | undefined;
  const running = (): RedisServer => {
    if (server === undefined) throw new Error('useRedisServer(): the server is started in beforeAll; read it inside a test.');
    return server;
  };
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get port() {
      return running().port;
    },
    get url() {
      return running().url;
    },
    stop: () => running().stop(),
    restart: () => running().restart(),
  };
}
