#!/usr/bin/env bash
# The service next to its ceilings, in one run, with the same load (bench/HISTORY.md, "Side by side"; current figures in bench/README.md):
#   nginx    Debian's nginx-light answering `return 200` (its own temporary config);
#   bare     a Vert.x 5 route from this project's own jar: reads the body, answers a fixed 200,
#            2 verticle instances (io.gameevents.bench.BareRoute);
#   service  the fat jar with conf/config.json (file sink, fsync per batch), data in a temp dir.
# Each peer in turn on the same port, wrk with 1 thread and CONNECTIONS connections, a warm-up then
# DURATION seconds, bench/install-event.lua (one event per request, every id new). The service is also
# driven with 100-event batches (bench/batch-event.lua), and then, with the open-loop generator
# (io.gameevents.bench.OpenLoopLoad: one NIO thread, latency from each request's intended send time,
# a 250 µs tick), at half its own measured single-event maximum; the bare route gets the same fixed
# rate, as the floor of what the machine and the generator add. The generator reports its own CPU per
# request (it shares the cores with the peer); a run with any non-2xx, lost or unanswered request
# does not meet the p99 target, whatever its latency.
# Prints one table and one figure line against the targets of issue 9.
#
# Usage: bench/compare.sh            (ROUNDS=3 bench/compare.sh repeats the whole sequence)
# Builds nothing. Needs target/game-events.jar and the bench classes (mvn -B -q package -DskipTests,
# mvn -B -q test-compile), wrk and nginx (apt-get install wrk nginx-light), curl.
# Environment: PORT (18700), CONNECTIONS (128), DURATION (10), WARMUP (10: the service's JIT needs it), ROUNDS (1),
#              SERVICE_JAVA_OPTS (JVM options for the service and the bare route: none by default, as README.md's launch line),
#              OPEN_LOOP_TICK_US (250: the generator reads answers at most this late; shorter costs it more CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

port=${PORT:-18700}
connections=${CONNECTIONS:-128}
duration=${DURATION:-10}
warmup=${WARMUP:-10}
rounds=${ROUNDS:-1}
cp="target/game-events.jar:target/test-classes"
for tool in wrk nginx curl java; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk nginx-light curl)" >&2; exit 2; }
done
require_built

# open_loop RATE: the generator at RATE single events/s; prints its summary line and the peer's (the last
# process started) CPU time per request over the whole run, warm-up included.
open_loop() {
  local pid=${bench_pids[-1]} before line
  before=$(cpu_ms "$pid")
  line=$(java -cp "$cp" io.gameevents.bench.OpenLoopLoad url="http://127.0.0.1:$port/v1/events/install" rate="$1" \
    seconds="$duration" warmup="$warmup" connections="$connections" tick_us="${OPEN_LOOP_TICK_US:-250}" 2>&1 | tail -1)
  echo "$line  cpu_us_per_request: $(awk -v cpu="$(( $(cpu_ms "$pid") - before ))" -v r="$1" -v s="$(( warmup + duration ))" \
    'BEGIN { printf "%.1f", cpu * 1000 / (r * s) }')"
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
cpu_ratios=()
batches=()
p99s=()
unclean=()
startups=()
row() { rows+=("$(printf "%-5s %-40s %12s %9s %9s %10s  %s" "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}")"); }
# wrk_row ROUND PEER LINE [NOTE]: a wrk line as a table row (events/s for batches)
wrk_row() {
  local rate
  rate=$(field events/s "$3"); rate=${rate:-$(field requests/s "$3")}
  row "$1" "$2" "$rate" "$(field p50 "$3")" "$(field p99 "$3")" "$(field cpu_us_per_request "$3")" "${4:-}"
}
# open_row ROUND PEER LINE: an open-loop line as a table row
open_row() {
  row "$1" "$2" "$(field sent "$3")" "$(field p50 "$3")" "$(field p99 "$3")" "$(field cpu_us_per_request "$3")" \
    "p99.9 $(field p99.9 "$3") ms, max $(field max "$3") ms, non-2xx $(field non-2xx "$3"), errors $(field errors "$3"), unanswered $(field unanswered "$3"), generator $(field generator_cpu_us_per_request "$3") us/req (JVM $(field generator_jvm_cpu_us_per_request "$3"))$(grep -q 'NOT CLEAN' <<< "$3" && echo ', NOT CLEAN' || true)"
}

