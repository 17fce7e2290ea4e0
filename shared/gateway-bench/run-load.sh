#!/usr/bin/env bash
# Load benchmark of the gateway's added latency: starts the fake upstream and the gateway on
# loopback, runs io.llmgw.bench.LoadBenchmark against both (directly, and through the gateway to
# the same upstream; the two take turns every second while measuring) for both modes
# (non-streaming, streaming), and stops both processes whatever happens. The markdown report goes
# to stdout and to $BENCH_RUN_DIR/results.md.
#
# Usage, from the repository root:
#   shared/gateway-bench/run-load.sh [--rate 1000] [--duration 30s] [--warmup 10s] [--mode both]
#                                    [--out FILE] [other LoadBenchmark options, see --help]
# Every option is passed to the benchmark; a later option wins over an earlier one.
#
# Environment:
#   BENCH_UPSTREAM_PORT  fake upstream port (default 18081)
#   BENCH_GATEWAY_PORT   gateway port (default 18080)
#   BENCH_RELAY=1        also measure a plain TCP relay to the same upstream (calibration: the least an extra
#                        loopback hop costs here) on BENCH_RELAY_PORT (default 18082)
#   BENCH_RELAY=event-loop  the same, with an HTTP proxy on Netty event loops (EventLoopProxyMain) as the relay:
#                        what an event-loop request path in a JVM adds here before any gateway work;
#                        BENCH_RELAY=event-loop-work: that proxy doing the gateway's own work for each request too;
#                        BENCH_RELAY=baseline: another gateway build (BENCH_BASELINE_JAR, e.g. the build before a change)
#                        configured as the gateway, so a change's effect on latency is measured in the same window
#   BENCH_LIMITS=memory|redis  run the gateway with a virtual key that has per-key limits (requests per minute with a
#                        burst, tokens per minute, concurrent requests), a budget in dollars and in tokens, and a price for
#                        the model, so every request takes the limit, budget and cost paths; the benchmark sends that key.
#                        memory: the in-memory state store; redis: a redis-server this script starts on loopback
#                        (nothing persisted) on BENCH_REDIS_PORT (default 18083), with limits.fail_closed so a store
#                        failure shows as errors instead of unlimited requests. The limits are far above any rate the
#                        benchmark sends; a request refused with 429 fails the run (exit 3). Unset: no limits (default).
#   BENCH_CACHE=hit|miss run the gateway with the response cache on (in the state store BENCH_LIMITS names, else in
#                        memory): hit sends the same request every time, so all but the first are answered from the
#                        cache; miss sends each request different (--requests distinct), so every one is looked up,
#                        missed, forwarded and stored. Both targets get the same requests. After the run the gateway's
#                        gateway_cache_* counters are printed (and saved to $BENCH_RUN_DIR/cache-metrics.txt); a hit
#                        run with more than 1 % misses (those in flight before the first answer was stored), or a
#                        miss run with any hit, fails it (exit 3).
#                        Unset: no cache (default).
#   BENCH_RUN_DIR        logs, report and recordings (default shared/gateway-bench/target/load-run)
#   BENCH_BUILD          always | never | auto (default auto: build when a jar is missing or older than the sources)
#   BENCH_NICE=N         run the upstream, gateway, relay and benchmark at nice N, e.g. -10 (negative needs root):
#                        on a shared machine, keeps other busy processes from skewing the tail
#   BENCH_GATEWAY_JAR    the gateway jar to run (default functions/app/target/gateway-app.jar), e.g. an older build for a
#                        before/after comparison (built only when missing; BENCH_BUILD=never to never build)
#   BENCH_JFR=1          record the gateway with Java Flight Recorder (profile settings) into $BENCH_RUN_DIR/gateway.jfr
#   GATEWAY_JAVA_OPTS, UPSTREAM_JAVA_OPTS, BENCH_JAVA_OPTS   extra JVM options for each process
#   GATEWAY_ENV          extra environment for the gateway, e.g. "LOGGING_LEVEL_GATEWAY_REQUEST=WARN"
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)

UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18081}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18080}
RELAY_PORT=${BENCH_RELAY_PORT:-18082}
RELAY=${BENCH_RELAY:-0}
LIMITS=${BENCH_LIMITS:-}
CACHE=${BENCH_CACHE:-}
REDIS_PORT=${BENCH_REDIS_PORT:-18083}
RUN_DIR=${BENCH_RUN_DIR:-$ROOT/shared/gateway-bench/target/load-run}
BUILD=${BENCH_BUILD:-auto}
BENCH_JAR=$ROOT/shared/gateway-bench/target/gateway-bench.jar
GATEWAY_JAR=${BENCH_GATEWAY_JAR:-$ROOT/functions/app/target/gateway-app.jar}

log() { printf '[run-load] %s\n' "$*" >&2; }

for arg in "$@"; do
  case $arg in
    -h|--help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
      echo "LoadBenchmark options (--direct-url, --gateway-url, --relay-url and --cpu-pids are set by this script):"
      if [ -f "$BENCH_JAR" ]; then "$("$ROOT/.mvn/jdk.sh")/bin/java" -jar "$BENCH_JAR" --help 2>&1 | sed 1d
      else echo "  (build first: ./mvnw -q -DskipTests package)"; fi
      exit 0 ;;
  esac
done

case $CACHE in
  ''|hit|miss) ;;
  *) log "BENCH_CACHE must be hit or miss (or unset for no cache), not '$CACHE'"; exit 2 ;;
esac
case $LIMITS in
  ''|memory|redis) ;;
  *) log "BENCH_LIMITS must be memory or redis (or unset for no limits), not '$LIMITS'"; exit 2 ;;
esac
if [ "$LIMITS" = redis ] && ! command -v redis-server >/dev/null 2>&1; then
  log "BENCH_LIMITS=redis needs redis-server on the PATH (.ci/install-stores.sh installs Debian's package)"
  exit 2
fi

JDK_HOME=$("$ROOT/.mvn/jdk.sh")
JAVA="$JDK_HOME/bin/java"
log "JVM: $JAVA ($("$JAVA" -version 2>&1 | head -n 1))"

needs_build() {
  [ "$BUILD" = always ] && return 0
  [ "$BUILD" = never ] && return 1
  [ -f "$BENCH_JAR" ] && [ -f "$GATEWAY_JAR" ] || return 0
  # any source or pom newer than the older of the two jars
  local oldest=$BENCH_JAR
  [ "$GATEWAY_JAR" -ot "$oldest" ] && oldest=$GATEWAY_JAR
  # (main sources and poms only: tests do not go into the jars)
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/shared" "$ROOT/functions" \( -name target -o -path '*/src/test' \) -prune -o \
          \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -name '*.yml' -o -name '*.xml' \) \
          -newer "$oldest" -print 2>/dev/null | head -n 1)" ]
}
if needs_build; then
  log "building: ./mvnw -q -DskipTests package"
  ./mvnw -q -DskipTests package
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORTS=("$UPSTREAM_PORT" "$GATEWAY_PORT")
[ "$RELAY" != 0 ] && PORTS+=("$RELAY_PORT")
[ "$LIMITS" = redis ] && PORTS+=("$REDIS_PORT")
for port in "${PORTS[@]}"; do
  if port_in_use "$port"; then
    log "port $port is already in use on 127.0.0.1; stop what listens there or set BENCH_UPSTREAM_PORT / BENCH_GATEWAY_PORT / BENCH_RELAY_PORT / BENCH_REDIS_PORT"
    exit 3
  fi
done

NICE=()
LABELS=()
if [ -n "${BENCH_NICE:-}" ]; then
  NICE=(nice -n "$BENCH_NICE")
  LABELS+=("upstream, gateway and benchmark ran at nice $BENCH_NICE")
  log "running the processes at nice $BENCH_NICE"
fi

mkdir -p "$RUN_DIR"
# Run from copies, so a rebuild while the benchmark runs cannot pull classes from under the JVMs.
cp "$BENCH_JAR" "$RUN_DIR/gateway-bench.jar"
cp "$GATEWAY_JAR" "$RUN_DIR/gateway-app.jar"
BENCH_JAR=$RUN_DIR/gateway-bench.jar
GATEWAY_JAR=$RUN_DIR/gateway-app.jar
UPSTREAM_PID=
GATEWAY_PID=
RELAY_PID=
REDIS_PID=
BENCH_PID=

