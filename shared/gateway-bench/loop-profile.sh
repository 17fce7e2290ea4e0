#!/usr/bin/env bash
# Where the event loops' time goes per request at a low rate: the gateway (passthrough, BACKEND_URL) or the event-loop
# proxy in front of the bench fake upstream, one wrk connection pausing BENCH_PAUSE_MS between requests (about 700
# requests/s), async-profiler's CPU samples of the loops for BENCH_SECONDS once BENCH_WARMUP seconds of that same
# connection have passed — one wrk run throughout: when a warm-up connection closes, the JIT recompiles the loops' read
# path (uncommon traps on the close), and a profile taken right after measures the compiler. Then samples per request
# by component (loop-profile.py). Stops every process it started.
#
# Usage, from the repository root:
#   shared/gateway-bench/loop-profile.sh
#
# Environment:
#   BENCH_TARGET         gateway (default) | event-loop: the event-loop proxy in Java (EventLoopProxyMain)
#   BENCH_WARMUP         seconds before the profile starts (default 120); BENCH_SECONDS profiled seconds (default 30)
#   BENCH_PAUSE_MS       wrk's pause between a response and the next request (default 1)
#   BENCH_PROFILER       libasyncProfiler.so (default: async-profiler 4.2 from Maven Central, unpacked in target/)
#   BENCH_UPSTREAM_PORT  fake upstream port (default 18081); BENCH_GATEWAY_PORT gateway port (default 18080)
#   BENCH_RUN_DIR        logs and the collapsed profile, profile.txt (default shared/gateway-bench/target/loop-profile)
#   BENCH_BUILD          always | never | auto (default auto: build the jars when missing)
#   BENCH_GATEWAY_JAR    the gateway jar to run (default functions/app/target/gateway-app.jar)
#   GATEWAY_JAVA_OPTS    extra JVM options for the gateway
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)

TARGET=${BENCH_TARGET:-gateway}
WARMUP=${BENCH_WARMUP:-120}
SECONDS_PROFILED=${BENCH_SECONDS:-30}
PAUSE_MS=${BENCH_PAUSE_MS:-1}
UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18081}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18080}
RUN_DIR=${BENCH_RUN_DIR:-$ROOT/shared/gateway-bench/target/loop-profile}
BUILD=${BENCH_BUILD:-auto}
BENCH_JAR=$ROOT/shared/gateway-bench/target/gateway-bench.jar
GATEWAY_JAR=${BENCH_GATEWAY_JAR:-$ROOT/functions/app/target/gateway-app.jar}

log() { printf '[loop-profile] %s\n' "$*" >&2; }
case ${1:-} in -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac
case $TARGET in gateway|event-loop) ;; *) log "BENCH_TARGET is gateway or event-loop, not $TARGET"; exit 2 ;; esac
command -v wrk >/dev/null 2>&1 || { log "wrk is not on the PATH (apt-get install wrk)"; exit 2; }

# shellcheck source=shared/gateway-bench/bench-processes.sh
source "$ROOT/shared/gateway-bench/bench-processes.sh"
build_jars
PROFILER=${BENCH_PROFILER:-$ROOT/shared/gateway-bench/target/async-profiler/linux-x64/libasyncProfiler.so}
if [ ! -f "$PROFILER" ]; then
  log "fetching async-profiler 4.2 (tools.profiler:async-profiler:4.2:jar:linux-x64)"
  ./mvnw -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.2:jar:linux-x64 \
    -DoutputDirectory="$ROOT/shared/gateway-bench/target" >/dev/null
  mkdir -p "$ROOT/shared/gateway-bench/target/async-profiler"
  (cd "$ROOT/shared/gateway-bench/target/async-profiler" && "$(dirname "$JAVA")/jar" xf ../async-profiler-4.2-linux-x64.jar)
fi
require_free_ports "BENCH_UPSTREAM_PORT / BENCH_GATEWAY_PORT" "$UPSTREAM_PORT" "$GATEWAY_PORT"
stage_and_trap 100

start_upstream_and_target "$UPSTREAM_PORT" "$GATEWAY_PORT" "$TARGET"

chat_post_lua
printf 'function delay() return %s end\n' "$PAUSE_MS" >>"$RUN_DIR/post.lua"
log "one wrk connection with a ${PAUSE_MS} ms pause for $((WARMUP + SECONDS_PROFILED + 5)) s; the profile from ${WARMUP} s for ${SECONDS_PROFILED} s"
wrk -t1 -c1 -d"$((WARMUP + SECONDS_PROFILED + 5))s" -s "$RUN_DIR/post.lua" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  >"$RUN_DIR/wrk.txt" &
WRK=$!
PIDS+=("$WRK")
sleep "$WARMUP"
JCMD="$(dirname "$JAVA")/jcmd"
# jcmd reads an argument holding '=' as a named one: the agent's options go in quotes of their own
rm -f "$RUN_DIR/profile.txt"
"$JCMD" "$TARGET_PID" JVMTI.agent_load "$PROFILER" "\"start,event=cpu,interval=50us,threads,file=$RUN_DIR/profile.txt\"" >/dev/null
START=$(date +%s.%N)
sleep "$SECONDS_PROFILED"
"$JCMD" "$TARGET_PID" JVMTI.agent_load "$PROFILER" "\"stop,file=$RUN_DIR/profile.txt,collapsed\"" >/dev/null
END=$(date +%s.%N)
wait "$WRK" || true
RATE=$(awk '/Requests\/sec/ { print $2 }' "$RUN_DIR/wrk.txt")
REQUESTS=$(awk -v r="$RATE" -v s="$START" -v e="$END" 'BEGIN { printf "%d", r * (e - s) }')
log "$RATE requests/s over the whole run; about $REQUESTS requests in the profiled window"
python3 "$ROOT/shared/gateway-bench/loop-profile.py" "$RUN_DIR/profile.txt" "$REQUESTS"
