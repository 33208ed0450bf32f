#!/usr/bin/env bash
# ./affnet eval payouts [--crash] [--seeds N] [--affiliates N] [--real N] [--parallel N] [--seed S]: per seed, a tenant on the whole platform (real
# PostgreSQL, Redis, Elasticsearch through ./affnet test) connects the local Stripe and PayPal fakes with seeded
# faults (429/409/503 refusals; ambiguous commits: effect applied then the connection dropped, a 500, or an
# answer after the read timeout; webhooks delayed and duplicated); its affiliates earn in EUR, USD or GBP (--real N of
# them through clicks and postbacks, default a tenth and at least 3; the others through ledger commands in bulk),
# half are paid through Stripe and half through PayPal, about a quarter in another currency (FX), a payout run is
# approved and its sagas pay; then the ledger's payouts are reconciled with what the fakes hold, and each currency's
# ledger with the FX account (io.affnet.platform.payout.processors.PayoutEvalIT). --parallel N runs N seeds at once. Between a first and a
# second run: reversals after payment, payout method changes and new earnings (docs/payout-processors.md).
# After the first run, paid payouts are also reversed (Stripe) or returned (PayPal) at the processor.
# --crash runs PayoutCrashEvalIT instead: the platform is a child JVM, SIGKILLed during each seed's payout runs
# and started again (two kills per seed, the second inside a payout-retry deadline's execution; the default of one
# seed is what the suite runs).
# The last line is:
# seeds=<n> payouts=<n> paid_once=<n> double_paid=<n> lost=<n> stuck=<n> invariant_violations=<n> ledger_drift_minor=<n>
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

seeds=2
affiliates=6
seed=1
real=
parallel=1
crash=
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=${2:?--seeds needs a number}; shift 2 ;;
    --affiliates) affiliates=${2:?--affiliates needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --real) real=${2:?--real needs a number}; shift 2 ;;
    --parallel) parallel=${2:?--parallel needs a number}; shift 2 ;;
    --crash) crash=1; shift ;;
    *) die "usage: ./affnet eval payouts [--crash] [--seeds N] [--affiliates N] [--real N] [--parallel N] [--seed S]" ;;
  esac
done
if [ -n "$crash" ]; then
  log "eval payouts --crash: $seeds seed(s) from $seed, $affiliates affiliates each, two SIGKILLs of the platform per seed (log: platform/target/eval-payouts-crash.log)"
  measure_in_test_jvm eval-payouts-crash "^seed=" -Dtest=PayoutCrashEvalIT -Deval.seeds="$seeds" -Deval.affiliates="$affiliates" -Deval.seed="$seed"
fi
log "eval payouts: $seeds seed(s) from $seed, $affiliates affiliates each${real:+ ($real through clicks and postbacks)}, $parallel at once (log: platform/target/eval-payouts.log)"
measure_in_test_jvm eval-payouts "^seed=" -Dtest=PayoutEvalIT -Deval.seeds="$seeds" -Deval.affiliates="$affiliates" -Deval.seed="$seed" \
  -Deval.parallel="$parallel" ${real:+-Deval.real-affiliates="$real"}
