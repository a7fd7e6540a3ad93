// The Lua run by Redis for the fleet link. Each script is one atomic step, so two processes never interleave inside it.

/**
 * Stores a circuit record unless the stored one is newer (KEYS[1] the record key, ARGV[1] the record's JSON).
 * Newer means a higher `seq`, or the same `seq` and an opening against a close: the rule `CircuitSync` adopts by, so
 * a process that missed a message cannot overwrite what the fleet already knows. A stored value that is not a record
 * (hand-written, another release) is replaced. Returns 1 when stored, 0 when refused.
 */
export const STORE_IF_NOT_OLDER = `
local ok, incoming = pcall(cjson.decode, ARGV[1])
if not ok or type(incoming) ~= 'table' or type(incoming.seq) ~= 'number' then return 0 end
local current = redis.call('GET', KEYS[1])
if current then
  local fine, stored = pcall(cjson.decode, current)
  if fine and type(stored) == 'table' and type(stored.seq) == 'number' then
    if stored.seq > incoming.seq then return 0 end
    if stored.seq == incoming.seq and stored.state == 'open' and incoming.state == 'closed' then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** Extends a trial lease only while this process still holds it (KEYS[1] the lease, ARGV[1] its token, ARGV[2] ms). */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Deletes a trial lease only while this process still holds it (KEYS[1] the lease, ARGV[1] its token). */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
