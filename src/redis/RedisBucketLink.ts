import type { RedisClientType } from 'redis';
import type { Clock } from '../types.js';
import { RedisPacerTimeoutError } from './RedisPacerTimeoutError.js';
import { parseBucketReply, TOKEN_BUCKET_SCRIPT, tokenBucketSha, type BucketReply } from './tokenBucketScript.js';

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
  /** This process met a 429 since its last draw. */
  readonly congested: boolean;
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
  /** The script's SHA-1 once computed; until then draws send the script itself (EVAL, which also caches it). */
  #sha: string | null = null;

  constructor(client: RedisPacerClient, settings: RedisBucketLinkSettings) {
    this.#client = client;
    this.#settings = settings;
    tokenBucketSha().then(
      (sha) => (this.#sha = sha),
      // Without Web Crypto every draw sends the script: slower to parse on Redis's side, the same answers.
      () => undefined,
    );
  }

  /** Whether the client is connected now (node-redis queues commands while it is not; the pacer does not wait for that). */
  get ready(): boolean {
    return this.#client.isReady === true;
  }

  /**
   * Draws a slot. `answeredLate` is called when Redis answers after the draw gave up on it: Redis is alive, only slow
   * (or this process was busy), and the shared bucket may be tried again at once.
   */
  draw(report: MemberReport, answeredLate: () => void): Promise<DrawResult> {
    const { key, member, timeoutMs, forgetMs, clock } = this.#settings;
    const args = [
      member,
      formatNumber(report.ratePerSecond),
      formatNumber(report.ceilingPerSecond),
      formatNumber(report.holdMs),
      String(forgetMs),
      report.congested ? '1' : '0',
    ];
    return new Promise<DrawResult>((resolve) => {
      let settled = false;
      const finish = (result: DrawResult): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        resolve(result);
      };
      // A command that timed out is taken off node-redis's queue if it was not written yet, so that it does not draw a
      // slot nobody waits for once Redis is back.
      const abandon = new AbortController();
      let timer = clock.setTimeout(() => {
        // A process that was busy (a blocked event loop, a loaded machine) runs its due timers before it reads its
        // sockets: the answer may be there already. One more turn of the loop lets it in before the draw gives up.
        timer = clock.setTimeout(() => {
          finish({ kind: 'failed', error: new RedisPacerTimeoutError(timeoutMs), timedOut: true });
          abandon.abort();
        }, 0);
      }, timeoutMs);
      this.#run(key, args, abandon.signal).then(
        (reply) => {
          let result: DrawResult;
          try {
            result = parseBucketReply(reply);
          } catch (error) {
            result = { kind: 'failed', error, timedOut: false };
          }
          if (settled && result.kind !== 'failed') answeredLate();
          finish(result);
        },
        (error: unknown) => finish({ kind: 'failed', error, timedOut: false }),
      );
    });
  }

  async #run(key: string, args: string[], signal: AbortSignal): Promise<unknown> {
    const sha = this.#sha;
    if (sha === null) return await this.#client.sendCommand(['EVAL', TOKEN_BUCKET_SCRIPT, '1', key, ...args], { abortSignal: signal });
    try {
      return await this.#client.sendCommand(['EVALSHA', sha, '1', key, ...args], { abortSignal: signal });
    } catch (error) {
      // A restarted Redis has an empty script cache: EVAL loads the script again.
      if (!isNoScript(error) || signal.aborted) throw error;
      return await this.#client.sendCommand(['EVAL', TOKEN_BUCKET_SCRIPT, '1', key, ...args], { abortSignal: signal });
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
