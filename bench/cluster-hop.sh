#!/usr/bin/env bash
# Cost of TLS on the cross-node hop: an edge (http) in front of a worker (dedup + delivery), each its own JVM on
# loopback, every request crossing the clustered event bus to the worker and back; once with the event bus in
# plain TCP, once over TLS with client certificates (cluster.tls, the test certificates under
# src/test/resources/tls). Both pairs run side by side for the whole run and are measured alternately (plain, TLS,
# plain, TLS, ...), single events then 100-event batches each time, so both see the same drift of a shared machine.
# Prints each measurement, then a markdown table for bench/README.md: medians over the rounds, and the CPU time
# per request of edge and worker together (utime + stime from /proc), the figure a loaded machine distorts least.
# With BEFORE_JAR set, both pairs are plain TCP instead: one runs BEFORE_JAR ("before"), the other
# target/game-events.jar ("after"), alternated the same way: a change to the hop measured against the jar before it.
#
# Usage: [DURATION=15] [WARMUP=15] [CONNECTIONS=32] [ROUNDS=3] [BEFORE_JAR=path] bench/cluster-hop.sh
#   DURATION: seconds per measurement; WARMUP: seconds of load per pair and script before the first round
#   (below 15 s the JIT is still compiling and CPU per request reads high).
# Needs: the fat jar (mvn -B -q package -DskipTests), wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

duration=${DURATION:-15}
warmup=${WARMUP:-15}
connections=${CONNECTIONS:-32}
rounds=${ROUNDS:-3}
tls_dir=$(pwd)/src/test/resources/tls
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f target/game-events.jar ] || { echo "target/game-events.jar is missing: mvn -B -q package -DskipTests" >&2; exit 2; }

# every member hashes event ids under the same dedup key, and proves its cluster entries with the same secret
hash_key=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
cluster_secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
declare -A pid_of

# the two setups, measured alternately: a name, the jar its nodes run, and whether its event bus is TLS
if [ -n "${BEFORE_JAR:-}" ]; then
  [ -f "$BEFORE_JAR" ] || { echo "BEFORE_JAR $BEFORE_JAR is missing" >&2; exit 2; }
  first=before; first_jar=$(realpath "$BEFORE_JAR"); second=after; second_tls=""
else
  first=plain; first_jar=$(realpath target/game-events.jar); second=tls; second_tls=tls
fi
second_jar=$(realpath target/game-events.jar)
declare -A label=([plain]="plain TCP" [tls]="TLS (cluster.tls)" [before]="before (BEFORE_JAR)" [after]="after (target/)")

# node NAME HTTP_PORT HAZELCAST_PORT EVENT_BUS_PORT ROLES CLUSTER SEEDS JAR [MEMBER_CERTIFICATE]
node() {
  local name=$1 port=$2 hz=$3 bus=$4 roles=$5 cluster=$6 seeds=$7 jar=$8 member=${9:-} tls=""
  [ -n "$member" ] && tls=",\"tls\":{\"cert_path\":\"$tls_dir/$member.pem\",\"key_path\":\"$tls_dir/$member.key\",\"ca_path\":\"$tls_dir/ca.pem\"}"
  cat > "$bench_work/$name.json" <<JSON
{"http":{"port":$port,"host":"127.0.0.1"},
 "auth":{"api_keys":[{"id":"dev","key":"dev-secret","app_ids":["com.game.test"]}]},
 "dedup":{"directory":"$bench_work/$name/dedup","hash_key":"$hash_key"},
 "delivery":{"file":{"directory":"$bench_work/$name/events"}},
 "cluster":{"name":"$cluster","secret":"$cluster_secret","host":"127.0.0.1","port":$hz,"event_bus_port":$bus,"members":[$seeds],"roles":[$roles]$tls}}
JSON
  start_bg "$bench_work/$name.log" env GAME_EVENTS_CONFIG_WATCH_SECONDS=0 \
    java -Dhazelcast.wait.seconds.before.join=0 -jar "$jar" -conf "$bench_work/$name.json" -cluster
  pid_of[$name]=${bench_pids[-1]}
}

