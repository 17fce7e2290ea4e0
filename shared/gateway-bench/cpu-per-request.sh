#!/usr/bin/env bash
# CPU per request at one connection: the gateway (passthrough, BACKEND_URL) in front of the bench fake upstream,
# wrk (closed loop, keep-alive) sending the side-by-side script's non-streaming chat completion, and the gateway
# process's user and system time from /proc over the measured window, divided by the requests; then each thread's
# share of the CPU the process used since it started. Stops every process it started.
#
# Usage, from the repository root:
#   shared/gateway-bench/cpu-per-request.sh
#
# Environment:
#   BENCH_CONNECTIONS    wrk connections (default 1)
#   BENCH_WARMUP         warm-up seconds (default 10); BENCH_SECONDS measured seconds (default 15)
#   BENCH_UPSTREAM_PORT  fake upstream port (default 18081); BENCH_GATEWAY_PORT gateway port (default 18080)
#   BENCH_RUN_DIR        logs (default shared/gateway-bench/target/cpu-per-request)
#   BENCH_BUILD          always | never | auto (default auto: build the jars when missing)
#   BENCH_GATEWAY_JAR    the gateway jar to run (default functions/app/target/gateway-app.jar), e.g. an older build
#   GATEWAY_JAVA_OPTS    extra JVM options for the gateway (e.g. -Dlogging.level.gateway.request=WARN)
#   BENCH_TARGET         gateway (default) | event-loop: measure the event-loop proxy in Java (EventLoopProxyMain, as in
#                        side-by-side.sh) on the gateway's port instead, the floor the gateway's figures compare with
#   BENCH_BODY           chat (default: a 170-byte chat completion) | chat-stream (the same, streamed: passed through as
#                        the upstream's chunks) | claude-code: Claude Code's captured request (41 KB,
#                        Anthropic Messages, streamed; from the real-clients fixtures, read with jq) to /v1/messages,
#                        | codex: Codex CLI's captured second turn (15 KB of Responses, streamed, tools) to /v1/responses,
#                        which the gateway translates to the fake upstream's chat completions — a real client's size
#   BENCH_PAUSE_MS       a pause wrk makes on each connection between a response and the next request (default 0):
#                        with BENCH_CONNECTIONS=1 and 1 ms, a low rate (about 700 requests/s here) instead of saturation
#   BENCH_BASELINE_JAR   another gateway jar (e.g. the build before a change) to compare with: both gateways run at once
#                        (the baseline on BENCH_BASELINE_PORT, default 18090), both are warmed, then wrk windows of
#                        BENCH_WINDOW seconds (default 5) alternate between them for BENCH_ROUNDS rounds (default 20; each
#                        side first in every other round),
#                        so that this machine's drift hits both alike; prints each window's requests/s and the event
#                        loops' and the whole process's CPU per request, then the medians. (BENCH_SECONDS is not used then.)
#   BASELINE_JAVA_OPTS   the baseline's JVM options (default: GATEWAY_JAVA_OPTS); with the same jar twice, compares options
#                        (e.g. BENCH_BASELINE_JAR=<the same jar> GATEWAY_JAVA_OPTS=-XX:+UseParallelGC BASELINE_JAVA_OPTS=)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)

CONNECTIONS=${BENCH_CONNECTIONS:-1}
WARMUP=${BENCH_WARMUP:-10}
SECONDS_MEASURED=${BENCH_SECONDS:-15}
UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18081}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18080}
RUN_DIR=${BENCH_RUN_DIR:-$ROOT/shared/gateway-bench/target/cpu-per-request}
TARGET=${BENCH_TARGET:-gateway}
case $TARGET in gateway|event-loop) ;; *) printf '[cpu-per-request] BENCH_TARGET is gateway or event-loop, not %s\n' "$TARGET" >&2; exit 2 ;; esac
BUILD=${BENCH_BUILD:-auto}
BENCH_JAR=$ROOT/shared/gateway-bench/target/gateway-bench.jar
GATEWAY_JAR=${BENCH_GATEWAY_JAR:-$ROOT/functions/app/target/gateway-app.jar}

log() { printf '[cpu-per-request] %s\n' "$*" >&2; }
case ${1:-} in -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac
command -v wrk >/dev/null 2>&1 || { log "wrk is not on the PATH (apt-get install wrk)"; exit 2; }

# shellcheck source=shared/gateway-bench/bench-processes.sh
source "$ROOT/shared/gateway-bench/bench-processes.sh"
build_jars
require_free_ports "BENCH_UPSTREAM_PORT / BENCH_GATEWAY_PORT" "$UPSTREAM_PORT" "$GATEWAY_PORT"
stage_and_trap 100

start_upstream_and_target "$UPSTREAM_PORT" "$GATEWAY_PORT" "$TARGET"
GATEWAY_PID=$TARGET_PID

