import { createTabId } from '../sync/records.js';
import type { SyncLockManager } from '../sync/types.js';
import { RELEASE_LEASE, RENEW_LEASE } from './luaScripts.js';
import type { RedisLink } from './RedisLink.js';
import type { TrackedCircuit } from './TrackedCircuit.js';

/** The lock object handed to a trial when the fleet could not be asked: the process runs the trial on its own say. */
const LOCAL_TRIAL = Object.freeze({ name: 'local', mode: 'exclusive' });
const FLEET_TRIAL = Object.freeze({ name: 'fleet', mode: 'exclusive' });

/**
 * The half-open trial of a fleet circuit as a lease in Redis, behind the Web Locks shape `CircuitSync` already asks
 * (`request(name, { ifAvailable: true }, callback)`): `SET lease token NX PX leaseMs` chooses the one process that
 * runs the trial; the lease is renewed (only while it still holds this token) until the trial's callback settles,
 * then deleted (only if it still holds this token). A process killed mid-trial stops renewing: its lease runs out
 * after `leaseMs` and the next process with a call takes it.
 *
 * When the link is down, or Redis does not answer in time, the trial is granted here: each process then runs its own
 * circuit, as it would alone.
 */
export function createLeaseLocks(link: RedisLink, circuit: () => TrackedCircuit | null, leaseMs: number): SyncLockManager {
  const { clock } = link.settings;
  return {
    async request(name, _options, callback) {
      const key = link.key(`${name}:trial`);
      if (link.state !== 'up') return callback(LOCAL_TRIAL);
      const token = createTabId();
      let reply: unknown;
      try {
        reply = await link.command((c) => c.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: leaseMs } }));
      } catch {
        // The command's failure has put the link down (counted in its stats); a late success is undone at the end.
        return hold(callback(LOCAL_TRIAL), key, token);
      }
      if (reply !== 'OK') return callback(null);
      // The process that ran the last trial wrote its outcome before letting the lease go: read it before trying.
      const tracked = circuit();
      if (tracked !== null) await link.refresh(tracked).catch(() => undefined);
      return hold(callback(FLEET_TRIAL), key, token, true);
    },
  };

  /** Keeps the lease while the trial runs (renewing it when `renew`), and gives it back when the trial ends. */
  function hold(result: unknown, key: string, token: string, renew = false): Promise<unknown> {
    let timer: unknown = undefined;
    let ended = false;
    const every = Math.max(1, Math.floor(leaseMs / 3));
    const schedule = (): void => {
      timer = clock.setTimeout(() => {
        if (ended || link.state === 'closed') return;
        link
          .command((c) => c.eval(RENEW_LEASE, { keys: [key], arguments: [token, String(leaseMs)] }))
          .catch(() => undefined) // counted by the link; the next renewal (or the lease running out) decides
          .finally(() => {
            if (!ended) schedule();
          });
      }, every);
    };
    if (renew) schedule();
    return Promise.resolve(result).finally(() => {
      ended = true;
      clock.clearTimeout(timer);
      if (link.state !== 'closed') {
        // Not given back (Redis is down): the lease runs out by itself after leaseMs.
        link.command((c) => c.eval(RELEASE_LEASE, { keys: [key], arguments: [token] })).catch(() => undefined);
      }
    });
  }
}
