#!/usr/bin/env bash
# Node loss under load, longer than in CI: an edge and two workers (fat jars on loopback), clients
# sending single events through the edge and retrying what fails, then one worker is lost
# (kill -9, then in a second run SIGSTOP: a hung node that only missed heartbeats reveal).
# Asserts what ClusterIT asserts (no acknowledged event missing, second copies only after a failed
# attempt) and prints one CLUSTER-FAILOVER line per run: takeover time (kill -> edge /ready 200
# again), failed attempts, ids stored twice, and how long failures lasted.
# Usage: bench/cluster-failover.sh [events] [client_lanes]
# Needs: the fat jar (mvn -B -q package -DskipTests) and the test classes (the script compiles them).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-20000}
lanes=${2:-16}
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests
mvn -B -q test-compile failsafe:integration-test failsafe:verify -Dit.test=ClusterIT#*Worker* \
  -Dclusterit.events="$events" -Dclusterit.lanes="$lanes"
grep -h CLUSTER-FAILOVER target/failsafe-reports/io.gameevents.cluster.ClusterIT-output.txt
