import { describe, expect, it, vi } from 'vitest';

// The core must load and work with React, ra-core and supabase-js absent: make every import of them explode.
vi.mock('react', () => {
  throw new Error('the core imported react');
});
vi.mock('react-dom', () => {
  throw new Error('the core imported react-dom');
});
vi.mock('ra-core', () => {
  throw new Error('the core imported ra-core');
});
vi.mock('@supabase/supabase-js', () => {
  throw new Error('the core imported @supabase/supabase-js');
});

describe('framework-free core', () => {
  it('loads the core and the machines without any framework', async () => {
    const core = await import('../src/index.js');
    const machines = await import('../machines/index.js');
    expect(typeof core.createExecutor).toBe('function');
    expect(machines.circuitBreakerMachine.id).toBe('circuitBreaker');
    await expect(core.createExecutor().execute(() => 'ok')).resolves.toBe('ok');
  });

  it('declares xstate as its only runtime dependency', async () => {
    const { default: pkg } = await import('../package.json', { with: { type: 'json' } });
    expect(Object.keys(pkg.dependencies)).toEqual(['xstate']);
  });
});
