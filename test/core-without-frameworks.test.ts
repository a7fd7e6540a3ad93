import { describe, expect, it, vi } from 'vitest';

// The core must load and run with every framework absent: make each import of one explode.
vi.mock('react', () => {
  throw new Error('core imported react');
});
vi.mock('react-dom', () => {
  throw new Error('core imported react-dom');
});
vi.mock('react/jsx-runtime', () => {
  throw new Error('core imported react/jsx-runtime');
});
vi.mock('@mui/material', () => {
  throw new Error('core imported @mui/material');
});
vi.mock('@xstate/react', () => {
  throw new Error('core imported @xstate/react');
});
vi.mock('ra-core', () => {
  throw new Error('core imported ra-core');
});
vi.mock('@supabase/supabase-js', () => {
  throw new Error('core imported @supabase/supabase-js');
});
vi.mock('redis', () => {
  throw new Error('core imported redis');
});
vi.mock('@redis/client', () => {
  throw new Error('core imported @redis/client');
});

describe('framework-free core', () => {
  it('imports the core and the machines, and runs a call through an executor', async () => {
    const core = await import('../src/index.js');
    const machines = await import('../machines/index.js');
    expect(machines.circuitBreakerMachine.id).toBe('circuitBreaker');
    const executor = core.createExecutor();
    await expect(executor.execute(async () => 'ok')).resolves.toBe('ok');
    expect(executor.getCircuitState().state).toBe('closed');
    executor.stop();
  });

  it('the mocks do bite: the React and ra-core entries cannot load here', async () => {
    await expect(import('../src/react/index.js')).rejects.toThrow(/error when mocking a module/);
    await expect(import('../src/ra-core/index.js')).rejects.toThrow(/error when mocking a module/);
  });

  it('the Redis entry loads without redis: it only names its types and takes the client as a parameter', async () => {
    await expect(import('redis')).rejects.toThrow(/error when mocking a module/);
    const { linkToRedis } = await import('../src/redis/index.js');
    expect(() => linkToRedis({} as never)).toThrow(TypeError);
  });

  it('has no runtime dependency of its own: xstate is a peer (one copy shared with the app), the frameworks optional peers', async () => {
    const { default: pkg } = await import('../package.json', { with: { type: 'json' } });
    expect('dependencies' in pkg).toBe(false);
    expect(pkg.peerDependencies.xstate).toMatch(/^\^5\./);
    expect(Object.keys(pkg.peerDependenciesMeta)).not.toContain('xstate');
  });
});
