import type { RedisClientType } from 'redis';
import type { Clock } from '../types.js';
import { RedisPacerTimeoutError } from './RedisPacerTimeoutError.js';
import { parseBucketReply, TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA, type BucketReply } from './tokenBucketScript.js';

/** What the pacer needs of a node-redis client: whether it is connected, and a way to send a raw command. */
export type RedisPacerClient = Pick<RedisClientType, 'isReady' | 'sendCommand'>;

/** What this process's pacer tells the shared bucket with each draw. */
export interface MemberReport {
  /** The rate this process's pacer learnt (its part of the limit); 0 when it knows none. */
  readonly ratePerSecond: number;
  /** The limit a server stated to it, less headroom; 0 when none was stated. */
  readonly ceilingPerSecond: number;
  /** A hold to add, in ms from now (the server said its quota is used up); 0 for none. */
  readonly holdMs: number;
}

/** How one draw ended: the script's answer, or why there is none. */
export type DrawResult = BucketReply | { readonly kind: 'failed'; readonly error: unknown; readonly timedOut: boolean };

export interface RedisBucketLinkSettings {
  readonly key: string;
  readonly member: string;
  readonly timeoutMs: number;
  readonly forgetMs: number;
  readonly clock: Clock;
}

/**
 * The shared bucket as one process sees it: each draw runs the script (EVALSHA, EVAL when Redis lost its script
 * cache), raced against a timeout, and never rejects: a failure is a result. The client is the caller's; this link
 * neither connects nor closes it.
 */
export class RedisBucketLink {
  readonly #client: RedisPacerClient;
  readonly #settings: RedisBucketLinkSettings;

  constructor(client: RedisPacerClient, settings: RedisBucketLinkSettings) {
    this.#client = client;
    this.#settings = settings;
  }

  /** Whether the client is connected now (node-redis queues commands while it is not; the pacer does not wait for that). */
  get ready(): boolean {
    return this.#client.isReady === true;
  }

  draw(report: MemberReport): Promise<DrawResult> {
    const { key, member, timeoutMs, forgetMs, clock } = this.#settings;
    const args = [
      member,
      formatNumber(report.ratePerSecond),
      formatNumber(report.ceilingPerSecond),
      formatNumber(report.holdMs),
      String(forgetMs),
    ];
    return new Promise<DrawResult>((resolve) => {
      let settled = false;
      const finish = (result: DrawResult): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        resolve(result);
      };
      const timer = clock.setTimeout(() => finish({ kind: 'failed', error: new RedisPacerTimeoutError(timeoutMs), timedOut: true }), timeoutMs);
      this.#run(key, args).then(
        (reply) => {
          try {
            finish(parseBucketReply(reply));
          } catch (error) {
            finish({ kind: 'failed', error, timedOut: false });
          }
        },
        (error: unknown) => finish({ kind: 'failed', error, timedOut: false }),
      );
    });
  }

  async #run(key: string, args: string[]): Promise<unknown> {
    try {
      return await this.#client.sendCommand(['EVALSHA', TOKEN_BUCKET_SHA, '1', key, ...args]);
    } catch (error) {
      // A restarted Redis has an empty script cache: EVAL loads the script again.
      if (!isNoScript(error)) throw error;
      return await this.#client.sendCommand(['EVAL', TOKEN_BUCKET_SCRIPT, '1', key, ...args]);
    }
  }
}

function isNoScript(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('NOSCRIPT');
}

/** A finite non-negative number as Redis reads it; anything else (Infinity, NaN) is 0, "nothing known". */
function formatNumber(value: number): string {
  return Number.isFinite(value) && value > 0 ? String(value) : '0';
}
