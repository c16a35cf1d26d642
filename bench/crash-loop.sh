#!/usr/bin/env bash
# The crash proof, longer than in CI: CrashRecoveryIT with 20 kill -9s (CI runs 3) under load from
# 8 clients sending single events, each kill once a different (seeded) number of events is
# acknowledged, restarts on the same data directory, odd rounds writing gzip files. Asserts that
# every acknowledged id is in the sink, every line of every file is whole JSON, and an id is stored
# twice only if it was unacknowledged when a kill came. Prints one CRASH line: the seed (pass it
# back as the second argument to replay the same kill moments), each kill's acknowledged and
# unacknowledged counts, and the copies.
# Usage: bench/crash-loop.sh [rounds] [seed]
# Needs: the fat jar (mvn -B -q package -DskipTests) and the test classes (the script compiles them).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
seed=${2:-}
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests
mvn -B -q test-compile failsafe:integration-test failsafe:verify -Dit.test=CrashRecoveryIT \
  -Dcrash.rounds="$rounds" ${seed:+-Dcrash.seed="$seed"}
grep -h '^CRASH' target/failsafe-reports/io.gameevents.CrashRecoveryIT-output.txt
