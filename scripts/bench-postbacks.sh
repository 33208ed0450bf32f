#!/usr/bin/env bash
# ./affnet bench postbacks: throughput, latency, dedupe and durability of GET /postback.
#
# Starts the platform jar on its own database (affnet_bench_postbacks, dropped and created each run),
# sets up through the API a tenant with a postback token, relaxed fraud rules (no minimum time to
# convert, no per-click limit), an advertiser, an offer without caps, an affiliate and a link; makes
# real clicks with wrk for a few seconds (this also warms the JVM), then clones one of them in SQL
# until there are BENCH_CLICKS clicks (a click is one ClickRecordedEvent; cloning is seconds where
# redirects would take minutes here). After a warm-up on clicks of their own, wrk drives
# /postback?click_id=&txn_id=&goal=&amount=&token= at a fixed concurrency, one connection per wrk
# thread so that every answer is written next to its (click, txn); BENCH_REPEAT of the requests repeat
# an earlier answered pair. After a graceful stop it counts
#   duplicates: ConversionRecordedEvents beyond the first for one (click, txn)  (must be 0)
#   lost:       (click, txn) answered "accepted" without a ConversionRecordedEvent (must be 0)
#
# The last line printed is machine-readable:
#   postbacks_per_s=<answered 200s per second> p50_ms=<n> p99_ms=<n> duplicates=<n> lost=<n> \
#     deliveries_per_s=<n> delivery_p99_ms=<n>
# and then cpu_us_per_postback=<n>: CPU time (utime+stime from /proc) of the whole stack (platform JVM,
# all postgres processes, redis-server, Elasticsearch; not wrk) from just before the measured load until
# the streaming processors have read everything it wrote and the outbound deliveries are sent, divided
# by the postbacks answered.
# deliveries_per_s and delivery_p99_ms are the outbound postbacks (issue 5): the bench affiliate has a global postback template
# pointing at a local receiver (scripts/bench-receiver.py), so every conversion is also delivered;
# after the run (and a bounded wait for the deliveries to drain) the deliveries of the measured
# conversions per second (first to last arrival) and the p99 of conversion event -> arrival
# (scripts/lib-outbound.sh). BENCH_OUTBOUND=false leaves them out (no template, no deliveries).
#
# Environment (all optional):
#   BENCH_DURATION (30s)  BENCH_CONNECTIONS (32, = wrk threads)  BENCH_WARMUP (15s)  BENCH_REPEAT (0.1)
#   BENCH_CLICKS (150000)  BENCH_CLICK_SECONDS (5, real redirects before cloning)
#   BENCH_PORT (18090)  BENCH_DB (affnet_bench_postbacks) BENCH_ES_PREFIX (affnet-bench-pb-)
#   BENCH_JAVA_OPTS / BENCH_APP_ARGS  JVM options / platform arguments (defaults as bench clicks)
#   BENCH_JAR=FILE       run this jar instead of building platform/target/affnet-platform.jar (A/B runs)
#   BENCH_JFR=FILE       JFR profile (settings=profile) from start-up to the graceful stop
#   BENCH_OUTBOUND (true)  BENCH_DRAIN (60, seconds to wait for outbound deliveries to drain)
#   BENCH_DRAIN_WAIT (120, seconds to wait for the streaming processors to drain, before and after the load)
#   BENCH_PG_STATEMENTS=true  the bench database's top statements (pg_stat_statements, which must be in
#                        shared_preload_libraries) over the measured window and its drain, per postback
#   BENCH_KEEP=true      keep the run folder (.affnet/bench-postbacks/) with its id and answer files
#   AFFNET_DB_POOL, AFFNET_* ... reach the platform as usual
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/lib-outbound.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-outbound.sh"
cd "$AFFNET_ROOT"

