#!/usr/bin/env bash
# Start-up to /ready with the file sink and the default config (conf/config.json, data in a fresh temp
# dir each time), RUNS times: wall time from launch to the first 200 on /ready, and the CPU time the
# process had used by then (user + system, all threads), which a loaded machine distorts less.
# Then the same with application class-data sharing (README.md, "Faster start-up"): one training
# run writes an archive of the loaded classes (-XX:ArchiveClassesAtExit), the measured runs map it
# (-XX:SharedArchiveFile).
# Usage: RUNS=5 bench/startup.sh    (SERVICE_JAVA_OPTS as in bench/compare.sh; CDS=0 skips the second part)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${RUNS:-5}
port=${PORT:-18702}
require_built
ticks=$(getconf CLK_TCK)

# measure LABEL: RUNS start-ups with the current SERVICE_JAVA_OPTS; prints each and the median
measure() {
  local walls=() run started pid wall cpu
  for run in $(seq 1 "$runs"); do
    started=$(millis)
    start_service "$port" "$bench_work/$1-$run"
    pid=${bench_pids[-1]}
    await_http "http://127.0.0.1:$port/ready"
    wall=$(( $(millis) - started ))
    cpu=$(awk -v t="$ticks" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$pid/stat")
    walls+=("$wall")
    echo "$1, run $run: /ready after $wall ms, $cpu ms CPU"
    stop_all
  done
  echo "$1: median $(printf "%s\n" "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') ms over $runs runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

measure "plain"
if [ "${CDS:-1}" != 0 ]; then
  archive=$bench_work/game-events.jsa
  options=$SERVICE_JAVA_OPTS
  SERVICE_JAVA_OPTS="$options -XX:ArchiveClassesAtExit=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
  start_service "$port" "$bench_work/training"
  await_http "http://127.0.0.1:$port/ready"
  stop_all # the archive is written as the JVM exits
  SERVICE_JAVA_OPTS="$options -XX:SharedArchiveFile=$archive -Xlog:cds=off"
  measure "with a CDS archive"
fi
