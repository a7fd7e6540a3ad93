import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort.js';

function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether a server accepts connections on the port, over IPv4 or IPv6 loopback. */
async function listening(port: number): Promise<boolean> {
  const [v4, v6] = await Promise.all([accepts(port, '127.0.0.1'), accepts(port, '::1')]);
  return v4 || v6;
}

describe('npm start (demo/start.ts)', () => {
  it('stops the backend and the app server on SIGTERM and exits', async () => {
    const [apiPort, appPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
      env: { ...process.env, PORT_API: String(apiPort), PORT_APP: String(appPort), VITE_SUPABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          if (output.includes('React Admin demo') && output.includes(String(appPort))) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        void exited.then(() => reject(new Error(`demo/start.ts exited before it was up:\n${output}`)));
      });
      expect(await listening(apiPort)).toBe(true);
      expect(await listening(appPort)).toBe(true);

      child.kill('SIGTERM');
      const result = await exited;
      expect(result.code === 0 || result.signal === 'SIGTERM').toBe(true);
      await expect.poll(() => listening(apiPort), { timeout: 10_000 }).toBe(false);
      await expect.poll(() => listening(appPort), { timeout: 10_000 }).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