stop() { # $1 = pid, $2 = name: TERM, then KILL after 15 s
  local pid=$1 name=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) did not stop; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop "$BENCH_PID" benchmark
  stop "$GATEWAY_PID" gateway
  stop "$RELAY_PID" relay
  stop "$REDIS_PID" redis-server
  stop "$UPSTREAM_PID" "fake upstream"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck disable=SC2086 # *_JAVA_OPTS are word lists on purpose
# BenchUpstreamMain: FakeUpstreamMain's scripted answer, without letting the request log grow for the whole run.
"${NICE[@]}" "$JAVA" ${UPSTREAM_JAVA_OPTS:-} -cp "$BENCH_JAR" io.llmgw.bench.BenchUpstreamMain "$UPSTREAM_PORT" \
  >"$RUN_DIR/upstream.log" 2>&1 &
UPSTREAM_PID=$!
log "fake upstream: pid $UPSTREAM_PID, http://127.0.0.1:$UPSTREAM_PORT (log $RUN_DIR/upstream.log)"

# With BENCH_LIMITS or BENCH_CACHE: the gateway's configuration file (the upstream still comes from BACKEND_URL) and
# what the benchmark sends. BENCH_LIMITS: a fresh random key per run; the file holds only its SHA-256.
CONFIG_ENV=()
BENCH_ARGS=()
: >"$RUN_DIR/gateway.yml"
if [ -n "$LIMITS" ]; then
  if [ "$LIMITS" = redis ]; then
    "${NICE[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN_DIR" \
      >"$RUN_DIR/redis.log" 2>&1 &
    REDIS_PID=$!
    log "redis-server: pid $REDIS_PID, redis://127.0.0.1:$REDIS_PORT (log $RUN_DIR/redis.log)"
    deadline=$((SECONDS + 30))
    until [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; do
      if ! kill -0 "$REDIS_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        log "redis-server did not answer PING; its log:"; tail -n 20 "$RUN_DIR/redis.log" >&2; exit 4
      fi
      sleep 0.1
    done
    STATE="{ store: redis, url: \"redis://127.0.0.1:$REDIS_PORT\" }"
  else
    STATE="{ store: memory }"
  fi
  # the model the benchmark asks for (gpt-4o-mini unless an option says otherwise), so the price applies
  MODEL=gpt-4o-mini
  previous=
  for arg in "$@"; do
    case $arg in --model=*) MODEL=${arg#--model=} ;; esac
    [ "$previous" = --model ] && MODEL=$arg
    previous=$arg
  done
  KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  KEY_SHA256=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
  # Every limit is set, far above what the benchmark sends (10 million requests a minute at most), so each request
  # runs every check and settlement without being refused; fail_closed turns a store failure into a 503 (an error
  # in the report) rather than a request that silently skipped its limits.
  cat >>"$RUN_DIR/gateway.yml" <<YAML
auth:
  virtual_keys:
    - name: bench
      key_sha256: $KEY_SHA256
      limits: { requests_per_minute: 10000000, burst: 10000000, tokens_per_minute: 10000000000, concurrent: 100000 }
      budget: { usd: 1000000000, tokens: 1000000000000000, period: month }
limits:
  fail_closed: true
prices:
  "$MODEL": { input_per_mtok: 0.15, output_per_mtok: 0.6 }
state: $STATE
YAML
  BENCH_ARGS=(--api-key "$KEY")
  if [ "$LIMITS" = redis ]; then
    LABELS+=("gateway with a virtual key's limits and budget on Redis ($(redis-server --version | sed 's/^Redis server v=\([^ ]*\).*/redis-server \1/') on loopback)")
  else
    LABELS+=("gateway with a virtual key's limits and budget on the in-memory store")
  fi
  log "gateway: limits and a budget on the $LIMITS store ($RUN_DIR/gateway.yml)"
fi
# With BENCH_CACHE: the response cache on for every route, in the store above (memory without BENCH_LIMITS), and the
# metrics open so that this script can read the cache's counters after the run.
if [ -n "$CACHE" ]; then
  cat >>"$RUN_DIR/gateway.yml" <<YAML
cache: { enabled: true }
admin: { public_metrics: true }
YAML
  if [ "$CACHE" = hit ]; then
    LABELS+=("response cache on ($([ "$LIMITS" = redis ] && echo Redis || echo in memory)), the same request every time: all but the first are hits")
  else
    BENCH_ARGS+=(--requests distinct)
    LABELS+=("response cache on ($([ "$LIMITS" = redis ] && echo Redis || echo in memory)), every request different: all are misses, forwarded and stored")
  fi
  log "gateway: response cache on, requests that $CACHE ($RUN_DIR/gateway.yml)"
fi
[ -s "$RUN_DIR/gateway.yml" ] && CONFIG_ENV=(GATEWAY_CONFIG="$RUN_DIR/gateway.yml")

GATEWAY_OPTS=()
if [ "${BENCH_JFR:-0}" = 1 ]; then
  rm -f "$RUN_DIR/gateway.jfr"
  GATEWAY_OPTS+=("-XX:StartFlightRecording=filename=$RUN_DIR/gateway.jfr,settings=profile,dumponexit=true")
  log "gateway: recording with JFR into $RUN_DIR/gateway.jfr"
fi
# shellcheck disable=SC2086
"${NICE[@]}" env BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" PORT="$GATEWAY_PORT" "${CONFIG_ENV[@]}" ${GATEWAY_ENV:-} \
  "$JAVA" -XX:+ExitOnOutOfMemoryError ${GATEWAY_JAVA_OPTS:-} "${GATEWAY_OPTS[@]}" -jar "$GATEWAY_JAR" >"$RUN_DIR/gateway.log" 2>&1 &
GATEWAY_PID=$!
log "gateway: pid $GATEWAY_PID, http://127.0.0.1:$GATEWAY_PORT (log $RUN_DIR/gateway.log)"

wait_ready() { # $1 = url, $2 = pid, $3 = name, $4 = its log file in $RUN_DIR
  local deadline=$((SECONDS + 60))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)" = 200 ]; do
    if ! kill -0 "$2" 2>/dev/null; then
      log "$3 exited before it was ready; its log:"; tail -n 30 "$RUN_DIR/$4" >&2; exit 4
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "$3 not ready after 60 s ($1)"; exit 4
    fi
    sleep 0.2
  done
}
# The fake upstream answers any path with 200; the gateway is ready when /health/ready says 200.
wait_ready "http://127.0.0.1:$UPSTREAM_PORT/health" "$UPSTREAM_PID" "fake upstream" upstream.log
wait_ready "http://127.0.0.1:$GATEWAY_PORT/health/ready" "$GATEWAY_PID" gateway gateway.log
log "both ready"