DURATION=${BENCH_DURATION:-30s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WARMUP=${BENCH_WARMUP:-15s}
REPEAT=${BENCH_REPEAT:-0.1}
CLICKS=${BENCH_CLICKS:-150000}
CLICK_SECONDS=${BENCH_CLICK_SECONDS:-5}
PORT=${BENCH_PORT:-18090}
DB=${BENCH_DB:-affnet_bench_postbacks}
DRAIN_WAIT=${BENCH_DRAIN_WAIT:-120}
ES_PREFIX=${BENCH_ES_PREFIX:-affnet-bench-pb-}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC}
APP_ARGS=${BENCH_APP_ARGS:---server.tomcat.threads.max=32 --server.tomcat.threads.min-spare=16 --server.tomcat.accept-count=1024}
JAR=${BENCH_JAR:-platform/target/affnet-platform.jar}
LUA=$AFFNET_ROOT/scripts/bench-postbacks.lua
CLICK_LUA=$AFFNET_ROOT/scripts/bench-clicks.lua
RUN=$AFFNET_STATE/bench-postbacks
OPERATOR_KEY=bench-operator-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
BASE=http://127.0.0.1:$PORT
RECORDED=io.affnet.api.conversion.ConversionRecordedEvent

app_pid=
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait_until 30 pid_gone "$app_pid" || kill -KILL "$app_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-false}" != true ]; then
    rm -rf "$RUN/ids" "$RUN/answers" "$RUN/warm-answers" "$RUN/click-ids"
  fi
}
trap cleanup EXIT
trap 'warn "bench-postbacks.sh: command failed at line $LINENO"' ERR

# ------------------------------------------------------------------ preparation

[ -n "${BENCH_JAR:-}" ] || bench_ensure_jar "$JAR"
[ -f "$JAR" ] || die "no jar at $JAR"
services_up
command -v wrk >/dev/null 2>&1 || apt_install wrk
need_cmd wrk
need_cmd psql postgresql-client
need_cmd split coreutils
port_open 127.0.0.1 "$PORT" && die "port $PORT is taken (set BENCH_PORT)"
if [ "${BENCH_PG_STATEMENTS:-false}" = true ]; then # checked before the load, not found missing after it
  case "$(bench_psql postgres -qAt -c "SHOW shared_preload_libraries")" in
    *pg_stat_statements*) ;;
    *) die "BENCH_PG_STATEMENTS=true needs pg_stat_statements loaded: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', then restart PostgreSQL" ;;
  esac
fi

rm -rf "$RUN"
mkdir -p "$RUN/ids" "$RUN/answers" "$RUN/warm-answers" "$RUN/click-ids"
bench_recreate_db "$DB"
ES=$(es_url)
for index in $(curl -s "$ES/_cat/indices/${ES_PREFIX}*?h=index" 2>/dev/null || true); do
  curl -s -o /dev/null -X DELETE "$ES/$index" || true
done

# ------------------------------------------------------------------ the platform

export_app_env "jdbc:postgresql://$AFFNET_DB_HOST:$AFFNET_DB_PORT/$DB"
export AFFNET_OPERATOR_KEY=$OPERATOR_KEY AFFNET_ES_INDEX_PREFIX=$ES_PREFIX AFFNET_DEMO=false AFFNET_PORT=$PORT
# The outbound receiver runs on 127.0.0.1: the operator's exception to the global-only rule allows it.
export AFFNET_OUTBOUND_PRIVATE_TARGETS=127.0.0.1/32
jfr_opt=()
if [ -n "${BENCH_JFR:-}" ]; then
  jfr_opt=("-XX:StartFlightRecording=filename=$BENCH_JFR,settings=profile,dumponexit=true")
  log "jfr: recording into $BENCH_JFR from start-up to the graceful stop"
fi
start_app() {
  # shellcheck disable=SC2086  # JAVA_OPTS and APP_ARGS are word lists
  java $JAVA_OPTS "${jfr_opt[@]}" -Daxoniq.update-checker.disabled=true -jar "$JAR" \
    --server.port="$PORT" $APP_ARGS >"$RUN/platform.log" 2>&1 &
  app_pid=$!
  log "platform: pid $app_pid on :$PORT ($JAVA_OPTS $APP_ARGS), log $RUN/platform.log"
}
bench_start_app start_app "$PORT" "$RUN/platform.log"

