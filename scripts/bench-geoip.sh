#!/usr/bin/env bash
# Added cost of the GeoIP lookup per click: ./affnet bench geoip [quick|cpu]
# JMH average wall time per lookup (µs); with cpu, the thread CPU time per lookup (µs) instead.
# Parses the client IP, finds country and AS in memory, tests the AS against the hosting networks.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AFFNET_ROOT"
geoip_up
export AFFNET_GEOIP_DIR
cp_file="$AFFNET_ROOT/command-side/target/classpath.txt"
mvn -B -q -pl command-side -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
exec java -cp "command-side/target/classes:command-side/target/test-classes:$(cat "$cp_file")" \
  io.affnet.command.geo.GeoIpBench "$@"
