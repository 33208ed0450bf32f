-- wrk script of ./affnet bench clicks (scripts/bench-clicks.sh).
-- Env: BENCH_PATH   path of the tracking link, e.g. /c/Lab12
--      BENCH_IDS_DIR where each thread writes the click id of every 302 it got (ids-N.txt, one a line);
--                    empty: ids are not written (warm-up)
-- Each request carries a distinct sub1 and rotates through a few user agents. Every 302 answer's
-- click id (from the afn_cid cookie, else the cid= of the Location) is written down, so the bench
-- can check afterwards that each answered click is in the event store.
-- done() prints one machine-readable line: "BENCH requests=.. duration_us=.. ... p999_us=..".

local threads = {}
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
  "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}

local path, out, n, found

function init(args)
  path = os.getenv("BENCH_PATH") or "/"
  local dir = os.getenv("BENCH_IDS_DIR") or ""
  if dir ~= "" then
    out = io.open(dir .. "/ids-" .. tid .. ".txt", "w")
    out:setvbuf("full", 65536)
  end
  n = 0
  found = 0
end

function request()
  n = n + 1
  return wrk.format("GET", path .. "?sub1=t" .. tid .. "-" .. n .. "&source=bench",
    { ["User-Agent"] = agents[n % #agents + 1], ["Referer"] = "https://news.example/article" })
end

function response(status, headers, body)
  if status ~= 302 or out == nil then
    return
  end
  local id
  local cookie = headers["Set-Cookie"]
  if cookie then
    id = string.match(cookie, "afn_cid=([%w_%-]+)")
  end
  if not id then
    local location = headers["Location"]
    if location then
      id = string.match(location, "cid=([%w_%-]+)")
    end
  end
  if id then
    out:write(id, "\n")
    found = found + 1
  end
end

-- Lua's buffered files are flushed by the C library when wrk exits.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d "
      .. "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