# A wrk script posting the body the jq filter $2 picks from the real-clients fixture $1, with the header lines that follow.
fixture_post_lua() {
  local fixture=$1 filter=$2
  shift 2
  command -v jq >/dev/null 2>&1 || { log "BENCH_BODY=$BENCH_BODY needs jq (apt-get install jq)"; exit 2; }
  jq -c "$filter" "$ROOT/shared/gateway-testing/src/main/resources/fixtures/real-clients/$fixture" >"$RUN_DIR/body.json"
  { printf 'local file = io.open("%s", "rb")\nwrk.method = "POST"\nwrk.body = file:read("*a")\nfile:close()\n' "$RUN_DIR/body.json"
    printf '%s\n' 'wrk.headers["Content-Type"] = "application/json"' "$@"; } >"$RUN_DIR/post.lua"
}

case ${BENCH_BODY:-chat} in
  chat) chat_post_lua; REQUEST_PATH=/v1/chat/completions ;;
  chat-stream) chat_post_lua stream; REQUEST_PATH=/v1/chat/completions ;;
  claude-code)
    fixture_post_lua claude-code-plain.json '.requests[] | select(.path == "/v1/messages") | .body' \
      'wrk.headers["x-api-key"] = "sk-bench-0000"' 'wrk.headers["anthropic-version"] = "2023-06-01"'
    REQUEST_PATH=/v1/messages
    ;;
  codex)
    fixture_post_lua codex-cli-tool-round-trip.json '[.requests[] | select(.path == "/v1/responses")][-1] | .body' \
      'wrk.headers["Authorization"] = "Bearer sk-bench-0000"'
    REQUEST_PATH=/v1/responses
    ;;
  *) log "BENCH_BODY is chat, chat-stream, claude-code or codex, not $BENCH_BODY"; exit 2 ;;
esac
if [ "${BENCH_PAUSE_MS:-0}" != 0 ]; then
  printf 'function delay() return %s end\n' "$BENCH_PAUSE_MS" >>"$RUN_DIR/post.lua"
fi
URL="http://127.0.0.1:$GATEWAY_PORT$REQUEST_PATH"
# user and system time of /proc/<pid>[/task/<tid>]/stat, in clock ticks (a thread's name may hold spaces: cut it off first)
cpu_times() { sed 's/.*) //' "$1/stat" | awk '{ print $12, $13 }'; }

# each thread's name (digits at the end dropped: a pool's threads count as one) with its user and system ticks
thread_times() {
  local task user system name
  for task in /proc/"$GATEWAY_PID"/task/*; do
    # a thread may end between the listing and the read (the JIT's compiler threads come and go): left out
    read -r user system < <(cpu_times "$task" 2>/dev/null) || continue
    name=$(sed -E 's/[-#]?[0-9]+$//' "$task/comm" 2>/dev/null) || continue
    printf '%s\t%s\t%s\n' "$name" "$user" "$system"
  done
}

if [ -n "${BENCH_BASELINE_JAR:-}" ]; then
  # shellcheck source=shared/gateway-bench/cpu-alternating.sh
  source "$ROOT/shared/gateway-bench/cpu-alternating.sh"
  compare_alternating
  exit 0
fi

wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$RUN_DIR/post.lua" "$URL" >/dev/null
read -r user0 system0 < <(cpu_times "/proc/$GATEWAY_PID")
thread_times >"$RUN_DIR/threads-before.tsv"
OUT=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" --latency -s "$RUN_DIR/post.lua" "$URL")
read -r user1 system1 < <(cpu_times "/proc/$GATEWAY_PID")
thread_times >"$RUN_DIR/threads-after.tsv"
REQUESTS=$(printf '%s\n' "$OUT" | awk '/requests in/ { print $1 }')
TICK_US=$((1000000 / $(getconf CLK_TCK)))

printf '%s connection(s), %s s measured, load average %s\n' "$CONNECTIONS" "$SECONDS_MEASURED" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "$OUT" | grep -E ' 50%| 99%|Requests/sec'
printf 'requests %s; %s CPU per request: user %d us, system %d us\n' "$REQUESTS" "$TARGET" \
  $(( (user1 - user0) * TICK_US / REQUESTS )) $(( (system1 - system0) * TICK_US / REQUESTS ))
echo "by thread over the measured window, per request (a pool's threads together):"
awk -F'\t' -v requests="$REQUESTS" -v tick="$TICK_US" '
  FNR == NR { usr[$1] -= $2; sys[$1] -= $3; next }
  { usr[$1] += $2; sys[$1] += $3 }
  END { for (name in usr) if (usr[name] + sys[name] > 0)
          printf "%.2f\t%-20s user %.2f us, system %.2f us\n", (usr[name] + sys[name]) * tick / requests, name,
            usr[name] * tick / requests, sys[name] * tick / requests }' \
  "$RUN_DIR/threads-before.tsv" "$RUN_DIR/threads-after.tsv" | sort -rn | head -n 8 | cut -f2-
