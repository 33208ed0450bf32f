-- wrk script of ./affnet bench postbacks (scripts/bench-postbacks.sh). Run it with as many wrk threads
-- as connections (-tN -cN): with one connection per thread every response() answers the request()
-- made just before it, so each answer can be written down next to the (click, transaction) it was for.
-- Env: BENCH_IDS_PREFIX  thread k (1-based) reads its click ids from BENCH_IDS_PREFIX .. %03d(k-1)
--      BENCH_OUT_DIR     where thread k writes "click txn kind status answer" lines (answers-k.txt);
--                        empty: nothing is written (warm-up)
--      BENCH_TOKEN       the tenant's postback token     BENCH_GOAL  goal name (sale)
--      BENCH_TXN_PREFIX  makes transaction ids unique per run phase
--      BENCH_REPEAT      share of requests that repeat an earlier answered (click, txn) (0.1)
-- A first postback for a click is kind "f", a deliberate repeat "r" (it must answer "duplicate").
-- When a thread runs out of clicks it starts over with new transaction ids (more conversions per click).
-- done() prints one machine-readable line: "BENCH requests=.. duration_us=.. ... p999_us=..".

local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local ids, out, token, goal, prefix, share
local n, answered, current

function init(args)
  ids = {}
  local file = (os.getenv("BENCH_IDS_PREFIX") or "ids-") .. string.format("%03d", tid - 1)
  for line in io.lines(file) do
    if line ~= "" then
      ids[#ids + 1] = line
    end
  end
  local dir = os.getenv("BENCH_OUT_DIR") or ""
  if dir ~= "" then
    out = io.open(dir .. "/answers-" .. tid .. ".txt", "w")
    out:setvbuf("full", 65536)
  end
  token = os.getenv("BENCH_TOKEN") or ""
  goal = os.getenv("BENCH_GOAL") or "sale"
  prefix = (os.getenv("BENCH_TXN_PREFIX") or "t") .. "-" .. tid .. "-"
  share = tonumber(os.getenv("BENCH_REPEAT") or "0.1")
  math.randomseed(os.time() * 1000 + tid)
  n = 0
  answered = {}
end

local function pair(i)
  return ids[(i - 1) % #ids + 1], prefix .. i
end

function request()
  local i, kind
  if #answered > 0 and math.random() < share then
    i = answered[math.random(#answered)]
    kind = "r"
  else
    n = n + 1
    i = n
    kind = "f"
  end
  current = { i = i, kind = kind }
  local click, txn = pair(i)
  local cents = 1000 + (i % 9000)
  return wrk.format("GET", "/postback?click_id=" .. click .. "&txn_id=" .. txn .. "&goal=" .. goal
    .. "&amount=" .. math.floor(cents / 100) .. "." .. string.format("%02d", cents % 100) .. "&token=" .. token)
end

function response(status, headers, body)
  if current == nil then
    return
  end
  if current.kind == "f" and status == 200 then
    answered[#answered + 1] = current.i
  end
  if out ~= nil then
    local click, txn = pair(current.i)
    local answer = "-"
    if status == 200 and body ~= nil then
      answer = string.gsub(body, "%s", "_")
    end
    out:write(click, " ", txn, " ", current.kind, " ", status, " ", answer, "\n")
  end
  current = nil
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d "
      .. "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