RELAY_ARGS=()
CPU_PIDS="upstream=$UPSTREAM_PID,gateway=$GATEWAY_PID"
if [ "$RELAY" != 0 ]; then
  case $RELAY in
    1 | tcp) RELAY_MAIN=TcpRelayMain RELAY_KIND=tcp ;;
    event-loop) RELAY_MAIN=EventLoopProxyMain RELAY_KIND=event-loop ;;
    event-loop-work) RELAY_MAIN=EventLoopProxyMain RELAY_KIND=event-loop-work RELAY_WORK=gateway-work ;;
    baseline) RELAY_KIND=baseline ;;
    *) log "BENCH_RELAY must be 0, 1 (or tcp), event-loop, event-loop-work or baseline, not '$RELAY'"; exit 2 ;;
  esac
  if [ "$RELAY_KIND" = baseline ]; then
    [ -f "${BENCH_BASELINE_JAR:-}" ] || { log "BENCH_RELAY=baseline needs BENCH_BASELINE_JAR, a gateway jar"; exit 2; }
    # shellcheck disable=SC2086
    "${NICE[@]}" env BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" PORT="$RELAY_PORT" "${CONFIG_ENV[@]}" \
      ${GATEWAY_ENV:-} "$JAVA" -XX:+ExitOnOutOfMemoryError ${GATEWAY_JAVA_OPTS:-} -jar "$BENCH_BASELINE_JAR" >"$RUN_DIR/relay.log" 2>&1 &
    READY_PATH=/health/ready
  else
    "${NICE[@]}" "$JAVA" -cp "$BENCH_JAR" "io.llmgw.bench.$RELAY_MAIN" "$RELAY_PORT" 127.0.0.1 "$UPSTREAM_PORT" ${RELAY_WORK:-} \
      >"$RUN_DIR/relay.log" 2>&1 &
    READY_PATH=/health
  fi
  RELAY_PID=$!
  log "$RELAY_KIND relay: pid $RELAY_PID, http://127.0.0.1:$RELAY_PORT (log $RUN_DIR/relay.log)"
  wait_ready "http://127.0.0.1:$RELAY_PORT$READY_PATH" "$RELAY_PID" "$RELAY_KIND relay" relay.log
  RELAY_ARGS=(--relay-url "http://127.0.0.1:$RELAY_PORT/v1/chat/completions" --relay-kind "$RELAY_KIND")
  CPU_PIDS="$CPU_PIDS,relay=$RELAY_PID"
