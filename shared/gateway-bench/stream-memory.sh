#!/usr/bin/env bash
# Heap per stream in flight: the gateway (passthrough, BACKEND_URL) with a fixed heap, N slow streams through it at
# once from the bench fake upstream (one event every BENCH_EVENT_DELAY_MS, BENCH_CHUNKS text chunks each), a forced
# GC (jcmd GC.run) at steady state — every stream open — and the heap used after it, divided by N. Before the streams,
# BENCH_JIT_WARMUP seconds of short requests, streamed and not (wrk), let the JIT compile the request path, as in a server that has
# been up a while: a parked virtual thread's stack holds its frames as they are, and interpreted ones are larger. The
# same forced GC before the streams gives the idle baseline (both read from the GC log's line for the forced collection). The
# GC log says whether a full GC other than the forced ones happened; the class histograms idle and at steady state
# ($BENCH_RUN_DIR/histogram-idle.txt, histogram.txt) say what the heap holds, and per-stream.txt what a stream adds,
# class by class. (No thread dump: `jcmd Thread.dump_to_file` once crashed the JDK 25.0.3 gateway with 2,000 virtual
# threads mounting and unmounting, a SIGSEGV in the thread snapshot — JDK-8392031.)
# Stops every process it started.
#
# Usage, from the repository root:
#   shared/gateway-bench/stream-memory.sh
#
# Environment:
#   BENCH_STREAMS        streams in flight at once (default 2000)
#   BENCH_EVENT_DELAY_MS milliseconds between a stream's events (default 40)
#   BENCH_CHUNKS         text chunks per stream (default 400: with the delay, a stream lasts about 16 s)
#   BENCH_OPEN_RATE      streams opened per second (default 500)
#   BENCH_BODY           a file with the JSON body every stream sends (default: a one-line chat completion), e.g. a real
#                        client's request, to see what a stream costs with a request of that size; BENCH_PATH the path it
#                        goes to (default /v1/chat/completions; /v1/messages for an Anthropic body, translated to chat)
#   BENCH_UPSTREAM       chat (default: the fake upstream is the gateway's BACKEND_URL, a chat-completions API) or
#                        anthropic (it is the gateway's ANTHROPIC_BASE_URL instead, so Anthropic Messages requests —
#                        BENCH_PATH=/v1/messages — pass through as they are, the way Claude Code usually runs)
#   BENCH_JIT_WARMUP     seconds of short requests (streamed and not) before the streams (default 20; 0: none, and no wrk needed)
#   BENCH_HEAP           the gateway's -Xmx (default 512m)
#   BENCH_UPSTREAM_PORT  fake upstream port (default 18081); BENCH_GATEWAY_PORT gateway port (default 18080)
#   BENCH_RUN_DIR        logs, GC log and report (default shared/gateway-bench/target/stream-memory)
#   BENCH_BUILD          always | never | auto (default auto: build the jars when missing)
#   BENCH_GATEWAY_JAR    the gateway jar to run (default functions/app/target/gateway-app.jar), e.g. an older build
#   GATEWAY_JAVA_OPTS    extra JVM options for the gateway (e.g. another collector)
#   BENCH_NMT=1          also run the gateway with native memory tracking and report what outside the heap grows with
#                        the streams: NMT's "Other" category (direct byte buffers and other native allocations), idle and
#                        at steady state
#   BENCH_SIGTERM=1      after the steady-state reading, send the gateway SIGTERM with every stream still in flight: the
#                        report then says how long it took to exit and whether a new request was refused meanwhile
#                        (the streams' result says whether any was cut off)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)

STREAMS=${BENCH_STREAMS:-2000}
DELAY=${BENCH_EVENT_DELAY_MS:-40}
CHUNKS=${BENCH_CHUNKS:-400}
RATE=${BENCH_OPEN_RATE:-500}
HEAP=${BENCH_HEAP:-512m}
UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18081}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18080}
RUN_DIR=${BENCH_RUN_DIR:-$ROOT/shared/gateway-bench/target/stream-memory}
BUILD=${BENCH_BUILD:-auto}
BENCH_JAR=$ROOT/shared/gateway-bench/target/gateway-bench.jar
GATEWAY_JAR=${BENCH_GATEWAY_JAR:-$ROOT/functions/app/target/gateway-app.jar}

