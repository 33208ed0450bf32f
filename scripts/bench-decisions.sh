#!/usr/bin/env bash
# Per-decision latency of each traffic-distribution policy (JMH, SampleTime): ./affnet bench decisions [quick]
# Prints one line per policy: policy=<name> p50_us=<n> p99_us=<n>.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"
exec traffic-distribution/run.sh io.affnet.distribution.bench.DecisionBench "$@"
