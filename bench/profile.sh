#!/usr/bin/env bash
# Where the service's CPU and allocation go under load: the fat jar with the default config (as in
# bench/compare.sh), wrk for a warm-up, then a JFR recording (settings=profile) during a measured
# wrk run, summarised by io.gameevents.bench.JfrTop (self and inclusive CPU samples, allocation per
# event). The recording is kept as target/profile-<script>.jfr for `jfr print` / `jfr summary`.
# Usage: bench/profile.sh [install-event.lua|batch-event.lua] [seconds] [focus regex for the inclusive table]
# Builds nothing (needs the jar and the bench classes, see bench/compare.sh). SERVICE_JAVA_OPTS as there.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
script=${1:-install-event.lua}
duration=${2:-15}
focus=${3:-.}
port=${PORT:-18701}
connections=${CONNECTIONS:-128}
require_built

start_service "$port" "$bench_work/service"
pid=${bench_pids[-1]}
await_http "http://127.0.0.1:$port/ready"
wrk -t1 -c"$connections" -d5s -s "bench/$script" "http://127.0.0.1:$port" > /dev/null
recording="target/profile-${script%.lua}.jfr"
jcmd "$pid" JFR.start name=bench settings=profile filename="$PWD/$recording" > /dev/null
line=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s "bench/$script" "http://127.0.0.1:$port" | tail -1)
jcmd "$pid" JFR.stop name=bench > /dev/null
echo "$script: $line"
per_request=$([ "$script" = batch-event.lua ] && echo 100 || echo 1)
events=$(awk -v line="$line" -v d="$duration" -v n="$per_request" \
  'BEGIN { split(line, f, "requests/s: "); split(f[2], r, " "); printf "%d", r[1] * d * n }')
java -cp target/game-events.jar:target/test-classes io.gameevents.bench.JfrTop "$recording" "$events" 30 "$focus"
