#!/usr/bin/env bash
# ./affnet bench tenants: click and postback throughput with 1 tenant, then with 1,000 tenants.
#
# Starts the platform jar on its own database (affnet_bench_tenants, dropped and created each run) and
# Elasticsearch index prefix, with the default rate limits on. Sets up tenant 1 through the public API
# (registration, postback settings and token, an advertiser, an offer, an affiliate, a link), measures
# clicks on its link and then one postback per recorded click; then sets up tenants 2..N the same way
# (BENCH_SETUP_PARALLEL clients at once) and, in BENCH_ROUNDS alternating rounds (in A B B A order),
# measures traffic to tenant 1 alone and traffic spread round-robin over all N tenants' links (postbacks over the clicks
# just recorded, each with its tenant's token). The ratios compare those alternating rounds. Heap:
# used heap after a full GC at the end. Everything shares this machine's cores.
#
# The last line printed is machine-readable:
#   tenants=<N> clicks_ratio=<N-tenant/1-tenant> postbacks_ratio=<N-tenant/1-tenant> heap_mb=<n>
#
# Environment (all optional):
#   BENCH_TENANTS (1000)  BENCH_ROUNDS (3)  BENCH_DURATION (10s)  BENCH_WARMUP (5s)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)
#   BENCH_PB_CONNECTIONS (16)  BENCH_SETUP_PARALLEL (16)  BENCH_PORT (18290)  BENCH_DB (affnet_bench_tenants)
#   BENCH_JAVA_OPTS (-Xms1g -Xmx2g -XX:+UseParallelGC)  BENCH_APP_ARGS (Tomcat settings below)
#   BENCH_KEEP=true keeps .affnet/bench-tenants/ (codes, tokens, click files, platform log)
#   AFFNET_LIMIT_* raise or lower the rate limits as usual (README, Configuration)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"

TENANTS=${BENCH_TENANTS:-1000}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-5s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PB_CONNECTIONS=${BENCH_PB_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
PARALLEL=${BENCH_SETUP_PARALLEL:-16}
PORT=${BENCH_PORT:-18290}
DB=${BENCH_DB:-affnet_bench_tenants}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC}
APP_ARGS=${BENCH_APP_ARGS:---server.tomcat.threads.max=64 --server.tomcat.threads.min-spare=16 --server.tomcat.accept-count=1024}
JAR=platform/target/affnet-platform.jar
LUA=$AFFNET_ROOT/scripts/bench-tenants.lua
RUN=$AFFNET_STATE/bench-tenants
OPERATOR_KEY=bench-operator-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
BASE=http://127.0.0.1:$PORT

app_pid=
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait_until 30 pid_gone "$app_pid" || kill -KILL "$app_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-false}" != true ]; then
    rm -rf "$RUN/clicks" "$RUN/tenants"
  fi
}
trap cleanup EXIT
trap 'warn "bench-tenants.sh: command failed at line $LINENO"' ERR

jar_stale() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$JAR" -type f -print -quit 2>/dev/null)" ]
}
if jar_stale; then
  log "build: mvn -B -q -DskipTests package"
  mvn -B -q -o -DskipTests package >/dev/null 2>&1 || mvn -B -q -ntp -DskipTests package \
    || die "build failed (mvn -B -DskipTests package)"
fi
[ -f "$JAR" ] || die "$JAR is missing after the build"

services_up
command -v wrk >/dev/null 2>&1 || apt_install wrk
need_cmd wrk
need_cmd psql postgresql-client
need_cmd jcmd
port_open 127.0.0.1 "$PORT" && die "port $PORT is taken (set BENCH_PORT)"

rm -rf "$RUN"
mkdir -p "$RUN/clicks" "$RUN/tenants"
log "postgres: recreating database $DB"
pg_psql -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
ES=$(es_url)
for index in $(curl -s "$ES/_cat/indices/affnet-benchten-*?h=index" 2>/dev/null || true); do
  curl -s -o /dev/null -X DELETE "$ES/$index" || true
done

export_app_env "jdbc:postgresql://$AFFNET_DB_HOST:$AFFNET_DB_PORT/$DB"
export AFFNET_OPERATOR_KEY=$OPERATOR_KEY AFFNET_ES_INDEX_PREFIX=affnet-benchten- AFFNET_DEMO=false AFFNET_PORT=$PORT
# shellcheck disable=SC2086
# services_up has just checked the stores; the start-up probe's 3 s timeouts fail spuriously on a loaded machine.
java $JAVA_OPTS -Daxoniq.update-checker.disabled=true -jar "$JAR" --server.port="$PORT" --affnet.startup-probe.enabled=false $APP_ARGS \
  >"$RUN/platform.log" 2>&1 &