for round in $(seq 1 "$rounds"); do
  start_nginx
  wrk_row "$round" "nginx return 200" "$(wrk_line install-event.lua)"
  stop_all

  started=$(millis)
  start_service "$port" "$bench_work/service-$round"
  await_http "http://127.0.0.1:$port/ready"
  startups+=("$(( $(millis) - started ))")
  single=$(wrk_line install-event.lua)
  ours=$(field requests/s "$single")
  wrk_row "$round" "service, single events" "$single" "non-2xx $(field non-2xx "$single")"
  batch=$(wrk_line batch-event.lua)
  batches+=("$(field events/s "$batch")")
  wrk_row "$round" "service, 100-event batches (events/s)" "$batch" "non-2xx $(field non-2xx "$batch")"
  half=$(( ${ours%.*} / 2 > 0 ? ${ours%.*} / 2 : 1 ))
  fixed=$(open_loop "$half")
  p99s+=("$(field p99 "$fixed")")
  grep -q 'NOT CLEAN' <<< "$fixed" && unclean+=("$round") || true
  open_row "$round" "service, open loop at $half/s" "$fixed"
  stored=$(find "$bench_work/service-$round/data/events" -type f -exec cat {} + | wc -l)
  stop_all

  start_bare
  line=$(wrk_line install-event.lua)
  wrk_row "$round" "bare Vert.x route" "$line"
  open_row "$round" "bare Vert.x route, open loop at $half/s" "$(open_loop "$half")"
  stop_all
  ratios+=("$(awk -v a="$ours" -v b="$(field requests/s "$line")" 'BEGIN { printf "%.2f", a / b }')")
  cpu_ratios+=("$(awk -v a="$(field cpu_us_per_request "$single")" -v b="$(field cpu_us_per_request "$line")" \
    'BEGIN { printf "%.2f", b / a }')")
  rows+=("      (round $round: the service was ready ${startups[-1]} ms after launch; $stored records in its files)")
done

median() { printf "%s\n" "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= t : v < t; print ok ? "met" : "MISSED" }'; }
spread() { [ $# -gt 1 ] && echo " (rounds: $*)" || true; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -c$connections -d${duration}s after ${warmup}s"
printf "%-5s %-40s %12s %9s %9s %10s\n" round peer "req/s" "p50 ms" "p99 ms" "CPU us/req"
printf "%s\n" "${rows[@]}"
ratio=$(median "${ratios[@]}"); cpu_ratio=$(median "${cpu_ratios[@]}"); events=$(median "${batches[@]}"); p99=$(median "${p99s[@]}"); startup=$(median "${startups[@]}")
echo "FIGURES: single events $ratio x the bare route (target >= 0.5: $(verdict "$ratio" '>=' 0.5))$(spread "${ratios[@]}");" \
  "by CPU time per request $cpu_ratio (the bare route's / ours)$(spread "${cpu_ratios[@]}");" \
  "batches $events events/s (target >= 400000: $(verdict "$events" '>=' 400000))$(spread "${batches[@]}");" \
  "p99 at half load $p99 ms (target <= 10: $( [ ${#unclean[@]} -eq 0 ] && verdict "$p99" '<' 10.001 || echo "MISSED, failed requests in round ${unclean[*]}"))$(spread "${p99s[@]}");" \
  "start-up to /ready $startup ms (target < 1000: $(verdict "$startup" '<' 1000))$(spread "${startups[@]}")"