# api METHOD PATH KEY [JSON]: prints the body, then the status on a line of its own.
api() {
  curl -s -m 10 -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    ${4:+-d "$4"} -w '\n%{http_code}'
}
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4; }
# created METHOD PATH KEY JSON STATUS FIELD: the field of the answer, or dies with the answer.
created() {
  local reply
  reply=$(api "$1" "$2" "$3" "$4")
  [ "$(printf '%s' "$reply" | tail -n 1)" = "$5" ] || die "$1 $2 answered: $reply"
  printf '%s' "$reply" | sed '$d' | json_field "$6"
}

tenant= key= reply=
register() {
  local slug=bench-pb-$(date +%s%N)
  reply=$(api POST /api/v1/tenants "$OPERATOR_KEY" \
    "{\"slug\":\"$slug\",\"name\":\"Bench $slug\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}" || true)
  tenant=$(printf '%s' "$reply" | json_field tenantId || true)
  key=$(printf '%s' "$reply" | json_field adminKey || true)
  [ -n "$tenant" ] && [ -n "$key" ]
}
# Health can answer UP a moment before the application has finished starting: retry a while.
wait_until 30 register || die "tenant registration failed: $reply"
token=$(created POST /api/v1/postback-tokens "$key" '' 201 token)
reply=$(api PUT /api/v1/postback-settings "$key" \
  '{"fraud":{"minSecondsToConvert":0,"maxConversionsPerClickGoal":0,"selfReferral":true,"flagOnly":false}}')
[ "$(printf '%s' "$reply" | tail -n 1)" = 200 ] || die "PUT /api/v1/postback-settings answered: $reply"
advertiser=$(created POST /api/v1/advertisers "$key" '{"name":"Bench Shop","defaultCurrency":"EUR"}' 201 id)
offer=$(created POST /api/v1/offers "$key" "{\"name\":\"Bench offer\",\"advertiserId\":\"$advertiser\",
  \"destinationUrl\":\"https://shop.example/?cid={click_id}\",\"currency\":\"EUR\",\"status\":\"ACTIVE\",
  \"goals\":[{\"name\":\"lead\",\"revenue\":{\"amount\":\"3.00\",\"currency\":\"EUR\"},\"payout\":{\"amount\":\"2.00\",\"currency\":\"EUR\"}},
             {\"name\":\"sale\",\"revenue\":{\"percent\":\"10\"},\"payout\":{\"percent\":\"7\"}}],
  \"attributionWindowSeconds\":604800,\"caps\":null}" 201 id)
affiliate=$(created POST /api/v1/affiliates "$key" \
  '{"name":"Bench affiliate","email":"bench@example.com","status":"ACTIVE","payoutOverrides":[]}' 201 id)
code=$(created POST /api/v1/links "$key" "{\"affiliateId\":\"$affiliate\",\"offerIds\":[\"$offer\"],\"status\":\"ACTIVE\"}" 201 code)
link_live() { curl -s -o /dev/null -w '%{http_code}' "$BASE/c/$code" | grep -q 302; }
wait_until 30 link_live || die "link /c/$code never answered 302"
log "set up: tenant $tenant, offer $offer (no caps), affiliate $affiliate, link /c/$code, fraud rules relaxed"

# ------------------------------------------------------------------ outbound deliveries (issue 5)
# A local receiver and a global postback template for the bench affiliate: every conversion (warm-up
# and measurement) is also delivered; drained after the run (outbound_drain), measured at the end
# (outbound_report). Helpers in scripts/lib-outbound.sh.
OUTBOUND=${BENCH_OUTBOUND:-true}
OUTBOUND_DRAIN=${BENCH_DRAIN:-60}
if [ "$OUTBOUND" = true ]; then
  outbound_receiver_start "$RUN"
  reply=$(api PUT "/api/v1/affiliates/$affiliate/postback" "$key" "{\"templates\":[{\"url\":\"$(outbound_template_url)\"}]}")
  [ "$(printf '%s' "$reply" | tail -n 1)" = 201 ] || die "PUT /api/v1/affiliates/$affiliate/postback answered: $reply"
  log "outbound: receiver allowed by AFFNET_OUTBOUND_PRIVATE_TARGETS; global template $(outbound_template_url)"
fi

# ------------------------------------------------------------------ clicks

log "clicks: $CLICK_SECONDS s of real redirects (also warms the JVM)"
BENCH_PATH=/c/$code BENCH_IDS_DIR=$RUN/click-ids wrk -t2 -c32 -d"${CLICK_SECONDS}s" --timeout 5s \
  -s "$CLICK_LUA" "$BASE" >"$RUN/wrk-clicks.txt" 2>&1 || { cat "$RUN/wrk-clicks.txt" >&2; die "wrk failed on /c/$code"; }
real=$(bench_psql "$DB" -Atc "SELECT count(*) FROM domainevententry WHERE type = 'Click'")
more=$((CLICKS > real ? CLICKS - real : 0))
log "clicks: $real recorded through /c/$code; cloning one of them $more times in SQL"
# A clone is the same ClickRecordedEvent under a fresh id in the click id's format (22 base64url characters),
# of a click that was served an offer (the set-up's first probe may have been recorded before the affiliate's
# approval reached the link cache: NOT_SERVED, which no postback can convert).
bench_psql "$DB" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload,
                              payloadrevision, payloadtype, "timestamp")
