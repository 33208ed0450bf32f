#!/usr/bin/env bash
# Outbound postback throughput and delay: ./affnet bench outbound [CONVERSIONS] [PARALLEL]
# Against a running platform (AFFNET_URL, default http://127.0.0.1:$AFFNET_PORT; operator key from
# AFFNET_OPERATOR_KEY or .affnet/operator.key) and its database (AFFNET_BENCH_DB, default affnet), with a
# local receiver (scripts/bench-receiver.py, answers 200 at once and writes down each arrival): sets up
# a tenant, clicks and posts back CONVERSIONS conversions PARALLEL at a time, waits (at most 120 s) until
# every outbound postback is sent, then reports (scripts/lib-outbound.sh)
#   deliveries_per_s = deliveries received / (last arrival - first arrival)
#   delivery_p99_ms  = 99th percentile of (arrival at the receiver - conversion event time)
# ./affnet bench postbacks reports the same two under postback load. The last line is machine-readable.
# The platform must allow the receiver on 127.0.0.1 (an operator's setting, never a tenant's): start it
# with AFFNET_OUTBOUND_PRIVATE_TARGETS=127.0.0.1/32.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/lib-outbound.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-outbound.sh"
cd "$AFFNET_ROOT"

n="${1:-500}"
parallel="${2:-16}"
url="${AFFNET_URL:-http://127.0.0.1:$AFFNET_PORT}"
db="${AFFNET_BENCH_DB:-affnet}"
op="${AFFNET_OPERATOR_KEY:-$(cat "$AFFNET_STATE/operator.key" 2>/dev/null || true)}"
[ -n "$op" ] || die "bench outbound: set AFFNET_OPERATOR_KEY (or run ./affnet run, which writes .affnet/operator.key)"
curl -fsS "$url/actuator/health" >/dev/null || die "bench outbound: no platform answers at $url"
work=$(mktemp -d)
trap 'outbound_receiver_stop; rm -rf "$work"' EXIT
outbound_receiver_start "$work"

api() { curl -fsS -X "$1" "$url$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
slug="bench-outbound-$(date +%s)"
reg=$(api POST /api/v1/tenants "$op" "{\"slug\":\"$slug\",\"name\":\"Outbound bench\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}")
tenant=$(field tenantId <<<"$reg"); key=$(field adminKey <<<"$reg")
token=$(api POST /api/v1/postback-tokens "$key" | field token)
api PUT /api/v1/postback-settings "$key" '{"fraud":{"minSecondsToConvert":0,"maxConversionsPerClickGoal":0,"selfReferral":false,"flagOnly":false}}' >/dev/null
adv=$(api POST /api/v1/advertisers "$key" '{"name":"Bench","defaultCurrency":"EUR"}' | field id)
offer=$(api POST /api/v1/offers "$key" "{\"name\":\"Bench\",\"advertiserId\":\"$adv\",\"destinationUrl\":\"https://shop.example/?c={click_id}\",\"currency\":\"EUR\",\"status\":\"ACTIVE\",\"goals\":[{\"name\":\"lead\",\"revenue\":{\"amount\":\"3.00\",\"currency\":\"EUR\"},\"payout\":{\"amount\":\"2.00\",\"currency\":\"EUR\"}}],\"attributionWindowSeconds\":86400,\"caps\":null}" | field id)
aff=$(api POST /api/v1/affiliates "$key" '{"name":"Bench","email":"bench@example.com","status":"ACTIVE","payoutOverrides":[]}' | field id)
code=$(api POST /api/v1/links "$key" "{\"affiliateId\":\"$aff\",\"offerIds\":[\"$offer\"],\"status\":\"ACTIVE\"}" | field code)
api PUT "/api/v1/affiliates/$aff/postback" "$key" "{\"templates\":[{\"url\":\"$(outbound_template_url)\"}]}" >/dev/null
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/c/$code")" = 302 ] && break; sleep 0.2; done

log "bench outbound: $n conversions, $parallel at a time"
seq "$n" | xargs -P "$parallel" -I{} sh -c '
  cid=$(curl -s -o /dev/null -D - "$1/c/$2?sub1=s{}" | tr -d "\r" | sed -n "s/^[Ss]et-[Cc]ookie: [^=]*=\([^;]*\);.*/\1/p" | head -1)
  curl -s -o /dev/null "$1/postback?click_id=$cid&goal=lead&txn_id=b{}&token=$3"' _ "$url" "$code" "$token"

outbound_drain "$db" "$tenant" 120
outbound_receiver_stop
outbound_report "$db" "$tenant" 'b%'
echo "$outbound_keys"
