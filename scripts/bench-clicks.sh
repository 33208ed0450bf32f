#!/usr/bin/env bash
# ./affnet bench clicks: throughput, latency and durability of the click redirect (GET /c/{code}).
#
# Starts the platform jar on its own database (affnet_bench, dropped and created each run) and its
# own Elasticsearch index prefix, registers a tenant, seeds one plain link into the Redis lookup
# cache, warms up, then drives the redirect with wrk at a fixed concurrency, writing down the click
# id of every 302. After a graceful stop it counts `lost`: answered click ids that are not in the
# event store. Then the same wrk load against a bare nginx `return 302` (one worker), the ceiling.
# Everything shares this machine's cores: wrk, the platform, PostgreSQL (and nginx in its turn).
#
# The last line printed is machine-readable:
#   clicks_per_s=<n> p50_ms=<n> p99_ms=<n> p999_ms=<n> nginx_per_s=<n> ratio=<ours/nginx> lost=<n> \
#     cpu_us_per_click=<n>
# cpu_us_per_click: CPU time (utime+stime from /proc) of the whole stack (platform JVM, all postgres
# processes, redis-server, Elasticsearch; not wrk) from just before the measured load until the
# streaming processors have read everything it wrote, divided by the clicks answered.
#
# Environment (all optional):
#   BENCH_DURATION (30s)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)  BENCH_WARMUP (10s)
#   BENCH_PORT (18080)  BENCH_NGINX_PORT (18081)  BENCH_DB (affnet_bench) BENCH_ES_PREFIX (affnet-bench-clicks-)
#   BENCH_JAVA_OPTS      JVM options of the platform (default below)
#   BENCH_APP_ARGS       extra platform arguments (default: the Tomcat settings below)
#   BENCH_JAR=FILE       run this jar instead of building platform/target/affnet-platform.jar (A/B runs)
#   BENCH_START_WAIT (180) seconds the platform may take to answer /actuator/health
#   BENCH_DRAIN_WAIT (120)  seconds to wait for the processors to drain, before and after the load
#   BENCH_JFR=FILE       record a JFR profile of the measured run into FILE (settings=profile)
#   BENCH_SKIP_NGINX=true  skip the nginx run (ratio then reads 0)
#   BENCH_KEEP=true      keep the run folder (.affnet/bench-clicks/) with its id files and logs
#   AFFNET_CLICK_WRITERS, AFFNET_CLICK_MAX_BATCH, AFFNET_DB_POOL ... reach the platform as usual
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"

DURATION=${BENCH_DURATION:-30s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-10s}
PORT=${BENCH_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
DB=${BENCH_DB:-affnet_bench}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC}
APP_ARGS=${BENCH_APP_ARGS:---server.tomcat.threads.max=32 --server.tomcat.threads.min-spare=16 --server.tomcat.accept-count=1024}
JAR=${BENCH_JAR:-platform/target/affnet-platform.jar}
DRAIN_WAIT=${BENCH_DRAIN_WAIT:-120}
ES_PREFIX=${BENCH_ES_PREFIX:-affnet-bench-clicks-}
LUA=$AFFNET_ROOT/scripts/bench-clicks.lua
RUN=$AFFNET_STATE/bench-clicks
OPERATOR_KEY=bench-operator-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

app_pid=
nginx_pid=
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait_until 30 pid_gone "$app_pid" || kill -KILL "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-false}" != true ]; then
    rm -rf "$RUN/ids" "$RUN/nginx-ids" "$RUN/nginx"
  fi
}
trap cleanup EXIT
trap 'warn "bench-clicks.sh: command failed at line $LINENO"' ERR

# ------------------------------------------------------------------ preparation

[ -n "${BENCH_JAR:-}" ] || bench_ensure_jar "$JAR"
[ -f "$JAR" ] || die "no jar at $JAR"

services_up
if ! command -v wrk >/dev/null 2>&1 || ! command -v nginx >/dev/null 2>&1; then
  apt_install wrk nginx-light
fi
need_cmd wrk
need_cmd nginx nginx-light
need_cmd psql postgresql-client

for p in "$PORT" "$NGINX_PORT"; do
  port_open 127.0.0.1 "$p" && die "port $p is taken (set BENCH_PORT / BENCH_NGINX_PORT)"
done

rm -rf "$RUN"
mkdir -p "$RUN/ids" "$RUN/nginx-ids"

bench_recreate_db "$DB"

ES=$(es_url)
for index in $(curl -s "$ES/_cat/indices/${ES_PREFIX}*?h=index" 2>/dev/null || true); do
  curl -s -o /dev/null -X DELETE "$ES/$index" || true
done

