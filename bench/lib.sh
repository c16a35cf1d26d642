# Shared by bench/compare.sh and bench/startup.sh (source it; it builds nothing).
# Every process started through start_bg is stopped by stop_all, which the EXIT trap runs, so a
# Ctrl-C or a failure leaves nothing running.

bench_pids=()
bench_work=$(mktemp -d "${TMPDIR:-/tmp}/game-events-bench.XXXXXX")

# The launch line of the fat jar, as README.md documents it (JVM options included); SERVICE_JAR points
# the service at another build (a before/after comparison in one run).
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-}
SERVICE_JAR=${SERVICE_JAR:-target/game-events.jar}
# extra VAR=value words for the service's environment (bench/ab.sh)
SERVICE_ENV=()

# start_bg LOG COMMAND...: runs COMMAND in the background, its output in LOG; remembers its pid.
start_bg() {
  local log=$1
  shift
  "$@" > "$log" 2>&1 &
  bench_pids+=($!)
}

# stop_all: SIGTERM to every process started here, SIGKILL to any still alive after 15 s.
stop_all() {
  local pid
  for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  bench_pids=()
}

bench_cleanup() {
  stop_all
  rm -rf "$bench_work"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# await_http URL [tries]: until URL answers 200 (every 10 ms, default 30 s); fails otherwise.
await_http() {
  local url=$1 tries=${2:-3000}
  for _ in $(seq 1 "$tries"); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.01
  done
  echo "no 200 from $url" >&2
  return 1
}

# start_service PORT DIR: the fat jar with conf/config.json (the default config; SERVICE_CONF for another),
# its relative data directories under DIR, on 127.0.0.1:PORT (the environment overrides of README.md), and its
# management port at PORT + 10000: not conf/config.json's 9000, which two benchmarks at once would both take.
start_service() {
  local port=$1 dir=$2 repo=$PWD
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
  start_bg "$dir/service.log" env -C "$dir" GAME_EVENTS_HTTP_HOST=127.0.0.1 GAME_EVENTS_HTTP_PORT="$port" \
    GAME_EVENTS_MANAGEMENT_PORT=$((port + 10000)) \
    GAME_EVENTS_CONFIG_WATCH_SECONDS=0 "${SERVICE_ENV[@]}" java $SERVICE_JAVA_OPTS -jar "$(realpath "$SERVICE_JAR")" \
    -conf "$(realpath "${SERVICE_CONF:-$repo/conf/config.json}")"
}

# cpu_ms PID: the CPU time (user + system, every thread) PID and its child processes have used, in ms.
# Per request, it is what a loaded machine distorts least: the share of the cores a peer gets varies,
# the work it does per request much less.
cpu_ms() {
  local ticks=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    ticks=$(( ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

# loop_user_ms PID: the user CPU time of PID's Vert.x event loops, in ms. The code's own work, without the kernel's:
# on this VM the kernel's share swings with the memory it hands out (bench/README.md, "the slow mode").
loop_user_ms() {
  local ticks=0 task
  for task in /proc/"$1"/task/*; do
    [[ $(cat "$task/comm" 2>/dev/null) == vert.x-eventloo* ]] || continue
    ticks=$(( ticks + $(awk '{ print $14 }' "$task/stat" 2>/dev/null || echo 0) ))
  done
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

# wrk_line SCRIPT (uses port, connections, warmup, duration): warm-up, then the measured run; prints the Lua script's
# summary line, the CPU time per request of the peer (the last process started) during the measured run, and the
# part of it its event loops spent in user mode.
wrk_line() {
  local pid=${bench_pids[-1]} before loops line
  wrk -t1 -c"$connections" -d"${warmup}s" -s "bench/$1" "http://127.0.0.1:$port" > /dev/null
  before=$(cpu_ms "$pid")
  loops=$(loop_user_ms "$pid")
  line=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s "bench/$1" "http://127.0.0.1:$port" | tail -1)
  echo "$line  cpu_us_per_request: $(per_request "$(( $(cpu_ms "$pid") - before ))" "$line")" \
    " loop_user_us_per_request: $(per_request "$(( $(loop_user_ms "$pid") - loops ))" "$line")"
}

# per_request MS LINE: MS of CPU over the requests of a wrk summary LINE's run of $duration seconds, in µs
per_request() {
  awk -v cpu="$1" -v d="$duration" -v line="$2" \
    'BEGIN { split(line, f, "requests/s: "); split(f[2], r, " "); printf "%.1f", cpu * 1000 / (r[1] * d) }'
}

# millis: wall clock in milliseconds.
millis() { date +%s%3N; }

require_built() {
  [ -f target/game-events.jar ] || { echo "target/game-events.jar is missing: mvn -B -q package -DskipTests" >&2; exit 2; }
  [ -f target/test-classes/io/gameevents/bench/BareRoute.class ] \
    || { echo "the bench classes are missing: mvn -B -q test-compile" >&2; exit 2; }
}
