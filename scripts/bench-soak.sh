#!/usr/bin/env bash
# ./affnet bench soak [--minutes N] [--jfr] [--rate R]: one platform node (a child JVM on a database of its own, outbound
# postbacks to a local receiver) under mixed load at half of its measured capacity (the same mix, closed loop, whole
# stack: requests answered over the load's time plus the processors' catch-up) for N minutes (default 30; CI may run 2;
# --rate R offers R requests/s instead, to compare code at one load):
# p99 latency per path, the highest processor lag, heap after a full GC at the start and the end, database
# connections, errors (io.affnet.platform.bench.SoakBench; docs/operations.md, "Soak"). The last line is:
# minutes=<n> clicks=<n> postbacks=<n> p99_click_ms=<n> p99_postback_ms=<n> lag_max_s=<n> heap_growth_mb=<n> errors=<n> lag_worst=<group>
# (lag_worst: the processing group whose lag reached lag_max_s). --jfr records the node during the load
# (platform/target/soak/soak.jfr; read it with scripts/jfr-top.py). The per-sample timeline (lag, worst group,
# machine load) is in the log as soak-sample: lines.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

minutes=30
jfr=false
rate=
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
    --jfr) jfr=true; shift ;;
    --rate) rate=${2:?--rate needs requests per second}; shift 2 ;;
    *) die "usage: ./affnet bench soak [--minutes N] [--jfr] [--rate R]" ;;
  esac
done
log "bench soak: $minutes min at half the measured capacity (log: platform/target/bench-soak.log; node log: platform/target/soak/)"
measure_in_test_jvm bench-soak "^soak:" -Dtest=SoakBench -Dbench.minutes="$minutes" -Dbench.jfr="$jfr" -Dbench.rate="$rate"
