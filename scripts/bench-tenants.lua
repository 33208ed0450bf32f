-- wrk script of ./affnet bench tenants (scripts/bench-tenants.sh), in two modes:
--   BENCH_MODE=clicks     requests /c/<code>?sub1=<index> spread round-robin over the codes in
--                         BENCH_CODES (one a line, line number = tenant index); each 302's click id and
--                         tenant index (echoed through the {sub1} macro of the destination) are written
--                         to BENCH_OUT_DIR/clicks-<thread>.txt as "<click id> <index>".
--   BENCH_MODE=postbacks  sends one postback per click of BENCH_CLICKS ("<click id> <index>" lines; each
--                         thread takes every n-th line) with the token of that tenant (BENCH_TOKENS,
--                         line number = index); counts answers that start with "accepted".
-- done() prints "BENCH requests=.. duration_us=.. accepted=.. non2xx=.. errors=.. p50_us=.. p99_us=..".

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local function lines(path)
  local t = {}
  if path and path ~= "" then
    for l in io.lines(path) do
      if l ~= "" then table.insert(t, l) end
    end
  end
  return t
end

-- "accepted" is global: done() reads it from each thread with thread:get.
local mode, codes, tokens, clicks, out, n, nthreads, label

function init(args)
  mode = os.getenv("BENCH_MODE") or "clicks"
  label = os.getenv("BENCH_LABEL") or "b"
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  n = 0
  accepted = 0
  if mode == "clicks" then
    codes = lines(os.getenv("BENCH_CODES"))
    local dir = os.getenv("BENCH_OUT_DIR") or ""
    if dir ~= "" then
      out = io.open(dir .. "/clicks-" .. tid .. ".txt", "w")
      out:setvbuf("full", 65536)
    end
  else
    tokens = lines(os.getenv("BENCH_TOKENS"))
    clicks = {}
    local i = 0
    for _, l in ipairs(lines(os.getenv("BENCH_CLICKS"))) do
      if i % nthreads == tid then table.insert(clicks, l) end
      i = i + 1
    end
  end
end

function request()
  n = n + 1
  if mode == "clicks" then
    local i = (n * nthreads + tid) % #codes + 1
    return wrk.format("GET", "/c/" .. codes[i] .. "?sub1=" .. i,
      { ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        ["CF-IPCountry"] = "DE" })
  end
  local line = clicks[(n - 1) % #clicks + 1]
  local id, idx = string.match(line, "^(%S+) (%d+)$")
  -- Transaction ids are unique per round (BENCH_LABEL): a repeated one would be a duplicate, not a conversion.
  return wrk.format("GET", "/postback?click_id=" .. id .. "&txn_id=" .. label .. "-" .. tid .. "-" .. n
    .. "&goal=sale&amount=10.00&currency=EUR&status=approved&token=" .. tokens[tonumber(idx)])
end

function response(status, headers, body)
  if mode == "clicks" then
    if status == 302 and out then
      local location = headers["Location"] or ""
      local id = string.match(location, "cid=([%w_%-]+)")
      local idx = string.match(location, "s1=(%d+)")
      if id and idx then
        out:write(id, " ", idx, "\n")
        accepted = accepted + 1
      end
    end
  elseif status == 200 and string.sub(body, 1, 8) == "accepted" then
    accepted = accepted + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("accepted") or 0)
  end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d accepted=%d non2xx=%d errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, total, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