log() { printf '[stream-memory] %s\n' "$*" >&2; }
case ${1:-} in -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac

# shellcheck source=shared/gateway-bench/bench-processes.sh
source "$ROOT/shared/gateway-bench/bench-processes.sh"
JCMD=$(dirname "$JAVA")/jcmd
build_jars
require_free_ports "BENCH_UPSTREAM_PORT / BENCH_GATEWAY_PORT" "$UPSTREAM_PORT" "$GATEWAY_PORT"

stage_and_trap 150
rm -f "$RUN_DIR/gc.log"

"$JAVA" -cp "$RUN_DIR/gateway-bench.jar" io.llmgw.bench.BenchUpstreamMain "$UPSTREAM_PORT" "$DELAY" "$CHUNKS" \
  >"$RUN_DIR/upstream.log" 2>&1 &
PIDS+=($!)
NMT_OPTS=""
[ "${BENCH_NMT:-0}" = 1 ] && NMT_OPTS="-XX:NativeMemoryTracking=summary"
# shellcheck disable=SC2086
case ${BENCH_UPSTREAM:-chat} in
  chat) UPSTREAM_ENV=(BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions") ;;
  anthropic) UPSTREAM_ENV=(ANTHROPIC_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT") ;;
  *) log "BENCH_UPSTREAM is chat or anthropic, not ${BENCH_UPSTREAM}"; exit 2 ;;
esac
env "${UPSTREAM_ENV[@]}" PORT="$GATEWAY_PORT" \
  "$JAVA" -Xmx"$HEAP" -Xlog:gc:file="$RUN_DIR/gc.log" -XX:+ExitOnOutOfMemoryError $NMT_OPTS ${GATEWAY_JAVA_OPTS:-} \
  -jar "$RUN_DIR/gateway-app.jar" >"$RUN_DIR/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
deadline=$((SECONDS + 90))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$GATEWAY_PORT/health/ready")" = 200 ]; do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { log "the gateway exited; see $RUN_DIR/gateway.log"; exit 4; }
  [ $SECONDS -ge $deadline ] && { log "the gateway is not ready after 90 s"; exit 4; }
  sleep 0.3
done
# the warm-up's short requests go where the streams go, in their dialect
URL="http://127.0.0.1:$GATEWAY_PORT${BENCH_PATH:-/v1/chat/completions}"
STREAMS_URL=$URL
STREAMS_CMD=("$JAVA" -cp "$RUN_DIR/gateway-bench.jar" io.llmgw.bench.ConcurrentStreams "$STREAMS_URL")

heap_used_kb() { # forces a full GC, then the heap used right after it (from the GC log's line for it), in KB
  # (asking the JVM afterwards would also count what the streams allocated since: tens of MB at 2,000 streams)
  local before line
  before=$(wc -l <"$RUN_DIR/gc.log")
  "$JCMD" "$GATEWAY_PID" GC.run >/dev/null
  for _ in $(seq 50); do
    line=$(tail -n +"$((before + 1))" "$RUN_DIR/gc.log" | grep 'Pause Full (Diagnostic Command)' | tail -n 1)
    [ -n "$line" ] && break
    sleep 0.1
  done
  [ -n "$line" ] || { log "no forced full GC in $RUN_DIR/gc.log"; exit 5; }
  # "... Pause Full (Diagnostic Command) 381M->257M(459M) 301.232ms": the figure after the arrow
  printf '%s\n' "$line" | sed -n 's/.*->\([0-9]*\)\([KMG]\)(.*/\1 \2/p' \
    | awk '{ print $2 == "G" ? $1 * 1048576 : $2 == "M" ? $1 * 1024 : $1 }'
}