SELECT c.id, 0, s.type, gen_random_uuid()::text, s.metadata,
       convert_to(replace(convert_from(s.payload, 'UTF8'), s.aggregateidentifier, c.id), 'UTF8'),
       s.payloadrevision, s.payloadtype, s."timestamp"
FROM (SELECT * FROM domainevententry WHERE type = 'Click'
        AND position('"outcome":"OFFER"' IN convert_from(payload, 'UTF8')) > 0 ORDER BY globalindex LIMIT 1) s,
     (SELECT substr(translate(encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), 1, 22) AS id
      FROM generate_series(1, $more)) c;
SQL
bench_psql "$DB" -Atc "SELECT aggregateidentifier FROM domainevententry WHERE type = 'Click'
  AND position('\"outcome\":\"OFFER\"' IN convert_from(payload, 'UTF8')) > 0 ORDER BY random()" >"$RUN/all-ids.txt"
total=$(wc -l <"$RUN/all-ids.txt")
# Warm-up gets clicks of its own (a tenth), the measured run the rest; each wrk thread its own share.
warm_n=$((total / 10))
head -n "$warm_n" "$RUN/all-ids.txt" | split -n "r/$CONNECTIONS" -d -a 3 - "$RUN/ids/warm-"
tail -n +"$((warm_n + 1))" "$RUN/all-ids.txt" | split -n "r/$CONNECTIONS" -d -a 3 - "$RUN/ids/run-"

# Streaming processors (DistributionStatsProjection reads clicks) catch up before anything is measured.
bench_drain "$DB" 180 || true
log "clicks: $total in the event store, processors caught up"

# ------------------------------------------------------------------ postbacks

run_wrk() { # run_wrk IDS_PREFIX OUT_DIR TXN_PREFIX DURATION OUT
  BENCH_IDS_PREFIX=$1 BENCH_OUT_DIR=$2 BENCH_TXN_PREFIX=$3 BENCH_TOKEN=$token BENCH_GOAL=sale BENCH_REPEAT=$REPEAT \
    wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$4" --timeout 5s --latency -s "$LUA" "$BASE" >"$5" 2>&1 \
    || { cat "$5" >&2; die "wrk failed on /postback"; }
}
field() { bench_field "$@"; }

probe=$(curl -s "$BASE/postback?click_id=$(head -n 1 "$RUN/ids/warm-000")&txn_id=probe&goal=sale&amount=1.00&token=$token")
[ "$probe" = accepted ] || die "a first postback did not answer 'accepted': $probe"

log "warm-up: $WARMUP, $CONNECTIONS connections"
run_wrk "$RUN/ids/warm-" "$RUN/warm-answers" w "$WARMUP" "$RUN/wrk-warmup.txt"
log "warm-up: $(field "$RUN/wrk-warmup.txt" requests) requests"

# Whole-stack CPU per postback: read once what the warm-up wrote is processed and delivered, and again
# once what the measured load wrote is (so projections and outbound deliveries are in it).
[ "$OUTBOUND" = true ] && outbound_drain "$DB" "$tenant" "$OUTBOUND_DRAIN"
bench_drain "$DB" "$DRAIN_WAIT" || true
if [ "${BENCH_PG_STATEMENTS:-false}" = true ]; then # only this database's entries are reset
  bench_psql "$DB" -qAt -v ON_ERROR_STOP=1 -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
    -c "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)" >/dev/null
