#!/usr/bin/env bash
# ./affnet chaos [--scenario NAME]... [--minutes N]: the fault harness of issue 17 (docs/operations.md, Faults).
# Platform nodes as child JVMs on a database and index prefix of their own, every store behind a TCP relay,
# mixed load, one fault at a time, then convergence and the checks against what the load generator was told
# (io.affnet.platform.chaos.ChaosRun through ./affnet test). Scenarios: redis kill elasticsearch postgres two-nodes;
# only when named: slow-postgres slow-redis (200 ms added to every answer for 30 s) redis-120 (Redis out for 120 s)
# clock-step (the node's platform Clock stepped +5 min then -5 min under load; docs/operations.md), postgres-60
# (PostgreSQL paused for 60 s), postgres-cut (a commit's connection cut as it commits, then every connection cut).
# The last line is: scenarios=<n> acked_lost=<n> duplicate_conversions=<n> double_deliveries=<n> double_payouts=<n>
#                   views_converged=<true|false> max_recovery_s=<n> contradicted=<n>  (+ clock_violations=<n> with clock-step,
#                   shed_violations=<n> with slow-postgres/slow-redis: slow-store scenarios that did not shed load)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

scenarios=""
minutes=5
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenarios="${scenarios:+$scenarios,}${2:?--scenario needs a name}"; shift 2 ;;
    --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
    *) die "usage: ./affnet chaos [--scenario redis|kill|elasticsearch|postgres|two-nodes|slow-postgres|slow-redis|redis-120|clock-step|postgres-60|postgres-cut]... [--minutes N]" ;;
  esac
done
# two-nodes (in the default set) sends its load through nginx (ops/nginx/affnet.conf): installed when missing,
# as for ./affnet bench clicks; AFFNET_NGINX names another binary. The scenario itself fails without one.
case ",${scenarios:-two-nodes}," in
  *,two-nodes,*) [ -n "${AFFNET_NGINX:-}" ] || need_cmd nginx nginx-light ;;
esac
out=platform/target/chaos.log
mkdir -p platform/target
rm -f platform/target/chaos.txt
log "chaos: scenarios ${scenarios:-all}, --minutes $minutes (log: $out; node logs: platform/target/chaos/)"
if ! ./affnet test -q -pl platform -am -Dsurefire.failIfNoSpecifiedTests=false -Daffnet.payout-flow.skip=true -Dtest=ChaosRun \
    -Dchaos.scenarios="$scenarios" -Dchaos.minutes="$minutes" >"$out" 2>&1; then
  grep -E "^chaos: " "$out" >&2 || true
  tail -n 40 "$out" >&2
  die "chaos run failed (full output: $out)"
fi
grep -E "^chaos: " "$out" || true
tail -n 1 platform/target/chaos.txt
