package dev.llmgateway.redis.internal;

/**
 * The stores' Lua scripts. Each runs atomically on the node that owns its keys' slot; every key it
 * touches is passed in {@code KEYS} (all under one tenant's hash tag, see {@link Keys}).
 *
 * <p>Arithmetic: Redis hands Lua its integers as doubles, exact below 2<sup>53</sup>; counts are
 * at most 2<sup>40</sup> ({@code RateLimit.MAX_LIMIT}) and money is checked below 2<sup>53</sup>
 * nano-dollars before a script is called, so every comparison here is exact. Additions to stored
 * figures are made by Redis itself ({@code HINCRBY}, 64-bit integers), and numbers are handed back
 * to Redis as integer strings ({@code string.format('%d')}), never in Lua's exponent notation.
 *
 * <p>Time: {@code ARGV[1]} is the gateway's clock (ms) and {@code ARGV[2]} is {@code 1} when the
 * script is to use the server's clock ({@code TIME}) instead; a time the gateway gives (a lease's
 * end) is then moved by the difference, so durations stay as the gateway meant them.
 */
public final class Scripts {
  private Scripts() {}

  /** Helpers every script starts with. */
  private static final String COMMON = """
      local function int(x) return string.format('%d', x) end
      local function now_ms()
        if ARGV[2] == '1' then
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        return tonumber(ARGV[1])
      end
      """;

  /**
   * Takes every request of one tenant or none. {@code ARGV[3]}: extra milliseconds a key lives
   * past its last use; then five arguments per request ({@code KEYS[i]} its key): {@code 'w',
   * limit, window ms, buckets, amount} for a window, {@code 's', limit, lease id, lease end (the
   * gateway's ms), 0} for a slot. Returns {@code {1, r1, r2, ...}} when all were taken ({@code ri}:
   * the time a window request was counted at; for a slot 1 when newly taken, 0 when renewed) or
   * {@code {0, i, retryAfter}} with the 0-based index of the first request that refused and the
   * milliseconds until it would admit (-1: unknown or never); a refusal gives back what the
   * requests before it took.
   */
  public static final LuaScript LIMIT_ACQUIRE = LuaScript.of("limit-acquire", COMMON + """
      local now = now_ms()
      local gnow = tonumber(ARGV[1])
      local margin = tonumber(ARGV[3])
      local undo = {}
      local out = {1}
      local function give_back(upto)
        for j = 1, upto do
          local u = undo[j]
          if u then
            if u[1] == 'w' then
              redis.call('HINCRBY', u[2], u[3], int(-u[4]))
              redis.call('HINCRBY', u[2], 'tot', int(-u[4]))
            else
              redis.call('ZREM', u[2], u[3])
            end
          end
        end
      end
      for i = 1, #KEYS do
        local a = 4 + (i - 1) * 5
        local key = KEYS[i]
        local limit = tonumber(ARGV[a + 1])
        if ARGV[a] == 'w' then
          local W = tonumber(ARGV[a + 2])
          local N = tonumber(ARGV[a + 3])
          local amount = tonumber(ARGV[a + 4])
          local b = math.floor((W + N - 1) / N)
          local st = redis.call('HMGET', key, 'w', 'n', 't', 'k', 'tot')
          local t, k, tot
          if tonumber(st[1]) == W and tonumber(st[2]) == N and st[3] then
            t = tonumber(st[3])
            k = tonumber(st[4])
            tot = tonumber(st[5]) or 0
          end
          local at
          if t == nil or now < t - math.max(2 * W, 60000) then
            redis.call('DEL', key)
            t = now
            k = math.floor(now / b)
            tot = 0
            at = now
          elseif now <= t then
            at = t
          else
            local nk = math.floor(now / b)
            local steps = nk - k
            if steps > N then
              redis.call('DEL', key)
              tot = 0
            else
              for j = 1, steps do
                local s = int((k + j) % (N + 1))
                local v = redis.call('HGET', key, s)
                if v then
                  tot = tot - tonumber(v)
                  redis.call('HDEL', key, s)
                end
              end
            end
            k = nk
            t = now
            at = now
          end
          redis.call('HSET', key, 'w', int(W), 'n', int(N), 't', int(t), 'k', int(k),
              'tot', int(tot))
          redis.call('PEXPIRE', key, int(W + 2 * b + margin))
          if amount > limit then
            give_back(i - 1)
            return {0, i - 1, -1}
          end
          if tot + amount > limit then
            local excess = tot + amount - limit
            local flat = redis.call('HGETALL', key)
            local counts = {}
            for j = 1, #flat, 2 do counts[flat[j]] = tonumber(flat[j + 1]) end
            local freed = 0
            local wait = -1
            for j = 0, N do
              freed = freed + (counts[int((k - N + j) % (N + 1))] or 0)
              if freed >= excess then
                wait = (k + j + 1) * b - at
                break
              end
            end
            give_back(i - 1)
            return {0, i - 1, wait}
          end
          if amount > 0 then
            local s = int(k % (N + 1))
            redis.call('HINCRBY', key, s, int(amount))
            redis.call('HINCRBY', key, 'tot', int(amount))
            undo[i] = {'w', key, s, amount}
          end
          out[i + 1] = at
        else
          local lease = ARGV[a + 2]
          local ends = now + (tonumber(ARGV[a + 3]) - gnow)
          local held = redis.call('ZSCORE', key, lease)
          if held then
            if tonumber(held) < ends then
              redis.call('ZADD', key, int(ends), lease)
            end
            out[i + 1] = 0
          else
            if redis.call('ZCARD', key) >= limit then
              redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now))
              if redis.call('ZCARD', key) >= limit then
                give_back(i - 1)
                return {0, i - 1, -1}
              end
            end
            redis.call('ZADD', key, int(ends), lease)
            undo[i] = {'s', key, lease, 0}
            out[i + 1] = 1
          end
          local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
          local ttl = tonumber(last[2]) - now + margin
          if ttl < margin then ttl = margin end
          redis.call('PEXPIRE', key, int(ttl))
        end
      end
      return out
      """);

