#!/usr/bin/env bash
# ./affnet eval audit [--seeds N] [--steps N]: random activity in two tenants per seed (clicks, postbacks with
# every status move, configuration changes), live commission figures recorded at random instants, each
# instant replayed and compared field by field, then 14 kinds of tampering with the store, each followed by
# the chain verifier (io.affnet.platform.eval.AuditEval, on a database of its own through ./affnet test).
# The last line is: instants=<n> mismatches=<n> tamper_cases=<n> tamper_detected=<n> replay_events_per_s=<n>
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cd "$AFFNET_ROOT"

seeds=1
steps=400
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=${2:?--seeds needs a number}; shift 2 ;;
    --steps) steps=${2:?--steps needs a number}; shift 2 ;;
    *) die "usage: ./affnet eval audit [--seeds N] [--steps N]" ;;
  esac
done
out=platform/target/eval-audit.log
mkdir -p platform/target
rm -f platform/target/eval-audit.txt
log "eval audit: $seeds seed(s) of $steps steps (log: $out)"
if ! ./affnet test -q -pl platform -am -Dsurefire.failIfNoSpecifiedTests=false -Daffnet.payout-flow.skip=true -Dtest=AuditEval \
    -Deval.seeds="$seeds" -Deval.steps="$steps" -Dlogging.level.root=WARN >"$out" 2>&1; then
  grep -E "^(mismatch|tamper) " "$out" >&2 || true
  tail -n 40 "$out" >&2
  die "eval failed (full output: $out)"
fi
grep -E "^(mismatch|tamper) " "$out" || true
tail -n 1 platform/target/eval-audit.txt
