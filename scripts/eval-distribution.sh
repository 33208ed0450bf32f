#!/usr/bin/env bash
# Offline evaluation of traffic-distribution policies: ./affnet eval distribution [ARGS]
# Builds the module (and what it depends on), then runs io.affnet.distribution.eval.EvalMain
# with ARGS. The reference data is the repository's own data/ (AFFNET_DATA_DIR names another).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"

# One reactor run: the package phase makes api-contracts' jar visible to build-classpath.
# A relative outputFile resolves against each module's own directory.
mvn -B -q -ntp -pl traffic-distribution -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

cp_file=traffic-distribution/target/classpath.txt
[ -f "$cp_file" ] || die "eval: $cp_file was not written"
exec java -cp "traffic-distribution/target/classes:$(cat "$cp_file")" \
  io.affnet.distribution.eval.EvalMain "$@"
