#!/usr/bin/env bash
# Runs JMH benchmarks from the test classpath. Arguments go to org.openjdk.jmh.Main, e.g.
#   bench/jmh.sh DedupStoreBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
if [ ! -f target/test-classes/META-INF/BenchmarkList ]; then
  echo "JMH annotation processor did not run: target/test-classes/META-INF/BenchmarkList missing" >&2
  exit 1
fi
exec java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" org.openjdk.jmh.Main "$@"