fi
[ -n "$REDIS_PID" ] && CPU_PIDS="$CPU_PIDS,redis=$REDIS_PID"
LABEL=()
for text in "${LABELS[@]}"; do
  if [ ${#LABEL[@]} -eq 0 ]; then LABEL=(--label "$text"); else LABEL[1]="${LABEL[1]}; $text"; fi
done

# In the background with wait, so an INT or TERM to this script is handled at once.
# shellcheck disable=SC2086
"${NICE[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" \
  --direct-url "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
  --gateway-url "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --out "$RUN_DIR/results.md" \
  --cpu-pids "$CPU_PIDS" "${RELAY_ARGS[@]}" "${BENCH_ARGS[@]}" "${LABEL[@]}" \
  "$@" &
BENCH_PID=$!
status=0
wait "$BENCH_PID" || status=$?
BENCH_PID=
if [ -n "$REDIS_PID" ]; then
  # what the gateway asked of Redis over the whole run (warm-up included), per command
  redis-cli -p "$REDIS_PORT" info commandstats >"$RUN_DIR/redis-commandstats.txt" 2>&1 || true
  log "redis-server commands over the run (warm-up included; $RUN_DIR/redis-commandstats.txt): $(tr -d '\r' \
    <"$RUN_DIR/redis-commandstats.txt" | awk -F'[:,=]' '/^cmdstat_/ { sub("cmdstat_", "", $1); total += $3
      list = list (list == "" ? "" : ", ") $1 " " $3 } END { print total " in all: " list }')"
fi
if [ -n "$CACHE" ]; then
  # what the cache did over the whole run (warm-up included): the hits and misses must be what the run was for
  curl -s --max-time 10 "http://127.0.0.1:$GATEWAY_PORT/metrics" | grep '^gateway_cache_' >"$RUN_DIR/cache-metrics.txt" || true
  count() { awk -v name="$1" '$1 == name || index($1, name "{") == 1 { total += $NF } END { printf "%d", total }' "$RUN_DIR/cache-metrics.txt"; }
  hits=$(count gateway_cache_hits_total)
  misses=$(count gateway_cache_misses_total)
  log "response cache over the run (warm-up included; $RUN_DIR/cache-metrics.txt): $hits hits, $misses misses," \
    "$(count gateway_cache_bypasses_total) bypasses, $(count gateway_cache_evictions_total) evictions, $(count gateway_cache_bytes_count) stored"
  # a hit run misses only until the first answer of each mode is stored (requests in flight meanwhile miss too, many
  # on a machine that stalls the gateway): at most 1 % of the requests
  if { [ "$CACHE" = hit ] && [ $((misses * 100)) -gt $((hits + misses)) ]; } || { [ "$CACHE" = miss ] && [ "$hits" -gt 0 ]; } \
     || [ $((hits + misses)) -eq 0 ]; then
    log "the cache did not do what BENCH_CACHE=$CACHE measures; see $RUN_DIR/gateway.log"
    [ "$status" -eq 0 ] && status=3
  fi
fi
if [ "${BENCH_JFR:-0}" = 1 ]; then
  stop "$GATEWAY_PID" gateway
  GATEWAY_PID=
  log "JFR recording: $RUN_DIR/gateway.jfr (e.g. $JDK_HOME/bin/jfr print --events jdk.ExecutionSample $RUN_DIR/gateway.jfr)"
fi
exit $status