# ------------------------------------------------------------------ the platform

export_app_env "jdbc:postgresql://$AFFNET_DB_HOST:$AFFNET_DB_PORT/$DB"
export AFFNET_OPERATOR_KEY=$OPERATOR_KEY AFFNET_ES_INDEX_PREFIX=$ES_PREFIX AFFNET_DEMO=false AFFNET_PORT=$PORT
jfr_opt=()
if [ -n "${BENCH_JFR:-}" ]; then
  jfr_opt=("-XX:StartFlightRecording=filename=$BENCH_JFR,settings=profile,dumponexit=true")
  log "jfr: recording into $BENCH_JFR from start-up to the graceful stop"
fi
start_app() {
  # shellcheck disable=SC2086  # JAVA_OPTS and APP_ARGS are word lists
  java $JAVA_OPTS "${jfr_opt[@]}" -Daxoniq.update-checker.disabled=true -jar "$JAR" \
    --server.port="$PORT" --logging.level.io.affnet.command.click.ClickRecorder=DEBUG $APP_ARGS >"$RUN/platform.log" 2>&1 &
  app_pid=$!
  log "platform: pid $app_pid on :$PORT ($JAVA_OPTS $APP_ARGS), log $RUN/platform.log"
}
bench_start_app start_app "$PORT" "$RUN/platform.log"

tenant= reply= slug=
register() {
  slug=bench-$(date +%s%N)
  reply=$(curl -s -m 10 -X POST "http://127.0.0.1:$PORT/api/v1/tenants" \
    -H "Authorization: Bearer $OPERATOR_KEY" -H 'Content-Type: application/json' \
    -d "{\"slug\":\"$slug\",\"name\":\"Bench $slug\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}" || true)
  tenant=$(printf '%s' "$reply" | grep -o '"tenantId":"[^"]*"' | cut -d'"' -f4 || true)
  [ -n "$tenant" ]
}
# Health can answer UP a moment before the application has finished starting: retry a while.
wait_until 30 register || die "tenant registration failed: $reply"
tenant_cached() { [ "$(redis-cli -h "$AFFNET_REDIS_HOST" -p "$AFFNET_REDIS_PORT" exists "affnet:tenant:$tenant")" = 1 ]; }
wait_until 30 tenant_cached || die "tenant $tenant never reached the Redis lookup cache"

# One plain link in the layout of ConfigCacheKeys / Cached* (as ClickRedirectIT seeds it).
suffix=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
offer=off_$suffix affiliate=aff_$suffix link=lnk_$suffix code=B$suffix$(date +%s)
destination='https://adv.example/land?cid={click_id}&aff={affiliate_id}&s1={sub1}&s2={sub2}&src={source}'
seed() {
  redis-cli -h "$AFFNET_REDIS_HOST" -p "$AFFNET_REDIS_PORT" set "$1" "$2" >/dev/null
  redis-cli -h "$AFFNET_REDIS_HOST" -p "$AFFNET_REDIS_PORT" publish affnet:config-changed "$1" >/dev/null
}
seed "affnet:t:$tenant:offer:$offer" "{\"tenantId\":\"$tenant\",\"offerId\":\"$offer\",\"version\":1,\"terms\":{\"name\":\"Bench offer\",\"advertiserId\":\"adv1\",\"destinationUrl\":\"$destination\",\"currency\":\"EUR\",\"status\":\"ACTIVE\",\"goals\":[{\"name\":\"sale\",\"revenue\":{\"kind\":\"PERCENT\",\"value\":1000},\"payout\":{\"kind\":\"FIXED\",\"value\":250}}],\"attributionWindowSeconds\":604800,\"caps\":{},\"allowedCountries\":[],\"allowedDeviceClasses\":[],\"fallbackUrl\":null}}"
seed "affnet:t:$tenant:affiliate:$affiliate" "{\"tenantId\":\"$tenant\",\"affiliateId\":\"$affiliate\",\"version\":1,\"profile\":{\"name\":\"Bench affiliate\",\"email\":\"bench@example.com\",\"status\":\"ACTIVE\",\"payoutOverrides\":[]}}"
seed "affnet:link:$code" "{\"tenantId\":\"$tenant\",\"linkId\":\"$link\",\"code\":\"$code\",\"version\":1,\"settings\":{\"affiliateId\":\"$affiliate\",\"offerIds\":[\"$offer\"],\"policy\":null,\"policyParams\":{},\"status\":\"ACTIVE\"}}"

