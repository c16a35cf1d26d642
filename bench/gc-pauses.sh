#!/usr/bin/env bash
# The service's GC pauses under a fixed arrival rate, next to the open-loop latency they add to
# (bench/HISTORY.md, "p99 at a fixed rate and GC"). Starts the fat jar with conf/config.json as
# bench/compare.sh does, with -Xlog:gc added to SERVICE_JAVA_OPTS, warms it with wrk, then runs
# io.gameevents.bench.OpenLoopLoad at RATE; prints the generator's line and the young pauses logged
# while it ran (warm-up included): count, total, longest, and the share of the wall clock.
#
# Usage: RATE=6000 bench/gc-pauses.sh
#        SERVICE_JAVA_OPTS='-XX:MaxGCPauseMillis=20' RATE=6000 bench/gc-pauses.sh   (a candidate setting)
# Builds nothing (target/game-events.jar and mvn -B -q test-compile). Environment: PORT (18710), RATE (5000),
# CONNECTIONS (128), DURATION (20), WARMUP (10), OPEN_LOOP_TICK_US (250).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

port=${PORT:-18710}
rate=${RATE:-5000}
connections=${CONNECTIONS:-128}
duration=${DURATION:-20}
warmup=${WARMUP:-10}
require_built
gc_log=$bench_work/gc.log
SERVICE_JAVA_OPTS="$SERVICE_JAVA_OPTS -Xlog:gc:file=$gc_log:uptime"
start_service "$port" "$bench_work/service"
await_http "http://127.0.0.1:$port/ready"
wrk -t1 -c"$connections" -d10s -s bench/install-event.lua "http://127.0.0.1:$port" > /dev/null # the JIT's warm-up
logged_before=$(wc -l < "$gc_log")
started=$(millis)
java -cp target/game-events.jar:target/test-classes io.gameevents.bench.OpenLoopLoad \
  url="http://127.0.0.1:$port/v1/events/install" rate="$rate" seconds="$duration" warmup="$warmup" \
  connections="$connections" tick_us="${OPEN_LOOP_TICK_US:-250}" | tail -1
wall_ms=$(( $(millis) - started ))
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), SERVICE_JAVA_OPTS: ${SERVICE_JAVA_OPTS% -Xlog*}"
tail -n +"$(( logged_before + 1 ))" "$gc_log" | awk -v wall="$wall_ms" '
  /Pause/ { ms = $NF; sub("ms", "", ms); n++; total += ms; if (ms > max) max = ms; if (heap == "") heap = $(NF - 1) }
  END { printf "GC during the open-loop run: %d pauses, %.1f ms in all, longest %.1f ms, %.2f%% of %d ms; first: %s\n",
        n, total, max, 100 * total / wall, wall, heap }'
