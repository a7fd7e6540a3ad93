/**
 * `npm start`: the React Admin demo on its embedded, rate-limiting backend.
 *
 *   npx tsx demo/start.ts
 *
 * Starts the embedded backend (PostgreSQL in PGlite behind a PostgREST subset, seeded, rate-limited to 20 requests/s
 * per client with a burst of 10, answering 429 with Retry-After and RateLimit-* headers) and the Vite dev server of
 * demo/app, prints both URLs, and stops both on Ctrl-C (SIGINT) or SIGTERM.
 *
 * Environment:
 *   PORT_API                 port of the embedded backend (default 54321)
 *   PORT_APP                 port of the app (default 5173)
 *   RATE_LIMIT_PER_SEC       requests per second per client (default 20; 0 turns the limiter off)
 *   RATE_LIMIT_BURST         bucket size (default 10)
 *   VITE_SUPABASE_URL        a real Supabase project: the app talks to it and no embedded backend is started
 *   VITE_SUPABASE_ANON_KEY   its anon (publishable) key
 * VITE_* variables may also come from demo/app/.env.local, as Vite reads them.
 */
import { fileURLToPath } from 'node:url';
import { createServer, loadEnv, type ViteDevServer } from 'vite';
import { createBackend, type Backend } from './server/createBackend.js';

const appRoot = fileURLToPath(new URL('./app/', import.meta.url));
const configFile = fileURLToPath(new URL('./app/vite.config.ts', import.meta.url));

function integerFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got "${raw}".`);
  return value;
}

async function main(): Promise<void> {
  const apiPort = integerFromEnv('PORT_API', 54321, 0);
  const appPort = integerFromEnv('PORT_APP', 5173, 0);
  const rate = integerFromEnv('RATE_LIMIT_PER_SEC', 20, 0);
  const burst = integerFromEnv('RATE_LIMIT_BURST', 10, 1);
  const external = loadEnv('development', appRoot, 'VITE_').VITE_SUPABASE_URL;

  let backend: Backend | undefined;
  let vite: ViteDevServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const results = await Promise.allSettled([vite?.close(), backend?.close()]);
      for (const result of results) if (result.status === 'rejected') console.error(result.reason);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping the app and the backend…`);
      void stop().then(() => process.exit(0));
    });
  }

  try {
    if (external === undefined || external.trim() === '') {
      backend = await createBackend({
        port: apiPort,
        seed: true,
        rateLimit: rate === 0 ? false : { ratePerSecond: rate, burst, headers: 'ietf', retryAfter: 'integer' },
      });
    }
    vite = await createServer({
      configFile,
      server: { port: appPort },
      // The app reads its API URL from VITE_SUPABASE_URL; point it at the backend started here.
      define: backend === undefined ? {} : { 'import.meta.env.VITE_SUPABASE_URL': JSON.stringify(backend.url) },
    });
    await vite.listen();
  } catch (error) {
    await stop();
    throw error;
  }

  const appUrl = vite.resolvedUrls?.local[0] ?? `http://localhost:${appPort}/`;
  console.log('');
  console.log('  xstate-circuit-breaker · React Admin demo');
  console.log(`  App:      ${appUrl}`);
  console.log(`            ${appUrl}?openMs=2000   circuits re-try after 2 s instead of 10 s`);
  console.log(`            ${appUrl}?inspect       also send machine events to the Stately inspector (needs internet)`);
  if (backend === undefined) {
    console.log(`  API:      ${external} (VITE_SUPABASE_URL; no embedded backend started)`);
  } else {
    const limit = backend.rateLimit;
    console.log(`  API:      ${backend.url}  (PostgREST subset on PGlite, REST under /rest/v1)`);
    console.log(`  Limit:    ${limit === false ? 'off' : `${limit.ratePerSecond} req/s per client, burst ${limit.burst}, 429 + Retry-After + RateLimit-*`}`);
    console.log(`  Control:  ${backend.url}/__control/{faults,rate-limit,stats,reset}  (the Storm & faults page uses them)`);
  }
  console.log('  Ctrl-C stops both.');
  console.log('');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
