#!/usr/bin/env bash
# ./affnet bench reports: loads BENCH_EVENTS clicks (+3 % conversions) for one tenant over 30 days
# through the event store into a fresh database (affnet_bench) and index prefix (affnet-bench-reports-), then
# times a rebuild of the report views (with CPU per event), the 30-day day × offer report p50/p95 and
# freshness p99 at BENCH_RATE events/s. See docs/bench-reports.md.
# The last line is: events=<n> rebuild_events_per_s=<n> report_p95_ms=<n> freshness_p99_ms=<n>
#
# Environment (all optional): BENCH_EVENTS (10000000)  BENCH_RATE (5000)  BENCH_REPORT_RUNS (50)
#   BENCH_FRESHNESS_SECONDS (20)  BENCH_BATCH (report-views batch size; default: the platform's)
#   BENCH_DB (affnet_bench)  BENCH_INDEX_PREFIX (affnet-bench-reports-)  a database and indices of your own
#     (each bench has its own prefix and deletes only its own indices)
#   BENCH_JFR=FILE  JFR profile (settings=profile) of the whole bench JVM, written when it exits
#   BENCH_ARGS      more -D options for the bench JVM (e.g. -Daffnet.reports.segments=4)
#     -Dbench.warm-rebuilds=N times N more rebuilds after the first, with the JIT warm (one line each)
#   BENCH_REUSE=true  keep the database and indices of an earlier run of the same BENCH_EVENTS (same
#     BENCH_DB and prefix) and time only the rebuild, report and freshness again
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

: "${BENCH_EVENTS:=10000000}"
: "${BENCH_RATE:=5000}"
: "${BENCH_REPORT_RUNS:=50}"
: "${BENCH_FRESHNESS_SECONDS:=20}"
DB=${BENCH_DB:-affnet_bench}
PREFIX=${BENCH_INDEX_PREFIX:-affnet-bench-reports-}

services_up >/dev/null
if [ "${BENCH_REUSE:-false}" = true ]; then
  # The database and indices of an earlier run with the same BENCH_EVENTS, BENCH_DB and prefix: only
  # the rebuild, the report and freshness are run again (on whatever build of the platform is current).
  log "bench reports: reusing the $BENCH_EVENTS clicks loaded in database $DB, freshness at $BENCH_RATE events/s"
else
  log "bench reports: $BENCH_EVENTS clicks over 30 days, freshness at $BENCH_RATE events/s (fresh database $DB)"
  PGPASSWORD="$AFFNET_DB_PASSWORD" dropdb --if-exists -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" "$DB"
  PGPASSWORD="$AFFNET_DB_PASSWORD" createdb -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" "$DB"
  # One by one: Elasticsearch refuses wildcard deletes (action.destructive_requires_name).
  for index in $(curl -s "http://127.0.0.1:$AFFNET_ES_PORT/_cat/indices/$PREFIX*?h=index" 2>/dev/null || true); do
    curl -s -o /dev/null -X DELETE "http://127.0.0.1:$AFFNET_ES_PORT/$index" || true
  done
fi

out=platform/target/bench-reports.log
mkdir -p platform/target
jfr=()
if [ -n "${BENCH_JFR:-}" ]; then
  jfr=("-DargLine=-XX:StartFlightRecording=filename=$(readlink -f "$BENCH_JFR"),settings=profile,dumponexit=true")
  log "jfr: recording the bench JVM into $BENCH_JFR"
fi
export AXONIQ_UPDATE_CHECKER_DISABLED=true
export AFFNET_DB_URL="jdbc:postgresql://$AFFNET_DB_HOST:$AFFNET_DB_PORT/$DB"
if ! mvn -B -q -o test -pl platform -am -Dsurefire.failIfNoSpecifiedTests=false -Daffnet.payout-flow.skip=true -Dtest=ReportsBench \
    "${jfr[@]}" -Daffnet.search.index-prefix="$PREFIX" ${BENCH_BATCH:+-Daffnet.reports.batch-size=$BENCH_BATCH} -Dbench.events="$BENCH_EVENTS" -Dbench.rate="$BENCH_RATE" \
    -Dbench.reuse="${BENCH_REUSE:-false}" -Dbench.report-runs="$BENCH_REPORT_RUNS" -Dbench.freshness-seconds="$BENCH_FRESHNESS_SECONDS" \
    -Dlogging.level.root=WARN ${BENCH_ARGS:-} >"$out" 2>&1; then
  tail -n 40 "$out" >&2
  die "bench failed (full output: $out)"
fi
sed -n 1p platform/target/bench-reports.txt
tail -n 1 platform/target/bench-reports.txt