fi
stack_before=$(bench_stack_cpu "$app_pid")
pg_own_before=$(bench_pg_own_cpu "$DB")
log "measure: $DURATION, $CONNECTIONS connections (= wrk threads), repeat share $REPEAT"
pg_before=$(pg_psql -Atc "select xact_commit from pg_stat_database where datname='$DB'")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2046
app_cpu_before=$(bench_cpu_ms "$app_pid") pg_cpu_before=$(bench_cpu_ms $(bench_pg_pids))
run_wrk "$RUN/ids/run-" "$RUN/answers" m "$DURATION" "$RUN/wrk-platform.txt"
# shellcheck disable=SC2046
app_cpu=$(($(bench_cpu_ms "$app_pid") - app_cpu_before)) pg_cpu=$(($(bench_cpu_ms $(bench_pg_pids)) - pg_cpu_before))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pg_after=$(pg_psql -Atc "select xact_commit from pg_stat_database where datname='$DB'")

if [ "$OUTBOUND" = true ]; then # outbound deliveries (issue 5)
  log "outbound: waiting (at most $OUTBOUND_DRAIN s) until every delivery is sent"
  outbound_drain "$DB" "$tenant" "$OUTBOUND_DRAIN"
fi
drained=true
bench_drain "$DB" "$DRAIN_WAIT" || drained=false
stack_after=$(bench_stack_cpu "$app_pid")
pg_own_after=$(bench_pg_own_cpu "$DB")
load_drained=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${BENCH_PG_STATEMENTS:-false}" = true ]; then
  bench_psql "$DB" -qAt -F $'\t' -c "SELECT round(total_exec_time::numeric, 1), calls, rows, shared_blks_hit + shared_blks_read,
      regexp_replace(left(query, 300), '\\s+', ' ', 'g')
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY total_exec_time DESC LIMIT ${BENCH_PG_STATEMENTS_TOP:-25}" >"$RUN/pg-statements.tsv"
fi

log "platform: graceful stop"
bench_stop_app "$app_pid"
app_pid=

cat "$RUN"/answers/answers-*.txt >"$RUN/answered.txt" 2>/dev/null || : >"$RUN/answered.txt"
cat "$RUN"/warm-answers/answers-*.txt >>"$RUN/answered.txt" 2>/dev/null || true
counts=$(bench_psql "$DB" -qAt -F ' ' -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE answers (click text, txn text, kind text, status int, answer text);
\copy answers FROM '$RUN/answered.txt' (FORMAT text, DELIMITER ' ')
CREATE TEMP TABLE conv AS
  SELECT aggregateidentifier AS click, convert_from(payload, 'UTF8')::jsonb ->> 'transactionId' AS txn
  FROM domainevententry WHERE payloadtype = '$RECORDED';
CREATE INDEX ON conv (click, txn);
ANALYZE answers;
ANALYZE conv;
SELECT (SELECT count(*) FROM answers WHERE txn LIKE 'm-%' AND status = 200),
       (SELECT count(*) FROM answers WHERE txn LIKE 'm-%' AND kind = 'f' AND answer = 'accepted'),
       (SELECT count(*) FROM answers WHERE txn LIKE 'm-%' AND kind = 'r'),
       (SELECT count(*) FROM answers WHERE txn LIKE 'm-%' AND kind = 'r' AND answer = 'duplicate'),
       (SELECT count(*) FROM answers WHERE txn LIKE 'm-%' AND (status <> 200 OR answer NOT IN ('accepted', 'duplicate'))),
       (SELECT count(*) FROM (SELECT DISTINCT click, txn FROM answers WHERE answer = 'accepted') a
          WHERE NOT EXISTS (SELECT 1 FROM conv c WHERE c.click = a.click AND c.txn = a.txn)),
       (SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM conv GROUP BY click, txn HAVING count(*) > 1) d),
       (SELECT count(*) FROM conv);
SQL
)
read -r answered accepted repeats repeats_dup other lost duplicates stored <<<"$counts"

# ------------------------------------------------------------------ summary

