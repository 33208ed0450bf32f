#!/usr/bin/env bash
# ./affnet bench payouts [--affiliates N] [--saga-segments N]: one payout run paying N affiliates (default 10,000; half through
# Stripe Connect, half through PayPal, in EUR, USD and GBP) on the whole platform (real PostgreSQL, Redis and
# Elasticsearch through ./affnet test, its own database) against the local Stripe and PayPal fakes, from the
# approval until every payout is PAID (io.affnet.platform.bench.PayoutBench). The earnings and the confirmed
# payout methods are set up with commands first (not measured). See docs/payouts.md, "Bench".
# The last line is:
# affiliates=<n> run_seconds=<n> payouts_per_s=<n> p99_saga_ms=<n> cpu_us_per_payout=<n>
# (cpu_us_per_payout: user+system CPU of the platform's JVM, fakes included, from /proc/self/stat, per payout.)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

affiliates=10000
wait_seconds=1800
saga_segments=
while [ $# -gt 0 ]; do
  case "$1" in
    --affiliates) affiliates=${2:?--affiliates needs a number}; shift 2 ;;
    --wait) wait_seconds=${2:?--wait needs seconds}; shift 2 ;;
    --saga-segments) saga_segments=${2:?--saga-segments needs a number}; shift 2 ;;
    *) die "usage: ./affnet bench payouts [--affiliates N] [--saga-segments N] [--wait SECONDS]" ;;
  esac
done
log "bench payouts: one run paying $affiliates affiliates through the Stripe and PayPal fakes (log: platform/target/bench-payouts.log)"
measure_in_test_jvm bench-payouts "^bench payouts:" -Dtest=PayoutBench -Dbench.affiliates="$affiliates" \
  -Dbench.wait-seconds="$wait_seconds" ${saga_segments:+-Daffnet.payouts.saga-segments=$saga_segments}