app_pid=$!
log "platform: pid $app_pid on :$PORT ($JAVA_OPTS $APP_ARGS), log $RUN/platform.log"
healthy() {
  kill -0 "$app_pid" 2>/dev/null || { tail -n 40 "$RUN/platform.log" >&2; die "platform exited during start-up"; }
  curl -s -m 2 "$BASE/actuator/health" 2>/dev/null | grep -q '"status":"UP"'
}
wait_until 180 healthy || { tail -n 40 "$RUN/platform.log" >&2; die "platform not healthy after 180 s"; }

# ------------------------------------------------------------------ tenant set-up through the API

# setup_tenant I: one tenant with an advertiser, an offer, an affiliate, a link and a postback token;
# writes "code token" to $RUN/tenants/I. Fraud rules off: every bench postback should be creditable.
setup_tenant() {
  local i=$1 reply key adv off aff code token attempt
  tapi() { curl -s -m 30 -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}; }
  jfield() { printf '%s' "$1" | grep -o "\"$2\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4; }
  for attempt in 1 2 3; do
    reply=$(tapi POST /api/v1/tenants "$OPERATOR_KEY" "{\"slug\":\"bench-$i-$RUN_ID\",\"name\":\"Bench $i\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}")
    key=$(jfield "$reply" adminKey)
    [ -n "$key" ] && break
    sleep 1
  done
  [ -n "$key" ] || { echo "tenant $i: registration failed: $reply" >&2; return 1; }
  tapi PUT /api/v1/postback-settings "$key" '{"fraud":{"minSecondsToConvert":0,"maxConversionsPerClickGoal":0,"selfReferral":true,"flagOnly":false}}' >/dev/null
  adv=$(jfield "$(tapi POST /api/v1/advertisers "$key" '{"name":"Shop","defaultCurrency":"EUR"}')" id)
  off=$(jfield "$(tapi POST /api/v1/offers "$key" "{\"name\":\"Offer\",\"advertiserId\":\"$adv\",\"destinationUrl\":\"https://shop.example/land?cid={click_id}&s1={sub1}\",\"currency\":\"EUR\",\"status\":\"ACTIVE\",\"goals\":[{\"name\":\"sale\",\"revenue\":{\"percent\":\"10\"},\"payout\":{\"amount\":\"2.50\",\"currency\":\"EUR\"}}],\"attributionWindowSeconds\":604800}")" id)
  aff=$(jfield "$(tapi POST /api/v1/affiliates "$key" '{"name":"Aff","email":"aff@example.com","status":"ACTIVE","payoutOverrides":[]}')" id)
  code=$(jfield "$(tapi POST /api/v1/links "$key" "{\"affiliateId\":\"$aff\",\"offerIds\":[\"$off\"],\"status\":\"ACTIVE\"}")" code)
  token=$(jfield "$(tapi POST /api/v1/postback-tokens "$key")" token)
  [ -n "$code" ] && [ -n "$token" ] || { echo "tenant $i: set-up incomplete (adv=$adv off=$off aff=$aff code=$code)" >&2; return 1; }
  # The link reaches the click path through an asynchronous projection: wait until it redirects.
  for attempt in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/c/$code")" = 302 ] && break
    sleep 0.5
  done
  printf '%s %s\n' "$code" "$token" >"$RUN/tenants/$i"
}
RUN_ID=$(date +%s)
export -f setup_tenant
export BASE OPERATOR_KEY RUN RUN_ID

collect() { # collect FROM TO: codes and tokens of tenants FROM..TO, in order, into codes.txt/tokens.txt
  : >"$RUN/codes.txt"; : >"$RUN/tokens.txt"
  local i
  for i in $(seq "$1" "$2"); do
    [ -s "$RUN/tenants/$i" ] || die "tenant $i was not set up"
    read -r code token <"$RUN/tenants/$i"
    printf '%s\n' "$code" >>"$RUN/codes.txt"
    printf '%s\n' "$token" >>"$RUN/tokens.txt"
  done
}

run_wrk() { # run_wrk MODE CONNECTIONS DURATION OUT [clicks dir]
  BENCH_MODE=$1 BENCH_LABEL=$label BENCH_THREADS=$THREADS BENCH_CODES=$RUN/codes.txt BENCH_TOKENS=$RUN/tokens.txt \
    BENCH_CLICKS=$RUN/clicks.txt BENCH_OUT_DIR=${5:-} \
    wrk -t"$THREADS" -c"$2" -d"$3" --timeout 10s -s "$LUA" "$BASE" >"$4" 2>&1 || { cat "$4" >&2; die "wrk failed"; }
}
field() { grep '^BENCH ' "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
per_s() { awk -v n="$(field "$1" accepted)" -v d="$(field "$1" duration_us)" 'BEGIN { printf "%d", n / (d / 1e6) }'; }

measure() { # measure LABEL: clicks then postbacks over the tenants in codes.txt; sets clicks_s, postbacks_s
  label=$1
  rm -f "$RUN"/clicks/*
  log "$label: warm-up $WARMUP, then clicks for $DURATION ($CONNECTIONS connections) over $(wc -l <"$RUN/codes.txt") link(s)"
  run_wrk clicks "$CONNECTIONS" "$WARMUP" "$RUN/wrk-$label-warmup.txt"
  run_wrk clicks "$CONNECTIONS" "$DURATION" "$RUN/wrk-$label-clicks.txt" "$RUN/clicks"
  clicks_s=$(per_s "$RUN/wrk-$label-clicks.txt")
  cat "$RUN"/clicks/clicks-*.txt | shuf >"$RUN/clicks.txt"
  log "$label: $clicks_s clicks/s; postbacks for $DURATION ($PB_CONNECTIONS connections) over $(wc -l <"$RUN/clicks.txt") recorded clicks"
  run_wrk postbacks "$PB_CONNECTIONS" "$DURATION" "$RUN/wrk-$label-postbacks.txt"
  postbacks_s=$(per_s "$RUN/wrk-$label-postbacks.txt")
  log "$label: $postbacks_s accepted postbacks/s (requests $(field "$RUN/wrk-$label-postbacks.txt" requests), non-2xx $(field "$RUN/wrk-$label-postbacks.txt" non2xx))"
}

log "set-up: tenant 1"
setup_tenant 1 || die "tenant 1 set-up failed"
collect 1 1
measure alone
alone_clicks=$clicks_s alone_postbacks=$postbacks_s

log "set-up: tenants 2..$TENANTS through the API, $PARALLEL clients at once"
setup_start=$(date +%s)
seq 2 "$TENANTS" | xargs -P "$PARALLEL" -I{} bash -c 'setup_tenant {}' || die "tenant set-up failed (see above)"
log "set-up: $TENANTS tenants ready in $(( $(date +%s) - setup_start )) s"

# The ratio compares traffic to one tenant with traffic spread over all N, measured in alternating
# rounds in the same minutes: on a shared machine, runs minutes apart differ by more than any
# tenant-count effect. The run above, before the other tenants existed, is printed for reference.
# Odd rounds measure 1 tenant first, even rounds all N first (A B B A ...): throughput drifts during a run
# (JIT, the other processes here), and a fixed order would credit the drift to whichever side runs second.
one_clicks=0 one_postbacks=0 many_clicks=0 many_postbacks=0
for round in $(seq 1 "$ROUNDS"); do
  order="one many"
  [ $((round % 2)) = 0 ] && order="many one"
  for side in $order; do
    if [ "$side" = one ]; then
      collect 1 1
      measure "one-$round"
      one_clicks=$((one_clicks + clicks_s)) one_postbacks=$((one_postbacks + postbacks_s))
    else
      collect 1 "$TENANTS"
      measure "many-$round"
      many_clicks=$((many_clicks + clicks_s)) many_postbacks=$((many_postbacks + postbacks_s))
    fi
  done
done
one_clicks=$((one_clicks / ROUNDS)) one_postbacks=$((one_postbacks / ROUNDS))
many_clicks=$((many_clicks / ROUNDS)) many_postbacks=$((many_postbacks / ROUNDS))

jcmd "$app_pid" GC.run >/dev/null 2>&1 || true
# Sum of the used space of the heap's generations (not metaspace), after the full GC.
heap_kb=$(jcmd "$app_pid" GC.heap_info 2>/dev/null | grep -E 'Gen|generation|garbage-first heap' \
  | grep -Eo 'used [0-9]+K' | grep -Eo '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
heap_mb=$((heap_kb / 1024))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "0.00" }'; }
cat <<EOT

tenants bench ($(date -u +%FT%TZ), $(nproc) cores shared by wrk, the platform, PostgreSQL, Redis, ES):
  platform:  $JAVA_OPTS $APP_ARGS, default rate limits on
  alone:     $alone_clicks clicks/s, $alone_postbacks accepted postbacks/s (tenant 1 before the others existed)
  1 tenant:  $one_clicks clicks/s, $one_postbacks accepted postbacks/s (traffic to tenant 1 only; mean of $ROUNDS rounds)
  $TENANTS tenants: $many_clicks clicks/s, $many_postbacks accepted postbacks/s (traffic over all; mean of $ROUNDS rounds)
  heap:      $heap_mb MB used after a full GC with $TENANTS tenants
  files:     $RUN (BENCH_KEEP=true keeps them)
EOT
printf 'tenants=%s clicks_ratio=%s postbacks_ratio=%s heap_mb=%s\n' "$TENANTS" \
  "$(ratio "$many_clicks" "$one_clicks")" "$(ratio "$many_postbacks" "$one_postbacks")" "$heap_mb"
