#!/usr/bin/env bash
# The service next to its ceilings, in one run, with the same load (bench/README.md, "Side by side"):
#   nginx    Debian's nginx-light answering `return 200` (its own temporary config);
#   bare     a Vert.x 5 route from this project's own jar: reads the body, answers a fixed 200,
#            2 verticle instances (io.gameevents.bench.BareRoute);
#   service  the fat jar with conf/config.json (file sink, fsync per batch), data in a temp dir.
# Each peer in turn on the same port, wrk with 1 thread and CONNECTIONS connections, a warm-up then
# DURATION seconds, bench/install-event.lua (one event per request, every id new). The service is also
# driven with 100-event batches (bench/batch-event.lua), and then, with the open-loop generator
# (io.gameevents.bench.OpenLoopLoad, latency from each request's intended send time), at half its own
# measured single-event maximum; the bare route gets the same fixed rate, for reference.
# Prints one table and one figure line against the targets of issue 9.
#
# Usage: bench/compare.sh            (ROUNDS=3 bench/compare.sh repeats the whole sequence)
# Builds nothing. Needs target/game-events.jar and the bench classes (mvn -B -q package -DskipTests,
# mvn -B -q test-compile), wrk and nginx (apt-get install wrk nginx-light), curl.
# Environment: PORT (18700), CONNECTIONS (128), DURATION (10), WARMUP (5), ROUNDS (1),
#              SERVICE_JAVA_OPTS (JVM options for the service and the bare route: none by default, as README.md's launch line).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

port=${PORT:-18700}
connections=${CONNECTIONS:-128}
duration=${DURATION:-10}
warmup=${WARMUP:-5}
rounds=${ROUNDS:-1}
cp="target/game-events.jar:target/test-classes"
for tool in wrk nginx curl java; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk nginx-light curl)" >&2; exit 2; }
done
require_built

# wrk_line SCRIPT: warm-up, then the measured run; prints the Lua script's summary line.
wrk_line() {
  wrk -t1 -c"$connections" -d"${warmup}s" -s "bench/$1" "http://127.0.0.1:$port" > /dev/null
  wrk -t1 -c"$connections" -d"${duration}s" --latency -s "bench/$1" "http://127.0.0.1:$port" | tail -1
}

# open_loop RATE: the generator at RATE single events/s; prints its summary line.
open_loop() {
  java -cp "$cp" io.gameevents.bench.OpenLoopLoad url="http://127.0.0.1:$port/v1/events/install" rate="$1" \
    seconds="$duration" warmup="$warmup" connections="$connections" 2>&1 | tail -1
}

field() { sed -nE "s#.*$1: ([0-9.]+).*#\\1#p" <<< "$2"; }

start_nginx() {
  local dir=$bench_work/nginx
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$port;
    location / { default_type application/json; return 200 '{"status":"accepted"}'; }
  }
}
CONF
  start_bg "$dir/nginx.out" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
  await_http "http://127.0.0.1:$port/"
}

start_bare() {
  # shellcheck disable=SC2086
  start_bg "$bench_work/bare.log" java $SERVICE_JAVA_OPTS -cp "$cp" io.gameevents.bench.BareRoute "$port" 2
  for _ in $(seq 1 3000); do grep -q listening "$bench_work/bare.log" 2>/dev/null && return 0; sleep 0.01; done
  echo "the bare route did not start: $(cat "$bench_work/bare.log")" >&2
  exit 1
}

rows=()
ratios=()
batches=()
p99s=()
startups=()
row() { rows+=("$(printf "%-5s %-36s %12s %9s %9s  %s" "$1" "$2" "$3" "$4" "$5" "$6")"); }

for round in $(seq 1 "$rounds"); do
  start_nginx
  line=$(wrk_line install-event.lua)
  row "$round" "nginx return 200" "$(field requests/s "$line")" "$(field p50 "$line")" "$(field p99 "$line")" ""
  stop_all

  started=$(millis)
  start_service "$port" "$bench_work/service-$round"
  await_http "http://127.0.0.1:$port/ready"
  startup_ms=$(( $(millis) - started ))
  startups+=("$startup_ms")
  single=$(wrk_line install-event.lua)
  ours=$(field requests/s "$single")
  row "$round" "service, single events" "$ours" "$(field p50 "$single")" "$(field p99 "$single")" \
    "non-2xx $(field non-2xx "$single")"
  batch=$(wrk_line batch-event.lua)
  batches+=("$(field events/s "$batch")")
  row "$round" "service, 100-event batches (events/s)" "$(field events/s "$batch")" "$(field p50 "$batch")" \
    "$(field p99 "$batch")" "non-2xx $(field non-2xx "$batch")"
  half=$(( ${ours%.*} / 2 ))
  fixed=$(open_loop "$half")
  p99s+=("$(field 'p99' "$fixed")")
  row "$round" "service, open loop at $half/s" "$(field 'sent' "$fixed")" "$(field p50 "$fixed")" \
    "$(field 'p99' "$fixed")" "p99.9 $(field 'p99.9' "$fixed") ms, max $(field max "$fixed") ms, non-2xx $(field non-2xx "$fixed"), errors $(field errors "$fixed")"
  stored=$(find "$bench_work/service-$round/data/events" -type f -exec cat {} + | wc -l)
  stop_all

  start_bare
  line=$(wrk_line install-event.lua)
  bare=$(field requests/s "$line")
  row "$round" "bare Vert.x route" "$bare" "$(field p50 "$line")" "$(field p99 "$line")" ""
  fixed=$(open_loop "$half")
  row "$round" "bare Vert.x route, open loop at $half/s" "$(field 'sent' "$fixed")" "$(field p50 "$fixed")" \
    "$(field 'p99' "$fixed")" "p99.9 $(field 'p99.9' "$fixed") ms, max $(field max "$fixed") ms"
  stop_all
  ratios+=("$(awk -v a="$ours" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')")
  rows+=("      (round $round: service started in $startup_ms ms; $stored records in its files)")
done

median() { printf "%s\n" "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= t : v < t; print ok ? "met" : "MISSED" }'; }
spread() { [ $# -gt 1 ] && echo " (rounds: $*)" || true; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -c$connections -d${duration}s after ${warmup}s"
printf "%-5s %-36s %12s %9s %9s  %s\n" round peer "req/s" "p50 ms" "p99 ms" ""
printf "%s\n" "${rows[@]}"
ratio=$(median "${ratios[@]}"); events=$(median "${batches[@]}"); p99=$(median "${p99s[@]}"); startup=$(median "${startups[@]}")
echo "FIGURES: single events $ratio x the bare route (target >= 0.5: $(verdict "$ratio" '>=' 0.5))$(spread "${ratios[@]}");" \
  "batches $events events/s (target >= 400000: $(verdict "$events" '>=' 400000))$(spread "${batches[@]}");" \
  "p99 at half load $p99 ms (target <= 10: $(verdict "$p99" '<' 10.001))$(spread "${p99s[@]}");" \
  "start-up to /ready $startup ms (target < 1000: $(verdict "$startup" '<' 1000))$(spread "${startups[@]}")"
