import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

let scratch: string;
let files: string[];
let tarball: string;

/** A README-like example: an executor, one call, and a subpath import. */
const example = `import { createExecutor, isCircuitOpenError } from 'xstate-circuit-breaker';
import { circuitBreakerMachine } from 'xstate-circuit-breaker/machines';
const executor = createExecutor({ failureThreshold: 5, openDurationMs: 30_000 });
const value: number = await executor.execute(async () => 42);
console.log(JSON.stringify({ value, state: executor.getCircuitState().state, machine: typeof circuitBreakerMachine, guard: typeof isCircuitOpenError }));
executor.stop();
`;

beforeAll(async () => {
  await run('npm', ['run', 'build'], { cwd: repoRoot });
  scratch = await mkdtemp(join(tmpdir(), 'xcb-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repoRoot });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  if (packed === undefined) throw new Error('npm pack reported no tarball.');
  files = packed.files.map((f) => f.path).sort();
  tarball = join(scratch, packed.filename);
  console.log(`${packed.filename}: ${packed.size} bytes, ${files.length} files\n  ${files.join('\n  ')}`);
  // What npm install would do, without a registry: extract the tarball into node_modules; xstate is the repo's copy.
  const project = join(scratch, 'project');
  const installed = join(project, 'node_modules', 'xstate-circuit-breaker');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', join(scratch, packed.filename), '-C', installed, '--strip-components=1']);
  await symlink(join(repoRoot, 'node_modules', 'xstate'), join(project, 'node_modules', 'xstate'), 'dir');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  await writeFile(join(project, 'example.mts'), example);
  await writeFile(join(project, 'example.mjs'), example.replace('const value: number =', 'const value ='));
  await writeFile(
    join(project, 'example.cjs'),
    `const { createExecutor } = require('xstate-circuit-breaker');
const { circuitBreakerMachine } = require('xstate-circuit-breaker/machines');
const executor = createExecutor();
executor.execute(async () => 42).then((value) => { console.log(JSON.stringify({ value, machine: typeof circuitBreakerMachine })); executor.stop(); });
`,
  );
}, 300_000);

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds dist, README and LICENSE, and neither source maps nor src/', () => {
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('dist/index.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('machines/'))).toEqual([]);
  });

  it('has no sourceMappingURL line in any dist file (maps are off)', async () => {
    const dist = join(scratch, 'project', 'node_modules', 'xstate-circuit-breaker', 'dist');
    const { readFile } = await import('node:fs/promises');
    const withMapLine: string[] = [];
    for (const name of await readdir(dist)) {
      if ((await readFile(join(dist, name), 'utf8')).includes('sourceMappingURL')) withMapLine.push(name);
    }
    expect(withMapLine).toEqual([]);
  });

  it('runs a README example from Node ESM and CJS when installed', async () => {
    const project = join(scratch, 'project');
    const esm = await run('node', ['example.mjs'], { cwd: project });
    expect(JSON.parse(esm.stdout)).toEqual({ value: 42, state: 'closed', machine: 'object', guard: 'function' });
    const cjs = await run('node', ['example.cjs'], { cwd: project });
    expect(JSON.parse(cjs.stdout)).toEqual({ value: 42, machine: 'object' });
  }, 60_000);

  it('loads the /redis entry from ESM and CJS with no redis installed: the client is passed in, never imported', async () => {
    const project = join(scratch, 'project');
    await writeFile(
      join(project, 'redis-entry.mjs'),
      `import { linkToRedis } from 'xstate-circuit-breaker/redis';
try { linkToRedis({}); } catch (error) { console.log(JSON.stringify({ kind: error.constructor.name })); }
`,
    );
    await writeFile(
      join(project, 'redis-entry.cjs'),
      `const { linkToRedis } = require('xstate-circuit-breaker/redis');
console.log(JSON.stringify({ type: typeof linkToRedis }));
`,
    );
    const esm = await run('node', ['redis-entry.mjs'], { cwd: project });
    expect(JSON.parse(esm.stdout)).toEqual({ kind: 'TypeError' });
    const cjs = await run('node', ['redis-entry.cjs'], { cwd: project });
    expect(JSON.parse(cjs.stdout)).toEqual({ type: 'function' });
  }, 60_000);

  it.each(['node16', 'bundler'] as const)('type-checks a README example with moduleResolution %s', async (resolution) => {
    const project = join(scratch, 'project');
    const config = join(project, `tsconfig.${resolution}.json`);
    await writeFile(
      config,
      JSON.stringify({
        compilerOptions: {
          module: resolution === 'node16' ? 'node16' : 'esnext',
          moduleResolution: resolution,
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
          // The public types name Symbol.dispose (IsolationHandle): a consumer needs this lib (or skipLibCheck).
          lib: ['es2022', 'dom', 'esnext.disposable'],
        },
        files: ['example.mts'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run('node', [tsc, '-p', config], { cwd: project }).then(() => 'ok')).resolves.toBe('ok');
  }, 120_000);

  it('runs an executor through open and closed, and a bulk run, on the oldest xstate its peer range allows', async () => {
    // The repo's own xstate (the newest 5.x) serves the tests above; here the lower bound of the range, from npm.
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    const oldest = /^\^(\d+\.\d+\.\d+)$/.exec(manifest.peerDependencies['xstate'] ?? '')?.[1];
    expect(oldest, 'the xstate peer range is a caret range').toBeDefined();
    const project = join(scratch, 'oldest');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch-oldest', private: true, type: 'module' }));
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `xstate@${oldest}`], { cwd: project });
    // After npm install, which would prune a package it did not install.
    const installed = join(project, 'node_modules', 'xstate-circuit-breaker');
    await mkdir(installed, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    await writeFile(
      join(project, 'example.mjs'),
      `import { createExecutor, runBulk } from 'xstate-circuit-breaker';
const executor = createExecutor({ failureThreshold: 2, openDurationMs: 50 });
const first = await executor.execute(async () => 42);
for (let i = 0; i < 3; i++) await executor.execute(async () => { throw Object.assign(new Error('down'), { status: 500 }); }).catch(() => {});
const opened = executor.getCircuitState().state;
await new Promise((resolve) => setTimeout(resolve, 80));
const trial = await executor.execute(async () => 7);
const report = await runBulk([1, 2, 3], async (n) => n * 2, { executor });
console.log(JSON.stringify({ first, opened, trial, closed: executor.getCircuitState().state, stored: report.succeeded }));
executor.stop();
`,
    );
    const { stdout } = await run('node', ['example.mjs'], { cwd: project });
    const version = JSON.parse(await readFile(join(project, 'node_modules', 'xstate', 'package.json'), 'utf8')) as { version: string };
    expect(version.version).toBe(oldest);
    expect(JSON.parse(stdout)).toEqual({ first: 42, opened: 'open', trial: 7, closed: 'closed', stored: 3 });
  }, 180_000);
});
