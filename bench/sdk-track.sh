#!/usr/bin/env bash
# The SDK's track() latency with the disk queue on (a timed loop, see TrackLatencyBench), e.g.
#   bench/sdk-track.sh 10000 20     # 10,000 events/s for 20 s after a warm-up
set -euo pipefail
cd "$(dirname "$0")/../sdk"
mvn -B -q -o test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
  io.gameevents.sdk.bench.TrackLatencyBench "$@"
