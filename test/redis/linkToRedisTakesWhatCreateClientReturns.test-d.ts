// Type tests (checked by `tsc --noEmit`): the @example of linkToRedis compiles against the real node-redis types, for
// the clients createClient() returns (RESP2 and RESP3, with a key prefix or modules of its own).
import { createClient } from 'redis';
import { expectTypeOf } from 'vitest';
import { createExecutor, type CircuitPersistence } from '../../src/index.js';
import { linkToRedis, type FleetLinkState, type RedisFleet } from '../../src/redis/index.js';

export async function example(): Promise<void> {
  const client = createClient({ url: process.env.REDIS_URL })
  client.on('error', (error: Error) => console.warn('redis', error.message))
  await client.connect()
  const fleet = linkToRedis(client, { prefix: 'myapp:' })
  const executor = createExecutor({ persist: fleet.persist({ name: 'supabase' }), logger: console.log })
  executor.stop()
  await fleet.close()
}

expectTypeOf(linkToRedis(createClient({ RESP: 2 }))).toEqualTypeOf<RedisFleet>();
expectTypeOf(linkToRedis(createClient({ RESP: 3, keyPrefix: 'app:' }))).toEqualTypeOf<RedisFleet>();
expectTypeOf<RedisFleet['persist']>().returns.toEqualTypeOf<CircuitPersistence>();
expectTypeOf<RedisFleet['state']>().toEqualTypeOf<FleetLinkState>();
// @ts-expect-error: a client is required, and an options object is not one
linkToRedis({ prefix: 'myapp:' });
// @ts-expect-error: an unknown option is a type error too (and a TypeError at run time)
linkToRedis(createClient(), { prefx: 'myapp:' });