probe=$(curl -s -o /dev/null -D - "http://127.0.0.1:$PORT/c/$code?sub1=probe&source=bench" | tr -d '\r')
printf '%s\n' "$probe" | head -n 1 | grep -q ' 302' || die "the seeded link does not answer 302: $probe"
log "seeded: tenant $tenant, link /c/$code -> $(printf '%s\n' "$probe" | grep -i '^location:' | cut -d' ' -f2)"

# ------------------------------------------------------------------ load

run_wrk() { # run_wrk URL_BASE IDS_DIR DURATION OUT
  BENCH_PATH=/c/$code BENCH_IDS_DIR=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --timeout 5s --latency \
    -s "$LUA" "$1" >"$4" 2>&1 || { cat "$4" >&2; die "wrk failed against $1"; }
}
field() { bench_field "$@"; }
cpu_ms() { bench_cpu_ms "$@"; }
pg_pids() { bench_pg_pids; }

log "warm-up: $WARMUP, $CONNECTIONS connections"
run_wrk "http://127.0.0.1:$PORT" "" "$WARMUP" "$RUN/wrk-warmup.txt"
log "warm-up: $(field "$RUN/wrk-warmup.txt" requests) requests"

# Whole-stack CPU per click: read once the processors have read what the warm-up wrote, and again once
# they have read what the measured load wrote (so the projections' cost of these clicks is in it).
bench_drain "$DB" "$DRAIN_WAIT" || true
stack_before=$(bench_stack_cpu "$app_pid")
threads_before=$(bench_thread_cpu "$app_pid")
pg_own_before=$(bench_pg_own_cpu "$DB")
log "measure: $DURATION, $THREADS threads, $CONNECTIONS connections"
pg_before=$(pg_psql -Atc "select xact_commit from pg_stat_database where datname='$DB'")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2046
app_cpu_before=$(cpu_ms "$app_pid") pg_cpu_before=$(cpu_ms $(pg_pids))
run_wrk "http://127.0.0.1:$PORT" "$RUN/ids" "$DURATION" "$RUN/wrk-platform.txt"
# shellcheck disable=SC2046
app_cpu=$(($(cpu_ms "$app_pid") - app_cpu_before)) pg_cpu=$(($(cpu_ms $(pg_pids)) - pg_cpu_before))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pg_after=$(pg_psql -Atc "select xact_commit from pg_stat_database where datname='$DB'")
drain_start=$SECONDS
drained=true
bench_drain "$DB" "$DRAIN_WAIT" || drained=false
drain_s=$((SECONDS - drain_start))
stack_after=$(bench_stack_cpu "$app_pid")
threads_after=$(bench_thread_cpu "$app_pid")
pg_own_after=$(bench_pg_own_cpu "$DB")
load_drained=$(cut -d' ' -f1-3 /proc/loadavg)

log "platform: graceful stop"
bench_stop_app "$app_pid"
app_pid=

cat "$RUN"/ids/ids-*.txt >"$RUN/answered.txt" 2>/dev/null || : >"$RUN/answered.txt"
counts=$(bench_psql "$DB" -qAt -F ' ' -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE answered (id text);
\copy answered FROM '$RUN/answered.txt'
SELECT (SELECT count(*) FROM answered),
       (SELECT count(DISTINCT id) FROM answered),
       (SELECT count(*) FROM (SELECT DISTINCT id FROM answered) a WHERE NOT EXISTS (
          SELECT 1 FROM domainevententry d WHERE d.aggregateidentifier = a.id AND d.type = 'Click')),
       (SELECT count(*) FROM domainevententry WHERE type = 'Click');
SQL
)
read -r answered distinct lost stored <<<"$counts"

# ------------------------------------------------------------------ nginx, the ceiling

nginx_rps=0
if [ "${BENCH_SKIP_NGINX:-false}" != true ]; then
  NG=$RUN/nginx
  mkdir -p "$NG/logs" "$NG/tmp"
  cat >"$NG/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=1024;
    location / {
      add_header Set-Cookie "afn_cid=\$request_id; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax" always;
      add_header Cache-Control no-store always;
      return 302 "https://adv.example/land?cid=\$request_id";
    }
  }
}
EOF
  nginx -e "$NG/logs/error.log" -p "$NG" -c "$NG/nginx.conf" &
  nginx_pid=$!
  ng_up() { port_open 127.0.0.1 "$NGINX_PORT"; }
  wait_until 10 ng_up || die "nginx did not start (see $NG/logs/error.log)"
  run_wrk "http://127.0.0.1:$NGINX_PORT" "" 3s "$RUN/wrk-nginx-warmup.txt"
  log "nginx: measure $DURATION against return 302 (1 worker) on :$NGINX_PORT"
  run_wrk "http://127.0.0.1:$NGINX_PORT" "$RUN/nginx-ids" "$DURATION" "$RUN/wrk-nginx.txt"
  kill -QUIT "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
  nginx_rps=$(awk -v r="$(field "$RUN/wrk-nginx.txt" requests)" -v d="$(field "$RUN/wrk-nginx.txt" duration_us)" \
    'BEGIN { printf "%d", r / (d / 1e6) }')
