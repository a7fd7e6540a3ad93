import { PacerChannel, resolveSharing } from '../pacing/PacerChannel.js';
import { PACER_SHARING, type PacerSharingLink } from '../pacing/PacerSharingLink.js';
import type { PacerSharing } from '../pacing/pacerTypes.js';

/**
 * Shares what a pacer learns of the server's limit with the pacers of the same `name` in the other tabs of this origin
 * (over a BroadcastChannel): pass it as `createPacer({ shareAcrossTabs: sharePacerAcrossTabs({ name: 'api' }) })`.
 * A tab that has learnt nothing yet starts at the learnt rate, and when one tab hears that the quota is used up, every
 * tab holds its requests until it resets.
 *
 * @throws {TypeError} `name` is not a string of 1 to 200 characters, an option is unknown or not a function
 *   (`createChannel`), or the platform has no BroadcastChannel and no `createChannel` is given.
 * @example
 * import { createPacer } from 'xstate-circuit-breaker'
 * import { sharePacerAcrossTabs } from 'xstate-circuit-breaker/persist'
 * const pacer = createPacer({ shareAcrossTabs: sharePacerAcrossTabs({ name: 'crm-api' }) })
 */
export function sharePacerAcrossTabs(options: PacerSharing): PacerSharingLink {
  const sharing = resolveSharing(options);
  return {
    name: sharing.name,
    connect: (adopt) => new PacerChannel(sharing, adopt),
    [PACER_SHARING]: true,
  };
}
