import type { PacerSharingStats } from './pacerTypes.js';

/** What another tab's pacer announced it learnt of the server's limit. */
export interface AnnouncedLimits {
  readonly source: 'headers' | 'adaptive';
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Clock time before which no request should go (the server's quota is used up), or `null`. */
  readonly blockedUntil: number | null;
}

/** What a pacer needs of its link to the pacers of other tabs (made by `sharePacerAcrossTabs`). */
export interface PacerLink {
  /** Tells the other tabs what this pacer knows now (sent only when it changed enough). */
  announce(source: 'headers' | 'adaptive', ratePerSecond: number, burst: number, blockedUntil: number | null): void;
  getStats(): PacerSharingStats;
  /** Closes the link: the pacer then neither tells nor hears. */
  stop(): void;
}

/** The brand a pacer recognises a sharing by. */
export const PACER_SHARING = Symbol.for('xstate-circuit-breaker/pacer-sharing');

/**
 * A pacer's link to the pacers of the same name in the other tabs, from `sharePacerAcrossTabs` in
 * `xstate-circuit-breaker/persist`: pass it as `createPacer({ shareAcrossTabs })`. The channel code is bundled only by
 * the apps that import it.
 */
export interface PacerSharingLink {
  /** The name the tabs share limits under. */
  readonly name: string;
  /** Opens the link for one pacer; `adopt` gets what another tab announced and says whether it changed anything. @internal */
  connect(adopt: (limits: AnnouncedLimits) => boolean): PacerLink;
  readonly [PACER_SHARING]: true;
}

/** Whether `value` came from `sharePacerAcrossTabs` (of this copy of the package or another). */
export function isPacerSharingLink(value: unknown): value is PacerSharingLink {
  return typeof value === 'object' && value !== null && (value as Partial<PacerSharingLink>)[PACER_SHARING] === true;
}
