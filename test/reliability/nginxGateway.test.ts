import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort.js';
import { createBackend, type Backend } from '../../demo/server/index.js';
import { createExecutor, runBulk } from '../../src/index.js';

/**
 * A real gateway: Debian's nginx with `limit_req` (429 + Retry-After) in front of the embedded backend, started by
 * the test. .ci/run installs nginx; without it this test fails and says so.
 */

const NGINX = '/usr/sbin/nginx';

async function waitForPort(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`nginx did not start listening on ${url}: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('bulk import through nginx limit_req', () => {
  let backend: Backend;
  let nginx: ChildProcess | undefined;
  let prefix: string;
  let gateway: string;
  let nginxLog = '';

  beforeAll(async () => {
    backend = await createBackend({ port: 0, rateLimit: false });
    prefix = mkdtempSync(join(tmpdir(), 'xcb-nginx-'));
    mkdirSync(join(prefix, 'logs'));
    const port = await freePort();
    gateway = `http://127.0.0.1:${port}`;
    const upstream = new URL(backend.url);
    writeFileSync(
      join(prefix, 'nginx.conf'),
      `
user root;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  limit_req_zone $binary_remote_addr zone=api:1m rate=40r/s;
  limit_req_status 429;
  server {
    listen 127.0.0.1:${port};
    location / {
      limit_req zone=api burst=5 nodelay;
      proxy_pass http://${upstream.host};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
    error_page 429 = @limited;
    location @limited {
      add_header Retry-After 1 always;
      add_header Access-Control-Expose-Headers Retry-After always;
      default_type application/json;
      return 429 '{"code":"429","message":"Too Many Requests"}';
    }
  }
}
`,
    );
    nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stderr?.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      nginx!.once('error', (error) =>
        reject(new Error(`cannot start ${NGINX} (apt-get install nginx; .ci/run does): ${error.message}`)),
      ),
    );
    await Promise.race([waitForPort(gateway, Date.now() + 10_000), exited]);
  }, 60_000);

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await new Promise((resolve) => (nginx?.exitCode !== null ? resolve(undefined) : nginx.once('exit', resolve)));
    await backend?.close();
    rmSync(prefix, { recursive: true, force: true });
  });

  it('stores every row exactly once while nginx answers 429s', async () => {
    const executor = createExecutor({ maxRetries: 8 });
    const rows = Array.from({ length: 150 }, (_, i) => ({
      id: crypto.randomUUID(),
      first_name: `Row${i}`,
      last_name: 'Gateway',
      email: `gateway-${i}@example.com`,
    }));
    const report = await runBulk(
      rows,
      async (row, _index, { signal }) => {
        const response = await fetch(`${gateway}/rest/v1/contacts?on_conflict=id`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            apikey: 'demo-anon-key',
            prefer: 'resolution=ignore-duplicates,return=minimal',
          },
          body: JSON.stringify(row),
          signal,
        });
        if (!response.ok) {
          await response.arrayBuffer();
          throw response;
        }
        await response.arrayBuffer();
        return response;
      },
      { executor, concurrency: 10, idempotent: true },
    );
    executor.stop();

    expect(nginxLog).not.toMatch(/\[emerg\]/);
    expect(report).toMatchObject({ total: 150, succeeded: 150, failed: 0 });
    expect(executor.getStats().rateLimitedAttempts, 'nginx never rate-limited: the test did not test anything').toBeGreaterThan(0);
    const stored = await backend.db.query<{ count: number; ids: number }>(
      "select count(*)::int as count, count(distinct id)::int as ids from contacts where last_name = 'Gateway'",
    );
    expect(stored.rows[0]).toEqual({ count: 150, ids: 150 });
  }, 60_000);
});
