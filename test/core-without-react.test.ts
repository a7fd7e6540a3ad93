import { describe, expect, it, vi } from 'vitest';

// The core must load and run with React and the UI kits absent: make every import of them explode.
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

describe('core without React', () => {
  it('imports the core and the machines, and runs a call through an executor', async () => {
    const core = await import('../src/index.js');
    const machines = await import('../machines/index.js');
    expect(machines.circuitBreakerMachine.id).toBe('circuitBreaker');
    const executor = core.createExecutor();
    await expect(executor.execute(async () => 'ok')).resolves.toBe('ok');
    expect(executor.getCircuitState().state).toBe('closed');
    executor.stop();
  });

  it('the mocks do bite: the React entry cannot load here', async () => {
    await expect(import('../src/react/index.js')).rejects.toThrow(/error when mocking a module/);
  });
});
