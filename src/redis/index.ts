// `xstate-circuit-breaker/redis`: one circuit and one rate shared by the processes of a fleet through Redis
// (node-redis). Only apps that import this entry bundle it; `redis` itself is never imported here, the client is
// passed in.
export { linkToRedis } from './linkToRedis.js';
export { createRedisPacer, type RedisPacerClient } from './createRedisPacer.js';
export { RedisPacerTimeoutError, isRedisPacerTimeoutError, REDIS_PACER_TIMEOUT_CODE } from './RedisPacerTimeoutError.js';
export type {
  FleetCommands,
  FleetLinkState,
  FleetPacerOptions,
  FleetPersistOptions,
  FleetRedisClient,
  FleetStats,
  FleetSubscriber,
  LinkToRedisOptions,
  RedisFleet,
} from './types.js';
export type { CircuitPersistence } from '../sync/CircuitPersistence.js';
export type { RedisPacer, RedisPacerOptions, RedisPacerStats } from './redisPacerTypes.js';