W=$RUN/wrk-platform.txt
duration_us=$(field "$W" duration_us)
ms() { bench_us_to_ms "$1"; }
per_s=$(awk -v n="$answered" -v d="$duration_us" 'BEGIN { printf "%d", n / (d / 1e6) }')
commits=$((pg_after - pg_before))
read -r stack_us stack_app_us stack_pg_us stack_redis_us stack_es_us <<<"$(bench_stack_delta "$stack_before" "$stack_after" "$answered")"
pg_own_us=$(awk -v a="$pg_own_after" -v b="$pg_own_before" -v n="$answered" 'BEGIN { if (n <= 0) n = 1; printf "%d", (a - b) / n }')
cat <<EOF

postback bench ($(date -u +%FT%TZ), $(nproc) cores shared by wrk, the platform, PostgreSQL, Redis, ES):
  load:        wrk -t$CONNECTIONS -c$CONNECTIONS -d$DURATION on /postback (after $WARMUP warm-up), repeat share $REPEAT
  platform:    $JAVA_OPTS $APP_ARGS; db pool ${AFFNET_DB_POOL:-default}
  clicks:      $total ($real through /c/$code, the rest cloned); a tenth reserved for the warm-up
  requests:    $(field "$W" requests) in $(ms "$duration_us") ms; answered 200: $answered
  answers:     first postbacks accepted $accepted; repeats $repeats, answered duplicate $repeats_dup; anything else $other
  errors:      status>=400 $(field "$W" status_errors), connect $(field "$W" connect_errors), read $(field "$W" read_errors), write $(field "$W" write_errors), timeout $(field "$W" timeouts)
  latency ms:  p50 $(ms "$(field "$W" p50_us)")  p90 $(ms "$(field "$W" p90_us)")  p99 $(ms "$(field "$W" p99_us)")  p99.9 $(ms "$(field "$W" p999_us)")  max $(ms "$(field "$W" max_us)")
  cpu:         platform $app_cpu ms, all postgres processes (shared) $pg_cpu ms in the run: $(awk -v a="$app_cpu" -v p="$pg_cpu" -v n="$answered" 'BEGIN { if (n > 0) printf "%.0f + %.0f us per postback", a * 1000 / n, p * 1000 / n }')
  stack cpu:   $stack_us us per postback = platform $stack_app_us + postgres $stack_pg_us + redis $stack_redis_us + elasticsearch $stack_es_us (from before the load to processors and deliveries drained$( [ "$drained" = true ] || printf ', NOT drained'))
  own pg cpu:  $pg_own_us us per postback in postgres processes of $DB and the cluster's own (WAL writer, checkpointer ...), without other databases' backends
  machine:     load average $load_before before, $load_after after, $load_drained drained (other work on this machine skews every number)
  postgres:    $commits commits in $DB during the run
  store:       $stored ConversionRecordedEvents (warm-up and probe included); extra ones for one (click, txn): $duplicates; accepted without one: $lost
  files:       $RUN (BENCH_KEEP=true keeps the id and answer files)
EOF
if [ "${BENCH_PG_STATEMENTS:-false}" = true ]; then
  echo "  statements:  top of $DB by total time, measured load and its drain (per postback: ms of execution, calls, rows, buffers)"
  awk -F '\t' -v n="$answered" 'BEGIN { if (n <= 0) n = 1 } { printf "    %7.1f us %6.2f calls %7.2f rows %7.1f bufs  %8.1f ms %7d calls  %s\n", $1 * 1000 / n, $2 / n, $3 / n, $4 / n, $1, $2, substr($5, 1, 160) }' "$RUN/pg-statements.tsv"
fi
if [ "$OUTBOUND" = true ]; then # outbound deliveries (issue 5): summary lines, then keys for the last line
  outbound_receiver_stop
  outbound_report "$DB" "$tenant" 'm-%'
fi
printf 'postbacks_per_s=%s p50_ms=%s p99_ms=%s duplicates=%s lost=%s%s cpu_us_per_postback=%s\n' \
  "$per_s" "$(ms "$(field "$W" p50_us)")" "$(ms "$(field "$W" p99_us)")" "$duplicates" "$lost" "${outbound_keys:+ $outbound_keys}" \
  "$stack_us"