JIT_WARMUP=${BENCH_JIT_WARMUP:-20}
if [ "$JIT_WARMUP" -gt 0 ]; then
  command -v wrk >/dev/null 2>&1 || { log "wrk is not on the PATH (apt-get install wrk), or set BENCH_JIT_WARMUP=0"; exit 2; }
  # a short request in the streams' dialect: a chat completion and an Anthropic message share this shape,
  # the Responses API takes input and max_output_tokens
  WARMUP_BODY='{"model":"gpt-4o-mini","max_tokens":16,"messages":[{"role":"user","content":"Say hello in one short sentence."}]}'
  case $URL in */responses) WARMUP_BODY='{"model":"gpt-4o-mini","max_output_tokens":16,"input":"Say hello in one short sentence."}' ;; esac
  post_lua "$WARMUP_BODY"
  sed 's/"model":"gpt-4o-mini",/"model":"gpt-4o-mini","stream":true,/' "$RUN_DIR/post.lua" >"$RUN_DIR/post-stream.lua"
  log "warm-up: ${JIT_WARMUP} s of short requests, non-streamed and streamed at once"
  wrk -t1 -c2 -d"${JIT_WARMUP}s" -s "$RUN_DIR/post.lua" "$URL" >"$RUN_DIR/jit-warmup.txt" &
  warmup_pid=$!
  wrk -t1 -c2 -d"${JIT_WARMUP}s" -s "$RUN_DIR/post-stream.lua" "$URL" >"$RUN_DIR/jit-warmup-stream.txt"
  wait "$warmup_pid"
  # a warm-up the gateway refused compiled the error path, not the streams' (the figures would be inflated)
  if grep -q 'Non-2xx' "$RUN_DIR/jit-warmup.txt" "$RUN_DIR/jit-warmup-stream.txt"; then
    log "the warm-up requests were refused (non-2xx; see $RUN_DIR/jit-warmup*.txt)"; exit 5
  fi
fi
log "warm-up: 200 streams"
"${STREAMS_CMD[@]}" 200 "$RATE" ${BENCH_BODY:+"$BENCH_BODY"} >"$RUN_DIR/warmup.log" 2>&1 || { log "warm-up streams failed: $(tail -n 1 "$RUN_DIR/warmup.log")"; exit 5; }
IDLE_KB=$(heap_used_kb)
native_other_kb() { # NMT's "Other" (direct buffers and other native allocations), committed KB; empty without BENCH_NMT
  [ -n "$NMT_OPTS" ] || return 0
  "$JCMD" "$GATEWAY_PID" VM.native_memory summary | grep -A1 -E '^-[[:space:]]+Other' | sed -n 's/.*committed=\([0-9]*\)KB.*/\1/p' | head -n 1
}
IDLE_OTHER_KB=$(native_other_kb)
"$JCMD" "$GATEWAY_PID" GC.class_histogram 2>/dev/null >"$RUN_DIR/histogram-idle.txt" || true
log "idle heap after a forced GC: $IDLE_KB KB"
GC_LINES_BEFORE=$(wc -l <"$RUN_DIR/gc.log")

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
"${STREAMS_CMD[@]}" "$STREAMS" "$RATE" ${BENCH_BODY:+"$BENCH_BODY"} >"$RUN_DIR/streams.log" 2>&1 &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
until grep -q '^STEADY' "$RUN_DIR/streams.log"; do
  kill -0 "$CLIENT_PID" 2>/dev/null || { log "the stream client ended early: $(tail -n 2 "$RUN_DIR/streams.log")"; exit 5; }
  sleep 0.2
done
sleep 0.2; log "$(grep "^STEADY" "$RUN_DIR/streams.log")"
sleep 1
STEADY_KB=$(heap_used_kb)
STEADY_OTHER_KB=$(native_other_kb)
LOAD_STEADY=$(cut -d' ' -f1-3 /proc/loadavg)
# what the heap holds at steady state, by class (the largest first)
"$JCMD" "$GATEWAY_PID" GC.class_histogram 2>/dev/null >"$RUN_DIR/histogram.txt" || true
# what a stream adds, by class: (steady - idle) / streams, the largest first
awk -v n="$STREAMS" 'FNR == 1 { file++ } $1 ~ /^[0-9]+:$/ { b[$4] += (file == 1 ? -$3 : $3); c[$4] += (file == 1 ? -$2 : $2) }
  END { for (k in b) if (b[k] > 0) printf "%8.0f B %7.2f  %s\n", b[k] / n, c[k] / n, k }' \
  "$RUN_DIR/histogram-idle.txt" "$RUN_DIR/histogram.txt" | sort -rn | head -n 40 >"$RUN_DIR/per-stream.txt" || true