  /**
   * Settles what calls took, each atomic on its counter. Five arguments per settlement ({@code
   * KEYS[i]} its key), after {@code ARGV[1..2]}: {@code 'w', window ms, buckets, counted at,
   * delta} adds the delta to the bucket it was counted in while that bucket is in the window (a
   * count never below zero); {@code 's', lease id, 0, 0, 0} releases a slot. Returns 1.
   */
  public static final LuaScript LIMIT_SETTLE = LuaScript.of("limit-settle", COMMON + """
      for i = 1, #KEYS do
        local a = 3 + (i - 1) * 5
        local key = KEYS[i]
        if ARGV[a] == 'w' then
          local W = tonumber(ARGV[a + 1])
          local N = tonumber(ARGV[a + 2])
          local at = tonumber(ARGV[a + 3])
          local delta = tonumber(ARGV[a + 4])
          local st = redis.call('HMGET', key, 'w', 'n', 't', 'k')
          if tonumber(st[1]) == W and tonumber(st[2]) == N and st[3] then
            local b = math.floor((W + N - 1) / N)
            local k = tonumber(st[4])
            local kk = math.floor(at / b)
            if kk <= k and kk >= k - N then
              local s = int(kk % (N + 1))
              local c = tonumber(redis.call('HGET', key, s)) or 0
              local nx = c + delta
              if nx < 0 then nx = 0 end
              if nx ~= c then
                redis.call('HSET', key, s, int(nx))
                redis.call('HINCRBY', key, 'tot', int(nx - c))
              end
            end
          end
        else
          redis.call('ZREM', key, ARGV[a + 1])
        end
      end
      return 1
      """);

  /** The budget scripts' helpers: lazy lease expiry, balances, a counter's descriptive fields. */
  private static final String BUDGET_COMMON = COMMON + """
      local function expire(c, h, a, now)
        local gone = redis.call('ZRANGEBYSCORE', h, '-inf', int(now), 'LIMIT', 0, 1000)
        if #gone == 0 then return end
        local sum = 0
        for _, id in ipairs(gone) do
          sum = sum + (tonumber(redis.call('HGET', a, id)) or 0)
          redis.call('HDEL', a, id)
          redis.call('ZREM', h, id)
        end
        if redis.call('EXISTS', c) == 1 then
          local r = (tonumber(redis.call('HGET', c, 'reserved')) or 0) - sum
          if r < 0 then r = 0 end
          redis.call('HSET', c, 'reserved', int(r))
        end
      end
      local function balance(c, out)
        local v = redis.call('HMGET', c, 'spent', 'reserved', 'marks')
        out[#out + 1] = tonumber(v[1]) or 0
        out[#out + 1] = tonumber(v[2]) or 0
        out[#out + 1] = tonumber(v[3]) or 0
      end
      local function describe(c, a, ttl)
        if redis.call('HSETNX', c, 'budget', ARGV[a]) == 1 then
          redis.call('HSET', c, 'scope', ARGV[a + 1], 'tenant', ARGV[a + 2], 'id', ARGV[a + 3],
              'ps', ARGV[a + 4], 'pe', ARGV[a + 5])
        end
        redis.call('PEXPIRE', c, int(ttl))
      end
      """;

  /**
   * The balances of counters of one tenant, their expired leases freed first. {@code KEYS}: three
   * per counter (its hash, holds, held amounts). Returns {@code {spent, reserved, marks}} per
   * counter, flat.
   */
  public static final LuaScript BUDGET_BALANCES = LuaScript.of("budget-balances", BUDGET_COMMON
      + """
      local now = now_ms()
      local out = {}
      for i = 1, #KEYS, 3 do
        expire(KEYS[i], KEYS[i + 1], KEYS[i + 2], now)
        balance(KEYS[i], out)
      end
      return out
      """);

