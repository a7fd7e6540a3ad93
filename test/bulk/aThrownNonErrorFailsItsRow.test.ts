import { describe, expect, it } from 'vitest';
import { createExecutor, runBulk } from '../../src/index.js';
import { createTestClock, track } from '../support/clock.js';
import { noPacing } from '../support/bulkHelpers.js';

describe('whatever a task throws fails its row with reason "error"', () => {
  it('a task that throws null, or a function carrying the circuit-open code, fails with reason "error"', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const lookalike = Object.assign(() => undefined, { code: 'RATE_LIMIT_CIRCUIT_OPEN' });
    const run = track(
      runBulk(['null', 'function'], async (item) => {
        throw item === 'null' ? null : lookalike;
      }, { executor }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(run.settled).toBe(true);
    expect(run.value!.results.map((r) => (r.status === 'failed' ? [r.reason, r.error] : r.status))).toEqual([
      ['error', null],
      ['error', lookalike],
    ]);
  });
});
