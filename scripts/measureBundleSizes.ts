import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Frameworks the package leaves to the app (peers): never counted in its cost. */
const PEERS = ['react', 'react-dom', 'react/jsx-runtime', 'ra-core', '@mui/*', '@supabase/*', '@emotion/*'];

/** What a browser bundle pays for one import of the package, measured with esbuild (minified, tree-shaken). */
export interface BundleCost {
  /** What is imported, as a user writes it. */
  readonly entry: string;
  /** The import statement measured. */
  readonly code: string;
  /** Minified and gzipped bytes the package adds beyond xstate. */
  readonly gzipBytes: number;
  readonly minBytes: number;
}

/** The imports measured: each entry whole, and the calls most apps make alone. */
export const MEASURED_IMPORTS: readonly { entry: string; code: string }[] = [
  { entry: '. createExecutor', code: `import { createExecutor } from './src/index.ts'; console.log(createExecutor);` },
  { entry: '. RateLimitService', code: `import { RateLimitService } from './src/index.ts'; console.log(RateLimitService);` },
  { entry: '. runBulk + createExecutor', code: `import { runBulk, createExecutor } from './src/index.ts'; console.log(runBulk, createExecutor);` },
  { entry: '. (everything)', code: `export * from './src/index.ts';` },
  { entry: '/machines', code: `export * from './machines/index.ts';` },
  { entry: '/react', code: `export * from './src/react/index.ts';` },
  { entry: '/react-admin', code: `export * from './src/react-admin/index.ts';` },
  { entry: '/ra-core', code: `export * from './src/ra-core/index.ts';` },
  { entry: '/supabase', code: `export * from './src/supabase/index.ts';` },
  { entry: '/persist', code: `export * from './src/sync/index.ts';` },
  { entry: '/redis', code: `export * from './src/redis/index.ts';` },
  {
    entry: '. createExecutor + /persist',
    code: `import { createExecutor } from './src/index.ts'; import { persistCircuit } from './src/sync/index.ts'; console.log(createExecutor, persistCircuit);`,
  },
];

async function bundle(code: string, external: readonly string[]): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts', sourcefile: 'measure.ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    external: [...external],
    jsx: 'automatic',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild wrote nothing for: ${code}`);
  return file.contents;
}

/** The peers' equivalent of `createExecutor`, bundled whole (they have no xstate): what an app pays for theirs. */
export const PEER_IMPORTS: readonly { entry: string; code: string }[] = [
  {
    entry: 'cockatiel: retry + breaker',
    code: `import { wrap, retry, circuitBreaker, handleAll, ConsecutiveBreaker, ExponentialBackoff } from 'cockatiel'; console.log(wrap(retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }), circuitBreaker(handleAll, { halfOpenAfter: 1e4, breaker: new ConsecutiveBreaker(5) })));`,
  },
];

/** Measures {@link PEER_IMPORTS}, everything they import included. */
export async function measurePeers(): Promise<BundleCost[]> {
  const costs: BundleCost[] = [];
  for (const { entry, code } of PEER_IMPORTS) {
    const bytes = await bundle(code, PEERS);
    costs.push({ entry, code, minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  return costs;
}

/** Minified + gzipped size of xstate's whole public entry, for scale. */
export async function measureXstate(): Promise<{ minBytes: number; gzipBytes: number }> {
  const bytes = await bundle(`export * from 'xstate';`, PEERS);
  return { minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

/** Measures each of {@link MEASURED_IMPORTS} with xstate and the frameworks left out (what the package itself costs). */
export async function measureBundleSizes(): Promise<BundleCost[]> {
  const costs: BundleCost[] = [];
  for (const { entry, code } of MEASURED_IMPORTS) {
    const bytes = await bundle(code, [...PEERS, 'xstate']);
    costs.push({ entry, code, minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  return costs;
}

/** The costs as a table, in KB (1,000 bytes). */
export function formatBundleSizes(costs: readonly BundleCost[], xstate: { minBytes: number; gzipBytes: number }, peers: readonly BundleCost[] = []): string {
  const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
  const width = Math.max(...[...costs, ...peers].map((c) => c.entry.length), 'import'.length);
  const lines = [`${'import'.padEnd(width)}  min+gzip  minified   (beyond xstate; frameworks are peers, not counted)`];
  for (const cost of costs) lines.push(`${cost.entry.padEnd(width)}  ${kb(cost.gzipBytes).padStart(8)}  ${kb(cost.minBytes).padStart(8)}`);
  lines.push(`${'xstate itself'.padEnd(width)}  ${kb(xstate.gzipBytes).padStart(8)}  ${kb(xstate.minBytes).padStart(8)}   (whole entry, for scale)`);
  for (const peer of peers) lines.push(`${peer.entry.padEnd(width)}  ${kb(peer.gzipBytes).padStart(8)}  ${kb(peer.minBytes).padStart(8)}   (all it needs)`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatBundleSizes(await measureBundleSizes(), await measureXstate(), await measurePeers()));
}
