// `xstate-circuit-breaker/redis`: one circuit shared by the processes of a fleet through Redis (node-redis). Only apps
// that import this entry bundle it; `redis` itself is never imported here, the client is passed in.
export { linkToRedis } from './linkToRedis.js';
export type {
  FleetCommands,
  FleetLinkState,
  FleetPersistOptions,
  FleetRedisClient,
  FleetStats,
  FleetSubscriber,
  LinkToRedisOptions,
  RedisFleet,
} from './types.js';
export type { CircuitPersistence } from '../sync/CircuitPersistence.js';
