#!/usr/bin/env bash
# Offline evaluation of traffic-distribution policies: ./affnet eval distribution [ARGS]
# Builds the module (and what it depends on), then runs io.affnet.distribution.eval.EvalMain
# with ARGS. AFFNET_DATA_DIR points at the reference data (../shared/data beside the checkout).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"

if [ -z "${AFFNET_DATA_DIR:-}" ] && [ -d "$AFFNET_ROOT/../shared/data" ]; then
  AFFNET_DATA_DIR=$(cd "$AFFNET_ROOT/../shared/data" && pwd -P)
fi
export AFFNET_DATA_DIR="${AFFNET_DATA_DIR:-}"
if [ -z "${AFFNET_SHARED:-}" ] && [ -d "$AFFNET_ROOT/../shared" ]; then
  AFFNET_SHARED=$(cd "$AFFNET_ROOT/../shared" && pwd -P)
  export AFFNET_SHARED
fi

# One reactor run: the package phase makes api-contracts' jar visible to build-classpath.
# A relative outputFile resolves against each module's own directory.
mvn -B -q -ntp -pl traffic-distribution -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

cp_file=traffic-distribution/target/classpath.txt
[ -f "$cp_file" ] || die "eval: $cp_file was not written"
exec java -cp "traffic-distribution/target/classes:$(cat "$cp_file")" \
  io.affnet.distribution.eval.EvalMain "$@"