fi

# ------------------------------------------------------------------ summary

W=$RUN/wrk-platform.txt
requests=$(field "$W" requests)
duration_us=$(field "$W" duration_us)
ms() { bench_us_to_ms "$1"; }
read -r stack_us stack_app_us stack_pg_us stack_redis_us stack_es_us <<<"$(bench_stack_delta "$stack_before" "$stack_after" "$answered")"
pg_own_us=$(awk -v a="$pg_own_after" -v b="$pg_own_before" -v n="$answered" 'BEGIN { if (n <= 0) n = 1; printf "%d", (a - b) / n }')
clicks_per_s=$(awk -v n="$answered" -v d="$duration_us" 'BEGIN { printf "%d", n / (d / 1e6) }')
ratio=$(awk -v a="$clicks_per_s" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "0.00" }')
commits=$((pg_after - pg_before))
cat <<EOF

click bench ($(date -u +%FT%TZ), $(nproc) cores shared by wrk, the platform, PostgreSQL, Redis, ES):
  load:        wrk -t$THREADS -c$CONNECTIONS -d$DURATION against /c/$code (after $WARMUP warm-up)
  platform:    $JAVA_OPTS $APP_ARGS; writers=${AFFNET_CLICK_WRITERS:-default} max-batch=${AFFNET_CLICK_MAX_BATCH:-default}
  requests:    $requests in $(ms "$duration_us") ms; 302 with click id: $answered (distinct $distinct)
  errors:      status>=400 $(field "$W" status_errors), connect $(field "$W" connect_errors), read $(field "$W" read_errors), write $(field "$W" write_errors), timeout $(field "$W" timeouts)
  latency ms:  p50 $(ms "$(field "$W" p50_us)")  p90 $(ms "$(field "$W" p90_us)")  p99 $(ms "$(field "$W" p99_us)")  p99.9 $(ms "$(field "$W" p999_us)")  max $(ms "$(field "$W" max_us)")
  cpu:         platform $app_cpu ms, all postgres processes (shared) $pg_cpu ms in the run: $(awk -v a="$app_cpu" -v p="$pg_cpu" -v n="$answered" 'BEGIN { if (n > 0) printf "%.0f + %.0f us per click", a * 1000 / n, p * 1000 / n }')
  stack cpu:   $stack_us us per click = platform $stack_app_us + postgres $stack_pg_us + redis $stack_redis_us + elasticsearch $stack_es_us (from before the load to the processors drained, ${drain_s} s after it$( [ "$drained" = true ] || printf ', NOT drained'))
  jvm threads: $(awk -v b="$threads_before" -v a="$threads_after" -v n="$answered" 'BEGIN { split(b, x, " "); split(a, y, " "); if (n <= 0) n = 1
                 printf "tomcat http-nio %d + click-writer %d + jit %d + gc %d + other %d us per click", (y[1]-x[1])/n, (y[2]-x[2])/n, (y[3]-x[3])/n, (y[4]-x[4])/n, (y[5]-x[5])/n }') (same window)
  own pg cpu:  $pg_own_us us per click in postgres processes of $DB and the cluster's own (WAL writer, checkpointer ...), without other databases' backends
  machine:     load average $load_before before, $load_after after, $load_drained drained (other work on this machine skews every number)
  postgres:    $commits commits in $DB during the run (~$(awk -v c="$commits" -v n="$answered" 'BEGIN { if (c > 0) printf "%.1f", n / c; else print "-" }') clicks per commit)
  batches:     $(grep -o 'Click recorder stopped: .*' "$RUN/platform.log" | cut -d' ' -f4- || echo '(no recorder summary in the log)') (whole run, warm-up included)
  durability:  $stored Click events stored (warm-up included); answered but not stored: $lost
  nginx:       $nginx_rps requests/s (return 302, worker_processes 1)
  files:       $RUN (BENCH_KEEP=true keeps the id files)
EOF
printf 'clicks_per_s=%s p50_ms=%s p99_ms=%s p999_ms=%s nginx_per_s=%s ratio=%s lost=%s cpu_us_per_click=%s\n' \
  "$clicks_per_s" "$(ms "$(field "$W" p50_us)")" "$(ms "$(field "$W" p99_us)")" "$(ms "$(field "$W" p999_us)")" \
  "$nginx_rps" "$ratio" "$lost" "$stack_us"