  /**
   * Reserves an amount for a call on every counter of one tenant, or on none. {@code KEYS[1]}: the
   * call's settled mark; then three per counter. {@code ARGV[3]} call id, {@code [4]} amount,
   * {@code [5]} lease end (the gateway's ms); then eight per counter: cap (-1: none), how long its
   * keys live from now (ms; at least a minute past the lease), budget, scope, tenant, id, period
   * start, period end. Returns {@code {0}}
   * when reserved (or the call settled before: nothing to hold), {@code {1, i, spent, reserved,
   * marks}} with the 0-based index of a counter the amount did not fit.
   */
  public static final LuaScript BUDGET_RESERVE = LuaScript.of("budget-reserve", BUDGET_COMMON
      + """
      local now = now_ms()
      if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
      local call = ARGV[3]
      local amount = tonumber(ARGV[4])
      local ends = now + (tonumber(ARGV[5]) - tonumber(ARGV[1]))
      local n = (#KEYS - 1) / 3
      for i = 0, n - 1 do
        expire(KEYS[2 + 3 * i], KEYS[3 + 3 * i], KEYS[4 + 3 * i], now)
      end
      for i = 0, n - 1 do
        local cap = tonumber(ARGV[6 + 8 * i])
        local v = redis.call('HMGET', KEYS[2 + 3 * i], 'spent', 'reserved', 'marks')
        local spent = tonumber(v[1]) or 0
        local reserved = tonumber(v[2]) or 0
        if cap >= 0 and spent + reserved + amount > cap then
          return {1, i, spent, reserved, tonumber(v[3]) or 0}
        end
      end
      for i = 0, n - 1 do
        local c = KEYS[2 + 3 * i]
        local h = KEYS[3 + 3 * i]
        local a = KEYS[4 + 3 * i]
        local ttl = tonumber(ARGV[7 + 8 * i])
        if ends - now + 60000 > ttl then ttl = ends - now + 60000 end
        describe(c, 8 + 8 * i, ttl)
        redis.call('HINCRBY', c, 'reserved', int(amount))
        redis.call('HINCRBY', a, call, int(amount))
        local held = redis.call('ZSCORE', h, call)
        if not held or tonumber(held) < ends then
          redis.call('ZADD', h, int(ends), call)
        end
        redis.call('PEXPIRE', h, int(ttl))
        redis.call('PEXPIRE', a, int(ttl))
      end
      return {0}
      """);

  /**
   * Ends a call on counters of one tenant, once: adds the cost to each counter's spent figure and
   * takes off what the call holds; a repeat (its settled mark exists) changes nothing. {@code
   * KEYS} as for reserve; {@code ARGV[3]} call id, {@code [4]} cost, {@code [5]} how long the
   * settled mark lives at least (ms; longer while the call's lease would have lasted); then seven
   * per counter: how long its keys live from now (ms), budget, scope, tenant, id, period start,
   * period end.
   * Returns {@code {repeat (0 or 1), spent, reserved, marks, ...}}, three per counter.
   */
  public static final LuaScript BUDGET_SETTLE = LuaScript.of("budget-settle", BUDGET_COMMON
      + """
      local now = now_ms()
      local n = (#KEYS - 1) / 3
      local out = {0}
      if redis.call('EXISTS', KEYS[1]) == 1 then
        out[1] = 1
        for i = 0, n - 1 do
          expire(KEYS[2 + 3 * i], KEYS[3 + 3 * i], KEYS[4 + 3 * i], now)
          balance(KEYS[2 + 3 * i], out)
        end
        return out
      end
      local call = ARGV[3]
      local cost = tonumber(ARGV[4])
      local ttl = tonumber(ARGV[5])
      for i = 0, n - 1 do
        local c = KEYS[2 + 3 * i]
        local h = KEYS[3 + 3 * i]
        local a = KEYS[4 + 3 * i]
        expire(c, h, a, now)
        local held = tonumber(redis.call('HGET', a, call))
        if held then
          local ends = tonumber(redis.call('ZSCORE', h, call))
          if ends and ends - now > ttl then ttl = ends - now end
          redis.call('HDEL', a, call)
          redis.call('ZREM', h, call)
          if redis.call('EXISTS', c) == 1 then
            local r = (tonumber(redis.call('HGET', c, 'reserved')) or 0) - held
            if r < 0 then r = 0 end
            redis.call('HSET', c, 'reserved', int(r))
          end
        end
        if cost > 0 then
          describe(c, 7 + 7 * i, tonumber(ARGV[6 + 7 * i]))
          redis.call('HINCRBY', c, 'spent', int(cost))
        end
        balance(c, out)
      end
      redis.call('SET', KEYS[1], '1', 'PX', int(ttl))
      return out
      """);

  /**
   * Sets marks on one counter and returns those that were not set. {@code KEYS[1]}: the counter's
   * hash; {@code ARGV[3]} the bits, then how long its keys live and the six descriptive fields.
   */
  public static final LuaScript BUDGET_MARK = LuaScript.of("budget-mark", BUDGET_COMMON + """
      local bits = tonumber(ARGV[3])
      local old = tonumber(redis.call('HGET', KEYS[1], 'marks')) or 0
      local newly = bit.band(bits, bit.bnot(old))
      if newly ~= 0 then
        describe(KEYS[1], 5, tonumber(ARGV[4]))
        redis.call('HSET', KEYS[1], 'marks', int(bit.bor(old, bits)))
      end
      return newly
      """);
}
