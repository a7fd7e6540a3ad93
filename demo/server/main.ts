/**
 * CLI entry of the demo backend.
 *
 *   npx tsx demo/server/main.ts [--port 54321] [--host 127.0.0.1] [--data-dir ./.demo-db] [--no-seed]
 *                               [--rate 20] [--burst 10] [--headers ietf|x-ratelimit|none] [--retry-after integer|none]
 *
 * Environment: PORT, RATE_LIMIT_PER_SEC (0 turns the limiter off), RATE_LIMIT_BURST. Flags win over the environment.
 */
import { parseArgs } from 'node:util';
import { createBackend } from './createBackend.js';
import { parseRateLimitSettings, type RateLimitSettings } from './rateLimiter.js';

function numberFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new RangeError(`${name} must be a number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-seed': { type: 'boolean' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      headers: { type: 'string' },
      'retry-after': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log('Usage: npx tsx demo/server/main.ts [--port 54321] [--host 127.0.0.1] [--data-dir DIR] [--no-seed]');
    console.log('       [--rate 20] [--burst 10] [--headers ietf|x-ratelimit|none] [--retry-after integer|none]');
    console.log('Env: PORT, RATE_LIMIT_PER_SEC (0 = no limit), RATE_LIMIT_BURST');
    return;
  }
  const port = numberFrom('--port', values.port ?? process.env.PORT, 54321);
  const rate = numberFrom('--rate', values.rate ?? process.env.RATE_LIMIT_PER_SEC, 20);
  const burst = numberFrom('--burst', values.burst ?? process.env.RATE_LIMIT_BURST, 10);
  const rateLimit: RateLimitSettings | false =
    rate === 0
      ? false
      : parseRateLimitSettings({
          ratePerSecond: rate,
          burst,
          headers: values.headers ?? 'ietf',
          retryAfter: values['retry-after'] ?? 'integer',
        });

  const backend = await createBackend({
    port,
    host: values.host ?? '127.0.0.1',
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    seed: values['no-seed'] !== true,
    rateLimit,
  });
  console.log(`Demo backend (PostgREST subset on PGlite) listening on ${backend.url}`);
  console.log(`  REST:     ${backend.restUrl}   (supabase-js: createClient('${backend.url}', 'anon-key'))`);
  console.log(`  Control:  ${backend.url}/__control/{faults,rate-limit,stats,reset}`);
  console.log(`  Limit:    ${rateLimit === false ? 'off' : `${rateLimit.ratePerSecond} req/s, burst ${rateLimit.burst}, ${rateLimit.headers} headers`}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing…`);
    backend.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
