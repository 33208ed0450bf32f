#!/usr/bin/env bash
# ./affnet bench live: the delay from a click to the console's pushed counter. Starts the platform in a
# test JVM on a fresh database (affnet_bench_live) and index prefix, subscribes to the GraphQL
# subscription todayCounters over SSE as the console's overview does, and follows a tracking link
# BENCH_SAMPLES times, each time timing click sent → pushed counter including it (LiveBench).
# The last line is: samples=<n> p50_ms=<n> p95_ms=<n> max_ms=<n>
#
# Environment (all optional): BENCH_SAMPLES (30)  BENCH_DB (affnet_bench_live)  BENCH_INDEX_PREFIX (affnet-bench-live-)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

: "${BENCH_SAMPLES:=30}"
DB=${BENCH_DB:-affnet_bench_live}
PREFIX=${BENCH_INDEX_PREFIX:-affnet-bench-live-}

services_up >/dev/null
PGPASSWORD="$AFFNET_DB_PASSWORD" dropdb --if-exists -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" "$DB"
PGPASSWORD="$AFFNET_DB_PASSWORD" createdb -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" "$DB"
for index in $(curl -s "http://127.0.0.1:$AFFNET_ES_PORT/_cat/indices/$PREFIX*?h=index" 2>/dev/null || true); do
  curl -s -o /dev/null -X DELETE "http://127.0.0.1:$AFFNET_ES_PORT/$index" || true
done
log "bench live: $BENCH_SAMPLES clicks, click → pushed todayCounters (database $DB)"

out=platform/target/bench-live.log
mkdir -p platform/target
export AXONIQ_UPDATE_CHECKER_DISABLED=true
export AFFNET_DB_URL="jdbc:postgresql://$AFFNET_DB_HOST:$AFFNET_DB_PORT/$DB"
if ! mvn -B -q -o test -pl platform -am -Dsurefire.failIfNoSpecifiedTests=false -Daffnet.payout-flow.skip=true -Dtest=LiveBench \
    -Daffnet.search.index-prefix="$PREFIX" -Dbench.samples="$BENCH_SAMPLES" -Dlogging.level.root=WARN >"$out" 2>&1; then
  tail -n 40 "$out" >&2
  die "bench failed (full output: $out)"
fi
tail -n 1 platform/target/bench-live.txt
