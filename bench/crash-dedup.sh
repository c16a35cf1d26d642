#!/usr/bin/env bash
# No second copy after a crash, longer than in CI: CrashDedupIT with 20 kill -9s (CI runs 3) of the jar under
# load from 16 clients sending 20-event batches from the moment /ready answers, each kill once a different
# (seeded) number of events, 2,000 to 30,000, was acknowledged in that round; restarts on the same
# directories, the clients re-sending what was never answered while they go on sending; odd rounds write gzip
# files. After the last restart EVERY acknowledged event is sent again: each must be answered `duplicate`, and the
# sink must hold each event once. Prints one CRASH-DEDUP line: the seed (pass it back as the second argument to
# replay the same kill moments), each kill's acknowledged and unanswered counts, the events accepted again and
# stored twice, and, if any, how long before its kill each forgotten event had been acknowledged.
# Usage: bench/crash-dedup.sh [rounds] [seed]
# Needs: the fat jar (mvn -B -q package -DskipTests) and the test classes (the script compiles them).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
seed=${2:-}
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests
# 20 rounds take 8-10 minutes on the shared machine (most of it re-sending every acknowledged event), beyond the
# 5-minute per-test limit in junit-platform.properties that CI keeps: a system property overrides that file
mvn -B -q test-compile failsafe:integration-test failsafe:verify -Dit.test=CrashDedupIT \
  -Djunit.jupiter.execution.timeout.testable.method.default="$((5 + 2 * rounds)) m" \
  -Dcrash.rounds="$rounds" -Dcrash.clients=16 -Dcrash.kill_within=30000 ${seed:+-Dcrash.seed="$seed"} || failed=1
grep -h '^CRASH-DEDUP' target/failsafe-reports/io.gameevents.CrashDedupIT-output.txt
exit ${failed:-0}
