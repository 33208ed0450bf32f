#!/usr/bin/env bash
# Outbound postback throughput and delay: ./affnet bench outbound [CONVERSIONS] [PARALLEL]
# Against a running platform (AFFNET_URL, default http://127.0.0.1:$AFFNET_PORT; operator key from
# AFFNET_OPERATOR_KEY or .affnet/operator.key) and its database (AFFNET_BENCH_DB, default affnet), with a
# local receiver (python3, answers 200 at once): sets up a tenant, clicks and posts back CONVERSIONS
# conversions PARALLEL at a time, waits until every outbound postback is delivered, then reads
#   deliveries_per_s = delivered / (last delivery - first conversion event)
#   delivery_p99_ms  = 99th percentile of (delivered_at - conversion event time)
# from outbound_delivery. The last line is machine-readable.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"

n="${1:-500}"
parallel="${2:-16}"
url="${AFFNET_URL:-http://127.0.0.1:$AFFNET_PORT}"
db="${AFFNET_BENCH_DB:-affnet}"
op="${AFFNET_OPERATOR_KEY:-$(cat "$AFFNET_STATE/operator.key" 2>/dev/null || true)}"
[ -n "$op" ] || die "bench outbound: set AFFNET_OPERATOR_KEY (or run ./affnet run, which writes .affnet/operator.key)"
curl -fsS "$url/actuator/health" >/dev/null || die "bench outbound: no platform answers at $url"
sql() { PGPASSWORD="$AFFNET_DB_PASSWORD" psql -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" -d "$db" -Atq -c "$1"; }
work=$(mktemp -d)
trap 'kill "$receiver_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/receiver.py" <<'PY'
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def _ok(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    do_GET = do_POST = _ok
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
s = S(("127.0.0.1", 0), H); print(s.server_address[1], flush=True); s.serve_forever()
PY
python3 "$work/receiver.py" > "$work/port" &
receiver_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(head -1 "$work/port")

api() { curl -fsS -X "$1" "$url$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
slug="bench-outbound-$(date +%s)"
reg=$(api POST /api/v1/tenants "$op" "{\"slug\":\"$slug\",\"name\":\"Outbound bench\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}")
tenant=$(field tenantId <<<"$reg"); key=$(field adminKey <<<"$reg")
token=$(api POST /api/v1/postback-tokens "$key" | field token)
api PUT /api/v1/postback-settings "$key" '{"fraud":{"minSecondsToConvert":0,"maxConversionsPerClickGoal":0,"selfReferral":false,"flagOnly":false}}' >/dev/null
api PUT /api/v1/outbound-settings "$key" '{"allowPrivateTargets":true}' >/dev/null
adv=$(api POST /api/v1/advertisers "$key" '{"name":"Bench","defaultCurrency":"EUR"}' | field id)
offer=$(api POST /api/v1/offers "$key" "{\"name\":\"Bench\",\"advertiserId\":\"$adv\",\"destinationUrl\":\"https://shop.example/?c={click_id}\",\"currency\":\"EUR\",\"status\":\"ACTIVE\",\"goals\":[{\"name\":\"lead\",\"revenue\":{\"kind\":\"FIXED\",\"value\":300},\"payout\":{\"kind\":\"FIXED\",\"value\":200}}],\"attributionWindowSeconds\":86400,\"caps\":null}" | field id)
aff=$(api POST /api/v1/affiliates "$key" '{"name":"Bench","email":"bench@example.com","status":"ACTIVE","payoutOverrides":[]}' | field id)
code=$(api POST /api/v1/links "$key" "{\"affiliateId\":\"$aff\",\"offerIds\":[\"$offer\"],\"status\":\"ACTIVE\"}" | field code)
api PUT "/api/v1/affiliates/$aff/postback" "$key" "{\"templates\":[{\"url\":\"http://127.0.0.1:$port/pb?c={click_id}&p={payout}&s={sub1}\"}]}" >/dev/null
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/c/$code")" = 302 ] && break; sleep 0.2; done

log "bench outbound: $n conversions, $parallel at a time, receiver on 127.0.0.1:$port"
seq "$n" | xargs -P "$parallel" -I{} sh -c '
  cid=$(curl -s -o /dev/null -D - "$1/c/$2?sub1=s{}" | tr -d "\r" | sed -n "s/^[Ss]et-[Cc]ookie: [^=]*=\([^;]*\);.*/\1/p" | head -1)
  curl -s -o /dev/null "$1/postback?click_id=$cid&goal=lead&txn_id=b{}&token=$3"' _ "$url" "$code" "$token"

deadline=$((SECONDS + 120))
while :; do
  done_n=$(sql "SELECT count(*) FROM outbound_delivery WHERE tenant_id = '$tenant' AND state = 'DELIVERED'")
  [ "$done_n" -ge "$n" ] && break
  [ $SECONDS -lt $deadline ] || { warn "only $done_n of $n delivered after 120 s"; break; }
  sleep 0.5
done
read -r rate p99 < <(sql "SELECT round(count(*) / GREATEST(EXTRACT(EPOCH FROM max(delivered_at) - min(event_at)), 0.001)),
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM delivered_at - event_at) * 1000))
  FROM outbound_delivery WHERE tenant_id = '$tenant' AND state = 'DELIVERED'" | tr '|' ' ')
log "delivered: $done_n of $n"
echo "deliveries_per_s=$rate delivery_p99_ms=$p99"
