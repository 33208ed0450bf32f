#!/bin/sh
# Compiles the module (main and test classes) and runs one of its main classes with its class path.
#   traffic-distribution/run.sh io.affnet.distribution.eval.EvalMain [--seeds N] [--scenario FILE.json ...]
#   traffic-distribution/run.sh io.affnet.distribution.bench.DecisionBench [quick]
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cp_file="$root/traffic-distribution/target/classpath.txt"
mvn -B -q -pl traffic-distribution -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
exec java -cp "traffic-distribution/target/classes:traffic-distribution/target/test-classes:$(cat "$cp_file")" "$@"
