#!/usr/bin/env bash
# What reading the sink's files back into the dedup journal costs at start-up (SinkRebuild): a lake of RECORDS
# records (bench/GenerateLake.java) in a fresh node's file sink and no dedup journal, so start-up reads every file
# back, against the same start with no lake. Prints both times to /ready and the service's own line
# "dedup: N id(s) read back ... (T ms)". After a kill -9 start-up reads only the files modified since the oldest
# journal mark less the commit lag (about dedup.journal_fsync_ms + the request timeout: a minute by default), so
# its cost is this one scaled to the records of that minute.
# Usage: bench/rebuild-cost.sh [records]    (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
records=${1:-1000000}
port=${PORT:-18712}
require_built

run() {
  local label=$1 dir=$2 started
  started=$(millis)
  start_service "$port" "$dir"
  await_http "http://127.0.0.1:$port/ready" 12000
  echo "$label: /ready after $(( $(millis) - started )) ms; $(grep -o 'dedup: [0-9]* id(s) read back.*ms)' "$dir/service.log" || echo 'no read-back line')"
  stop_all
}

run "no lake" "$bench_work/empty"
java bench/GenerateLake.java "$bench_work/lake/data/events" "$records" > /dev/null
echo "lake: $(du -sh "$bench_work/lake/data/events" | cut -f1) in $(find "$bench_work/lake/data/events" -type f | wc -l) files"
run "$records records" "$bench_work/lake"
