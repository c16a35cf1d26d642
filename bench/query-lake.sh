#!/usr/bin/env bash
# Times the query tool (JVM start, DuckDB, views, answer) over a generated lake of N records:
#   bench/query-lake.sh [RECORDS] [LAKE_DIR]      (default 1000000 records in target/bench-lake-RECORDS)
# Needs query/target/game-events-query.jar (mvn -B -q package -DskipTests at the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
lake=${2:-target/bench-lake-$records}
jar=query/target/game-events-query.jar
[ -f "$jar" ] || { echo "no $jar: run mvn -B -q package -DskipTests first" >&2; exit 1; }
if [ ! -d "$lake" ]; then
  echo "generating $records records in $lake"
  java bench/GenerateLake.java "$lake" "$records"
fi
echo "lake: $(du -shL "$lake" | cut -f1), $(find -L "$lake" -name '*.ndjson*' | wc -l) files; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
TIMEFORMAT='%R s wall, %U s user, %S s sys'
run() {
  echo "== $*"
  for attempt in 1 2 3; do
    { time java -jar "$jar" --lake "$lake" "$@" >/dev/null; } 2>&1
  done
}
run "SELECT count(*) FROM game_events"
run "SELECT event_type, count(*) FROM game_events GROUP BY event_type"
run --report revenue
run --report duplicates
