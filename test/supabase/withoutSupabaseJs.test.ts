import { describe, expect, it, vi } from 'vitest';

// The supabase entry must load without supabase-js (an optional peer): make every import of it explode.
vi.mock('@supabase/supabase-js', () => {
  throw new Error('the supabase entry imported @supabase/supabase-js');
});
vi.mock('ra-core', () => {
  throw new Error('the supabase entry imported ra-core');
});

describe('xstate-circuit-breaker/supabase without supabase-js', () => {
  it('loads and wraps a plain fetch', async () => {
    const { createResilientFetch } = await import('../../src/supabase/index.js');
    const { createExecutor } = await import('../../src/index.js');
    const executor = createExecutor();
    const resilient = createResilientFetch(executor, async () => new Response('ok', { status: 200 }));
    const response = await resilient('http://example.invalid/');
    expect(await response.text()).toBe('ok');
    executor.stop();
  });
});
