#!/usr/bin/env bash
# Before/after in one run: the service (default config, as in bench/compare.sh) in two or more
# variants, alternated ROUNDS times, each driven with wrk (single events, then 100-event batches).
# A variant is a label and assignments separated by '|': SERVICE_JAR, SERVICE_JAVA_OPTS and SERVICE_CONF (bench/lib.sh),
# anything else goes to the service's environment (README.md's GAME_EVENTS_* overrides), e.g.
#   bench/ab.sh "nio|SERVICE_JAR=/tmp/before.jar" "epoll"
#   bench/ab.sh "g1" "parallel|SERVICE_JAVA_OPTS=-XX:+UseParallelGC -Xmx1g"
#   bench/ab.sh "http2" "http1|GAME_EVENTS_HTTP_INSTANCES=1"
# Usage: ROUNDS=3 DURATION=10 bench/ab.sh VARIANT...     (builds nothing)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=${PORT:-18706}
connections=${CONNECTIONS:-128}
duration=${DURATION:-10}
warmup=${WARMUP:-5}
rounds=${ROUNDS:-3}
require_built

jar=$SERVICE_JAR
opts=$SERVICE_JAVA_OPTS
conf=${SERVICE_CONF:-}
for round in $(seq 1 "$rounds"); do
  for variant in "$@"; do
    IFS='|' read -r -a parts <<< "$variant"
    label=${parts[0]}
    SERVICE_JAR=$jar
    SERVICE_JAVA_OPTS=$opts
    SERVICE_CONF=$conf
    SERVICE_ENV=()
    for assignment in "${parts[@]:1}"; do
      case $assignment in
        SERVICE_JAR=*) SERVICE_JAR=${assignment#*=} ;;
        SERVICE_JAVA_OPTS=*) SERVICE_JAVA_OPTS=${assignment#*=} ;;
        SERVICE_CONF=*) SERVICE_CONF=${assignment#*=} ;;
        *) SERVICE_ENV+=("$assignment") ;;
      esac
    done
    start_service "$port" "$bench_work/$label-$round"
    await_http "http://127.0.0.1:$port/ready"
    single=$(wrk_line install-event.lua)
    batch=$(wrk_line batch-event.lua)
    printf "round %s %-12s single: %s | batch: %s\n" "$round" "$label" "$single" "$batch"
    stop_all
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
