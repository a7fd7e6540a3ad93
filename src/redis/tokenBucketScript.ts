/**
 * The shared bucket, one hash per pacer name, changed by one atomic script per slot. Time is Redis's own (`TIME`), so
 * the clocks of the processes do not matter.
 *
 * Fields:
 * - `tat`: the theoretical arrival time (GCRA) of the next slot, in ms of Redis's clock;
 * - `hold`: no slot before this time (a server said its quota is used up);
 * - `m:<member>`: what one process's pacer learnt, `"<rate> <ceiling> <at>"` (0: nothing known), forgotten `forgetMs`
 *   after its last report.
 *
 * The fleet's rate: the lowest limit a member saw stated (its pacer's ceiling: the stated rate less headroom), when
 * one did; otherwise the sum of the members' learnt rates (each process's pacer learns its part of the limit from its
 * own 429s), a member that knows no rate yet counted at the mean of those that do; with neither, none (the reply says
 * so and nothing is spaced). Slots are one interval apart (burst 1), from the later of `tat`,
 * now and the hold.
 *
 * Under a stated limit the members' pacers do not lower the fleet's rate (their cuts read the fleet's own draws as
 * others'); real 429s do: a member that met one since its last draw says so, and the fleet's rate is cut to 0.9 of
 * the limit's, at most once per 500 ms (the 429s of one congestion come together), and grows back by a
 * twentieth of it per second (the local pacer's additive increase). Field `f`: that share, `f_at`: when it was last
 * brought up to date, `cut_at`: the last cut.
 *
 * ARGV: member, rate, ceiling, holdMs (a hold to add, from now; 0: none), forgetMs, congested (`1`: met a 429).
 * Reply: [waitMs, fleetRate, members] as strings; fleetRate `-1` when no rate is known (then no slot was taken).
 */
export const TOKEN_BUCKET_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local key = KEYS[1]
local rate = tonumber(ARGV[2]) or 0
local ceiling = tonumber(ARGV[3]) or 0
local hold_ms = tonumber(ARGV[4]) or 0
local forget = tonumber(ARGV[5]) or 30000
local congested = ARGV[6] == '1'
local function num(x) return string.format('%.17g', x) end
redis.call('HSET', key, 'm:' .. ARGV[1], num(rate) .. ' ' .. num(ceiling) .. ' ' .. num(now))
local fields = redis.call('HGETALL', key)
local tat, hold, sum, lowest, members, knowing = now, 0, 0, 0, 0, 0
local share, share_at, cut_at = 1, now, 0
local stale = {}
for i = 1, #fields, 2 do
  local field, value = fields[i], fields[i + 1]
  if field == 'tat' then
    tat = tonumber(value) or now
  elseif field == 'hold' then
    hold = tonumber(value) or 0
  elseif field == 'f' then
    share = tonumber(value) or 1
  elseif field == 'f_at' then
    share_at = tonumber(value) or now
  elseif field == 'cut_at' then
    cut_at = tonumber(value) or 0
  elseif string.sub(field, 1, 2) == 'm:' then
    local r, c, at = string.match(value, '^(%S+) (%S+) (%S+)$')
    r, c, at = tonumber(r), tonumber(c), tonumber(at)
    if r == nil or c == nil or at == nil or now - at > forget then
      stale[#stale + 1] = field
    else
      members = members + 1
      if r > 0 then
        sum = sum + r
        knowing = knowing + 1
      end
      if c > 0 and (lowest == 0 or c < lowest) then lowest = c end
    end
  end
end
if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
if hold_ms > 0 and now + hold_ms > hold then
  hold = now + hold_ms
  redis.call('HSET', key, 'hold', num(hold))
end
-- A limit a server stated is the fleet's rate: every member reads the same statement (the lowest, when they differ).
-- Without one, the members' learnt parts add up; a member that learnt nothing yet (the others' pacing kept it from
-- meeting the limit) counts at the mean part of those that did.
local fleet = lowest
if fleet > 0 then
  share = math.min(1, share + math.max(0, now - share_at) / 1000 * 0.05)
  if congested and now - cut_at >= 500 then
    share = math.max(0.05, share * 0.9)
    cut_at = now
    redis.call('HSET', key, 'cut_at', num(cut_at))
  end
  redis.call('HSET', key, 'f', num(share), 'f_at', num(now))
  fleet = fleet * share
elseif knowing > 0 then
  fleet = sum * members / knowing
end
if fleet <= 0 then
  redis.call('PEXPIRE', key, math.ceil(math.max(hold - now, 0) + forget))
  return { '0', '-1', tostring(members) }
end
local start = math.max(tat, now, hold)
local next_slot = start + 1000 / fleet
redis.call('HSET', key, 'tat', num(next_slot))
redis.call('PEXPIRE', key, math.ceil(next_slot - now + forget))
return { num(start - now), num(fleet), tostring(members) }
`;

/**
 * The script's SHA-1 in hex, for EVALSHA, from Web Crypto (Node 20 and browsers have it): the `/redis` entry imports
 * no Node module.
 */
export async function tokenBucketSha(): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(TOKEN_BUCKET_SCRIPT));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the script answered: a slot `waitMs` from now at the fleet's rate, or that the fleet knows no rate yet. */
export type BucketReply =
  | { readonly kind: 'slot'; readonly waitMs: number; readonly ratePerSecond: number; readonly members: number }
  | { readonly kind: 'unknown'; readonly members: number };

/** Reads the script's reply; throws a TypeError on anything else (another script under the same name, a proxy's garbage). */
export function parseBucketReply(reply: unknown): BucketReply {
  if (!Array.isArray(reply) || reply.length !== 3) throw new TypeError(`unexpected reply from the pacer's Redis script: ${describeReply(reply)}`);
  const [wait, rate, members] = reply.map((part: unknown) =>
    Number(typeof part === 'string' ? part : part instanceof Uint8Array ? new TextDecoder().decode(part) : NaN),
  );
  if (!Number.isFinite(wait) || !Number.isFinite(rate) || !Number.isInteger(members) || wait! < 0 || members! < 0) {
    throw new TypeError(`unexpected reply from the pacer's Redis script: ${describeReply(reply)}`);
  }
  if (rate === -1) return { kind: 'unknown', members: members! };
  if (!(rate! > 0)) throw new TypeError(`unexpected reply from the pacer's Redis script: ${describeReply(reply)}`);
  return { kind: 'slot', waitMs: wait!, ratePerSecond: rate!, members: members! };
}

function describeReply(reply: unknown): string {
  try {
    return JSON.stringify(reply)?.slice(0, 200) ?? String(reply);
  } catch {
    return String(reply);
  }
}