log "heap after a forced GC with $STREAMS streams in flight: $STEADY_KB KB"
SHUTDOWN=""
if [ "${BENCH_SIGTERM:-0}" = 1 ]; then
  term_start=$(date +%s%N)
  kill -TERM "$GATEWAY_PID"
  refused=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$GATEWAY_PORT/health/ready" || true)
  while kill -0 "$GATEWAY_PID" 2>/dev/null; do sleep 0.1; done
  SHUTDOWN=$(awk -v ns=$(($(date +%s%N) - term_start)) -v r="$refused" -v n="$STREAMS" \
    'BEGIN { printf "SIGTERM with %d streams in flight: the gateway exited after %.1f s; /health/ready during the drain answered %s.", n, ns / 1e9, r }')
  log "$SHUTDOWN"
fi
client_status=0
wait "$CLIENT_PID" || client_status=$?
RESULT=$(grep '^DONE' "$RUN_DIR/streams.log" || echo "DONE (no result line; see $RUN_DIR/streams.log)")

# GC during the streams, the ones this script forces excluded: jcmd GC.run logs "Diagnostic Command", the class
# histogram "Heap Inspection Initiated GC" (and System.gc() for completeness)
GC_RUN=$(tail -n +"$((GC_LINES_BEFORE + 1))" "$RUN_DIR/gc.log" | grep -v -e 'System.gc()' -e 'Diagnostic Command' -e 'Heap Inspection' || true)
FULL=$(printf '%s\n' "$GC_RUN" | grep -c 'Pause Full' || true)
YOUNG=$(printf '%s\n' "$GC_RUN" | grep -c 'Pause Young' || true)
MAX_PAUSE=$(printf '%s\n' "$GC_RUN" | { grep 'Pause' || true; } | sed -n 's/.* \([0-9.]*\)ms$/\1/p' | sort -n | tail -n 1)
REPORT=$RUN_DIR/results.md
{
  [ -z "${BENCH_BODY:-}" ] || echo "Each stream sent $(wc -c <"$BENCH_BODY") bytes (${BENCH_BODY##*/}) to ${BENCH_PATH:-/v1/chat/completions}."
  echo "$STREAMS streams, one event every $DELAY ms ($CHUNKS text chunks each), -Xmx$HEAP, after $JIT_WARMUP s of short requests (streamed and not); load average $LOAD_START at the start, $LOAD_STEADY at steady state."
  echo
  echo "| streams | heap after forced GC, idle | with the streams in flight | per stream (total / streams) | per stream (over idle) | full GCs (not forced) | young GCs | longest pause | streams |"
  echo "|--:|--:|--:|--:|--:|--:|--:|--:|---|"
  awk -v n="$STREAMS" -v idle="$IDLE_KB" -v steady="$STEADY_KB" -v full="$FULL" -v young="$YOUNG" -v pause="${MAX_PAUSE:-0}" \
      -v result="${RESULT#DONE }" 'BEGIN {
    printf "| %d | %.1f MB | %.1f MB | %.1f KB | %.1f KB | %d | %d | %s ms | %s |\n", n, idle / 1024, steady / 1024, steady / n,
      (steady - idle) / n, full, young, pause, result }'
  [ -z "$IDLE_OTHER_KB" ] || { echo; awk -v i="$IDLE_OTHER_KB" -v s="$STEADY_OTHER_KB" -v n="$STREAMS" 'BEGIN {
    printf "Outside the heap (NMT \"Other\": direct buffers and other native allocations): %.1f MB idle, %.1f MB with the streams, %.1f KB per stream.\n", i / 1024, s / 1024, (s - i) / n }'; }
  [ -z "$SHUTDOWN" ] || { echo; echo "$SHUTDOWN"; }
  echo; echo "What a stream adds, by class (bytes and instances per stream; $RUN_DIR/per-stream.txt):"; echo
  head -n 8 "$RUN_DIR/per-stream.txt" | sed 's/^/    /'
} >"$REPORT"
cat "$REPORT"
[ "$client_status" = 0 ] || { log "some streams failed (see $RUN_DIR/streams.log)"; exit 1; }