# pair SETUP BASE_PORT JAR [tls]: a worker and an edge of a cluster of their own; the edge's HTTP port is BASE_PORT + 1
pair() {
  local setup=$1 base=$2 jar=$3 tls=${4:-} worker_cert="" edge_cert=""
  [ -n "$tls" ] && { worker_cert=member1; edge_cert=member2; }
  local seeds="\"127.0.0.1:$((base + 10))\",\"127.0.0.1:$((base + 11))\""
  node "$setup-worker" "$base" $((base + 10)) $((base + 20)) '"dedup","delivery"' "hop-$setup-$$" "$seeds" "$jar" \
    $worker_cert
  await_http "http://127.0.0.1:$base/ready" 6000
  node "$setup-edge" $((base + 1)) $((base + 11)) $((base + 21)) '"http"' "hop-$setup-$$" "$seeds" "$jar" $edge_cert
  await_http "http://127.0.0.1:$((base + 1))/ready" 6000
}

# measure SETUP PORT SCRIPT ROUND: one wrk run, printed, and "setup workload round req/s p50 p99 non-2xx cpu_us"
# appended to the results
measure() {
  local setup=$1 port=$2 script=$3 round=$4 before after line result
  before=$(( $(cpu_ms "${pid_of[$setup-edge]}") + $(cpu_ms "${pid_of[$setup-worker]}") ))
  line=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s "bench/$script.lua" "http://127.0.0.1:$port" | tail -1)
  after=$(( $(cpu_ms "${pid_of[$setup-edge]}") + $(cpu_ms "${pid_of[$setup-worker]}") ))
  result=$(echo "$line" | awk -v s="$setup" -v w="$script" -v r="$round" -v cpu=$((after - before)) -v d="$duration" '{
      for (i = 1; i < NF; i++) v[$i] = $(i + 1)
      cpu_us = (v["requests/s:"] > 0) ? cpu * 1000 / (v["requests/s:"] * d) : 0
      printf "%s %s %s %s %s %s %s %.1f\n", s, w, r, v["requests/s:"], v["p50:"], v["p99:"], v["non-2xx:"], cpu_us
    }')
  echo "$result" >> "$bench_work/results"
  printf "round %s  %-5s  %-13s  %s  cpu_us_per_request: %s\n" "$round" "$setup" "$script" "$line" "${result##* }"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

pair "$first" 18700 "$first_jar"
pair "$second" 18750 "$second_jar" $second_tls
for setup in "$first" "$second"; do
  port=$([ "$setup" = "$first" ] && echo 18701 || echo 18751)
  for script in install-event batch-event; do
    wrk -t1 -c"$connections" -d"${warmup}s" -s "bench/$script.lua" "http://127.0.0.1:$port" > /dev/null
  done
done

: > "$bench_work/results"
for round in $(seq 1 "$rounds"); do
  for script in install-event batch-event; do
    measure "$first" 18701 "$script" "$round"
    measure "$second" 18751 "$script" "$round"
  done
done

echo
echo "\`DURATION=$duration WARMUP=$warmup CONNECTIONS=$connections ROUNDS=$rounds${BEFORE_JAR:+ BEFORE_JAR=$BEFORE_JAR} bench/cluster-hop.sh\`, medians of $rounds alternated rounds:"
echo
echo "| edge -> worker | workload | req/s | events/s | p50 | p99 | CPU per request (edge + worker) | non-2xx |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
declare -A cpu_of
for script in install-event batch-event; do
  for setup in "$first" "$second"; do
    pick() { awk -v s="$setup" -v w="$script" -v c="$1" '$1 == s && $2 == w { print $c }' "$bench_work/results" | median; }
    rps=$(pick 4)
    events=$([ "$script" = batch-event ] && awk -v r="$rps" 'BEGIN { print r * 100 }' || echo "$rps")
    errors=$(awk -v s="$setup" -v w="$script" '$1 == s && $2 == w { n += $7 } END { print n + 0 }' "$bench_work/results")
    cpu_of[$setup-$script]=$(pick 8)
    printf "| %s | %s | %.0f | %.0f | %.2f ms | %.2f ms | %.0f µs | %s |\n" \
      "${label[$setup]}" \
      "$([ "$script" = batch-event ] && echo "100-event batches" || echo "single events")" \
      "$rps" "$events" "$(pick 5)" "$(pick 6)" "${cpu_of[$setup-$script]}" "$errors"
  done
done
echo
awk -v s="${cpu_of[$first-install-event]}" -v st="${cpu_of[$second-install-event]}" \
    -v b="${cpu_of[$first-batch-event]}" -v bt="${cpu_of[$second-batch-event]}" -v what="${label[$second]}" \
    -v base="${label[$first]}" 'BEGIN {
  printf "%s against %s: %+.0f%% CPU per single event, %+.0f%% per 100-event batch (edge + worker, medians).\n",
    what, base, (s > 0) ? 100 * (st - s) / s : 0, (b > 0) ? 100 * (bt - b) / b : 0 }'
