# Outbound postback measurement shared by bench-postbacks.sh and bench-outbound.sh (source after lib.sh).
# A local receiver (scripts/bench-receiver.py) writes down when each postback arrives; the report joins
# those arrivals with outbound_delivery and outbound_attempt:
#   deliveries_per_s = deliveries received / (last first-arrival - first first-arrival)
#   delivery_p99_ms  = p99 of (first arrival at the receiver - the conversion event's timestamp)
# A delivery id that arrives more than once (a retry) counts once, at its first arrival.

OUTBOUND_PROCESSOR=outbound-postbacks
outbound_receiver_pid=
outbound_receiver_port=
outbound_arrivals=
outbound_keys=

# outbound_receiver_start DIR: starts the receiver, logging to DIR/outbound-arrivals.tsv.
outbound_receiver_start() {
  need_cmd python3 python3
  outbound_arrivals=$1/outbound-arrivals.tsv
  rm -f "$1/outbound-receiver.port" "$outbound_arrivals"
  python3 "$AFFNET_ROOT/scripts/bench-receiver.py" "$1/outbound-receiver.port" "$outbound_arrivals" \
    >"$1/outbound-receiver.log" 2>&1 &
  outbound_receiver_pid=$!
  wait_until 10 test -s "$1/outbound-receiver.port" || die "the outbound receiver did not start ($1/outbound-receiver.log)"
  outbound_receiver_port=$(head -n 1 "$1/outbound-receiver.port")
  log "outbound: receiver pid $outbound_receiver_pid on 127.0.0.1:$outbound_receiver_port, arrivals in $outbound_arrivals"
}

outbound_receiver_stop() {
  if [ -n "$outbound_receiver_pid" ] && kill -0 "$outbound_receiver_pid" 2>/dev/null; then
    kill -TERM "$outbound_receiver_pid" 2>/dev/null || true
    wait "$outbound_receiver_pid" 2>/dev/null || true
  fi
  outbound_receiver_pid=
}

# outbound_template_url: the global template the benches give their affiliate.
outbound_template_url() {
  printf 'http://127.0.0.1:%s/pb?c={click_id}&tx={transaction_id}&p={payout}' "$outbound_receiver_port"
}

# outbound_pending DB TENANT: events the enqueuing processor has not read yet + deliveries not finished.
outbound_pending() {
  bench_psql "$1" -Atc "SELECT
    (SELECT coalesce((SELECT max(globalindex) FROM domainevententry) - min(coalesce(
        substring(convert_from(t.token, 'UTF8') from '\"index\":([0-9]+)'),
        substring(convert_from(t.token, 'UTF8') from '\"globalIndex\":([0-9]+)'))::bigint), 0)
     FROM tokenentry t WHERE t.processorname = '$OUTBOUND_PROCESSOR' AND t.token IS NOT NULL)
    + (SELECT count(*) FROM outbound_delivery WHERE tenant_id = '$2' AND state IN ('PENDING', 'IN_FLIGHT'))"
}
outbound_drained() { [ "$(outbound_pending "$1" "$2")" -le 0 ]; }

# outbound_drain DB TENANT SECONDS: waits (at most SECONDS) until every delivery has been sent.
outbound_drain() {
  local start=$SECONDS pending
  pending=$(outbound_pending "$1" "$2")
  if wait_until "$3" outbound_drained "$1" "$2"; then
    log "outbound: $pending events/deliveries pending at the end of the run; drained in $((SECONDS - start)) s"
  else
    warn "outbound: still $(outbound_pending "$1" "$2") events/deliveries pending after $3 s"
  fi
}

# outbound_report DB TENANT TXN_LIKE: prints the summary lines for the deliveries of the conversions
# whose transaction id is LIKE TXN_LIKE and sets outbound_keys (for the last line).
outbound_report() {
  local db=$1 tenant=$2 like=$3 row
  row=$(bench_psql "$db" -qAt -F ' ' -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE arrival (at_ms double precision, delivery_id text, attempt text, click text, txn text);
\copy arrival FROM '$outbound_arrivals' (FORMAT text)
CREATE TEMP TABLE timing AS
  SELECT f.delivery_id, f.at_ms, f.requests,
         EXTRACT(EPOCH FROM d.event_at) * 1000 AS event_ms,
         EXTRACT(EPOCH FROM d.created_at) * 1000 AS enqueued_ms,
         (SELECT EXTRACT(EPOCH FROM min(a.started_at)) * 1000 FROM outbound_attempt a WHERE a.delivery_id = f.delivery_id) AS claimed_ms
  FROM (SELECT delivery_id, min(at_ms) AS at_ms, count(*) AS requests FROM arrival
        WHERE txn LIKE '$like' AND delivery_id <> '' GROUP BY delivery_id) f
  JOIN outbound_delivery d ON d.delivery_id = f.delivery_id AND d.tenant_id = '$tenant';
SELECT (SELECT count(*) FROM outbound_delivery WHERE tenant_id = '$tenant' AND url LIKE '%&tx=$like&%'),
       count(*),
       coalesce(sum(requests - 1), 0),
       coalesce(round((count(*) / greatest((max(at_ms) - min(at_ms)) / 1000, 0.001))::numeric)::text, 'NA'),
       coalesce(round(((max(at_ms) - min(at_ms)) / 1000)::numeric, 1)::text, 'NA'),
       coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY at_ms - event_ms)::numeric, 2)::text, 'NA'),
       coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY at_ms - event_ms)::numeric, 2)::text, 'NA'),
       coalesce(round(max(at_ms - event_ms)::numeric, 2)::text, 'NA'),
       coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY enqueued_ms - event_ms)::numeric, 1)::text, 'NA'),
       coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY enqueued_ms - event_ms)::numeric, 1)::text, 'NA'),
       coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY claimed_ms - enqueued_ms)::numeric, 1)::text, 'NA'),
       coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY claimed_ms - enqueued_ms)::numeric, 1)::text, 'NA'),
       coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY at_ms - claimed_ms)::numeric, 1)::text, 'NA'),
       coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY at_ms - claimed_ms)::numeric, 1)::text, 'NA')
FROM timing;
SQL
)
  local enqueued received resent per_s span p50 p99 max eq50 eq99 cl50 cl99 se50 se99
  read -r enqueued received resent per_s span p50 p99 max eq50 eq99 cl50 cl99 se50 se99 <<<"$row"
  cat <<EOF
  outbound:    $received of $enqueued deliveries received by the local receiver ($((enqueued - received)) not), $resent re-sent copies; $per_s/s over $span s (first to last arrival)
  delay:       conversion event -> arrival p50 $p50 ms, p99 $p99 ms, max $max ms; of which enqueue (event -> row) p50/p99 $eq50/$eq99 ms,
               claim (row -> attempt) $cl50/$cl99 ms, send (attempt -> arrival) $se50/$se99 ms
EOF
  outbound_keys="deliveries_per_s=$per_s delivery_p99_ms=$p99"
}
