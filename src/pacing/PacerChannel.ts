import { describeValue } from '../options-shared.js';
import { createTabId } from '../sync/records.js';
import { platformChannel } from '../sync/resolvePersistOptions.js';
import type { SyncChannel } from '../sync/types.js';
import { parseSharedLimits, type SharedLimits } from './pacerMessages.js';
import type { PacerSharing, PacerSharingStats } from './pacerTypes.js';

/** Checks the `shareAcrossTabs` option of a pacer and resolves its channel factory. */
export function resolveSharing(value: unknown): { name: string; createChannel: (name: string) => SyncChannel } {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`xstate-circuit-breaker: pacer option "shareAcrossTabs" must be an object such as { name: 'api' }, got ${describeValue(value)}.`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'name' && key !== 'createChannel') {
      throw new TypeError(`xstate-circuit-breaker: unknown pacer option "shareAcrossTabs.${key}". Known options: name, createChannel.`);
    }
  }
  const { name, createChannel } = value as Partial<PacerSharing>;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new TypeError(`xstate-circuit-breaker: pacer option "shareAcrossTabs.name" must be a string of 1 to 200 characters, got ${describeValue(name)}.`);
  }
  if (createChannel !== undefined) {
    if (typeof createChannel !== 'function') {
      throw new TypeError(`xstate-circuit-breaker: pacer option "shareAcrossTabs.createChannel" must be a function, got ${describeValue(createChannel)}.`);
    }
    return { name, createChannel };
  }
  const platform = platformChannel();
  if (platform === null) {
    throw new TypeError(
      'xstate-circuit-breaker: pacer option "shareAcrossTabs.createChannel" is needed here: this platform has no BroadcastChannel.',
    );
  }
  return { name, createChannel: platform };
}

/** The channel of a shared pacer: announces its limits (only when they changed) and hands over what others announce. */
export class PacerChannel {
  readonly #channel: SyncChannel;
  readonly #tab = createTabId();
  readonly #adopt: (limits: SharedLimits) => boolean;
  readonly #stats = { published: 0, adopted: 0, malformed: 0, unsupported: 0 };
  readonly #onMessage = (event: { data: unknown }): void => this.#receive(event.data);
  #last: { source: string; rate: number; burst: number; blockedUntil: number | null } | null = null;
  #stopped = false;

  constructor(sharing: { name: string; createChannel: (name: string) => SyncChannel }, adopt: (limits: SharedLimits) => boolean) {
    this.#adopt = adopt;
    this.#channel = sharing.createChannel(`xstate-circuit-breaker:pacer:${sharing.name}`);
    this.#channel.addEventListener('message', this.#onMessage);
    // Node's BroadcastChannel keeps the process alive; a pacer must not.
    (this.#channel as { unref?: () => void }).unref?.();
  }

  announce(source: 'headers' | 'adaptive', ratePerSecond: number, burst: number, blockedUntil: number | null): void {
    if (this.#stopped) return;
    // Limits read from every response's headers barely move: announce a change of source or burst, a rate that
    // moved by more than a tenth, or a hold that ends later than the last one announced.
    const last = this.#last;
    if (
      last !== null &&
      last.source === source &&
      last.burst === burst &&
      Math.abs(ratePerSecond - last.rate) <= last.rate / 10 &&
      (blockedUntil === null || (last.blockedUntil !== null && blockedUntil <= last.blockedUntil))
    ) {
      return;
    }
    this.#last = { source, rate: ratePerSecond, burst, blockedUntil };
    const message: SharedLimits = { v: 1, kind: 'pacer-limits', tab: this.#tab, source, ratePerSecond, burst, blockedUntil };
    try {
      this.#channel.postMessage(message);
      this.#stats.published++;
    } catch {
      // A closed channel: this tab keeps pacing on its own.
    }
  }

  getStats(): PacerSharingStats {
    return { ...this.#stats };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#channel.removeEventListener('message', this.#onMessage);
    this.#channel.close();
  }

  #receive(data: unknown): void {
    if (this.#stopped) return;
    const limits = parseSharedLimits(data);
    if (limits === 'malformed') this.#stats.malformed++;
    else if (limits === 'unsupported') this.#stats.unsupported++;
    else if (limits.tab !== this.#tab && this.#adopt(limits)) this.#stats.adopted++;
  }
}
