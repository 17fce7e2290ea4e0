#!/usr/bin/env bash
# Side by side: this gateway and Portkey's gateway (@portkey-ai/gateway from npm) in front of the same fake
# upstream, in one run, at one connection and at saturation. wrk (closed loop, keep-alive) sends the same
# non-streaming chat completion to three targets — the fake upstream directly, this gateway (passthrough to it
# through BACKEND_URL) and Portkey (provider openai, custom host = the fake upstream) — taking turns: each round
# measures every target once, in a rotating order, so drift on a shared machine hits all three alike. Per target,
# the median over the rounds of p50, p99 and requests/s; "added" is the target's figure minus the direct one's from
# the same round, and the ratio is Portkey's added latency over this gateway's. With nginx on the PATH, a fourth
# target: nginx as a plain reverse proxy to the same upstream (keep-alive upstream connections, an access log line
# per request, no parsing of the body) — not a peer but a reference, what an HTTP proxy written in C adds on this
# machine, against which the gateway's targets can be read. And an event-loop proxy in Java (EventLoopProxyMain: Netty,
# one event loop per core, no gateway work): what a request path that never hands a request between threads costs in
# a JVM here, the floor of an event-loop gateway. With BENCH_BASELINE_JAR, one more target: another build of
# this gateway, measured in the same rounds, so two builds are compared under the same drift (this machine's speed
# changes by more than most differences between builds from one run to the next). Stops every process it started.
#
# Usage, from the repository root:
#   shared/gateway-bench/side-by-side.sh
#
# Environment:
#   BENCH_UPSTREAM_PORT  fake upstream port (default 18081)
#   BENCH_GATEWAY_PORT   this gateway's port (default 18080)
#   BENCH_PEER_PORT      Portkey's port (default 18084)
#   BENCH_NGINX_PORT     nginx's port (default 18085); BENCH_NGINX=0 leaves nginx out even when it is installed
#   BENCH_EVENT_LOOP_PORT  the event-loop proxy's port (default 18087); BENCH_EVENT_LOOP=0 leaves it out, and
#                        BENCH_EVENT_LOOP=work has it do the gateway's own work for each request on its loop too (a
#                        gateway in the proxy's process, answered in-process, its answer dropped) before relaying it
#   BENCH_ROUNDS         rounds per load (default 5)
#   BENCH_SECONDS        seconds per target per round (default 5)
#   BENCH_WARMUP         seconds of warm-up per target and load before measuring (default 10)
#   BENCH_CONNECTIONS    connections at saturation (default 16; one wrk thread, the machine has 2 cores)
#   PORTKEY_VERSION      the npm version to install (default 1.15.2)
#   BENCH_PEERS_DIR      where Portkey is installed (default shared/gateway-bench/target/peers; target/ is ignored by git)
#   BENCH_RUN_DIR        logs and the report (default shared/gateway-bench/target/side-by-side)
#   BENCH_BUILD          always | never | auto (default auto: build the jars when missing)
#   BENCH_GATEWAY_JAR    the gateway jar to run (default functions/app/target/gateway-app.jar), e.g. an older build
#   BENCH_BASELINE_JAR   another gateway jar to measure beside it as the target "baseline" (e.g. the build before a
#                        change), on BENCH_BASELINE_PORT (default 18086); unset: none
#   BENCH_PORTKEY=0      leave Portkey out (e.g. for a comparison of two builds only)
#   GATEWAY_JAVA_OPTS, UPSTREAM_JAVA_OPTS   extra JVM options
# Needs wrk (Debian: apt-get install wrk), node and npm; nginx is optional (Debian: apt-get install nginx-light).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)

UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18081}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18080}
PEER_PORT=${BENCH_PEER_PORT:-18084}
NGINX_PORT=${BENCH_NGINX_PORT:-18085}
NGINX=$(command -v nginx || true)
[ "${BENCH_NGINX:-1}" = 0 ] && NGINX=
PORTKEY=${BENCH_PORTKEY:-1}
BASELINE_JAR=${BENCH_BASELINE_JAR:-}
BASELINE_PORT=${BENCH_BASELINE_PORT:-18086}
EVENT_LOOP=${BENCH_EVENT_LOOP:-1}
EVENT_LOOP_PORT=${BENCH_EVENT_LOOP_PORT:-18087}
EVENT_LOOP_WORK=
[ "$EVENT_LOOP" = work ] && EVENT_LOOP_WORK=1
ROUNDS=${BENCH_ROUNDS:-5}
SECONDS_PER=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
PORTKEY_VERSION=${PORTKEY_VERSION:-1.15.2}
PEERS_DIR=${BENCH_PEERS_DIR:-$ROOT/shared/gateway-bench/target/peers}
RUN_DIR=${BENCH_RUN_DIR:-$ROOT/shared/gateway-bench/target/side-by-side}
BUILD=${BENCH_BUILD:-auto}
BENCH_JAR=$ROOT/shared/gateway-bench/target/gateway-bench.jar
GATEWAY_JAR=${BENCH_GATEWAY_JAR:-$ROOT/functions/app/target/gateway-app.jar}

log() { printf '[side-by-side] %s\n' "$*" >&2; }

case ${1:-} in -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac
for tool in wrk node npm curl; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool is not on the PATH (wrk: apt-get install wrk)"; exit 2; }
done

# shellcheck source=shared/gateway-bench/bench-processes.sh
source "$ROOT/shared/gateway-bench/bench-processes.sh"
build_jars

PORTKEY_MAIN=$PEERS_DIR/node_modules/@portkey-ai/gateway/build/start-server.js
installed=$(node -p "require('$PEERS_DIR/node_modules/@portkey-ai/gateway/package.json').version" 2>/dev/null || true)
if [ "$PORTKEY" != 0 ] && [ "$installed" != "$PORTKEY_VERSION" ]; then
  log "installing @portkey-ai/gateway@$PORTKEY_VERSION into $PEERS_DIR"
  mkdir -p "$PEERS_DIR"
  npm install --prefix "$PEERS_DIR" --no-audit --no-fund --silent "@portkey-ai/gateway@$PORTKEY_VERSION" >&2
fi

require_free_ports "BENCH_UPSTREAM_PORT / BENCH_GATEWAY_PORT" "$UPSTREAM_PORT" "$GATEWAY_PORT"
[ "$PORTKEY" = 0 ] || require_free_ports BENCH_PEER_PORT "$PEER_PORT"
[ -z "$NGINX" ] || require_free_ports BENCH_NGINX_PORT "$NGINX_PORT"
[ -z "$BASELINE_JAR" ] || require_free_ports BENCH_BASELINE_PORT "$BASELINE_PORT"
[ "$EVENT_LOOP" = 0 ] || require_free_ports BENCH_EVENT_LOOP_PORT "$EVENT_LOOP_PORT"

stage_and_trap 100

# shellcheck disable=SC2086
"$JAVA" ${UPSTREAM_JAVA_OPTS:-} -cp "$RUN_DIR/gateway-bench.jar" io.llmgw.bench.BenchUpstreamMain "$UPSTREAM_PORT" \
  >"$RUN_DIR/upstream.log" 2>&1 &
PIDS+=($!)
# shellcheck disable=SC2086
BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" PORT="$GATEWAY_PORT" \
  "$JAVA" -XX:+ExitOnOutOfMemoryError ${GATEWAY_JAVA_OPTS:-} -jar "$RUN_DIR/gateway-app.jar" >"$RUN_DIR/gateway.log" 2>&1 &
PIDS+=($!)
if [ -n "$BASELINE_JAR" ]; then
  cp "$BASELINE_JAR" "$RUN_DIR/baseline-app.jar"
  # shellcheck disable=SC2086
  BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" PORT="$BASELINE_PORT" \
    "$JAVA" -XX:+ExitOnOutOfMemoryError ${GATEWAY_JAVA_OPTS:-} -jar "$RUN_DIR/baseline-app.jar" >"$RUN_DIR/baseline.log" 2>&1 &
  PIDS+=($!)
fi
if [ "$EVENT_LOOP" != 0 ]; then
  # shellcheck disable=SC2086
  "$JAVA" ${UPSTREAM_JAVA_OPTS:-} -cp "$RUN_DIR/gateway-bench.jar" io.llmgw.bench.EventLoopProxyMain "$EVENT_LOOP_PORT" 127.0.0.1 \
    "$UPSTREAM_PORT" ${EVENT_LOOP_WORK:+gateway-work} >"$RUN_DIR/event-loop.log" 2>&1 &
  PIDS+=($!)
fi
if [ "$PORTKEY" != 0 ]; then
  # --headless and production: no log UI, nothing but the proxy work.
  NODE_ENV=production node "$PORTKEY_MAIN" --port="$PEER_PORT" --headless >"$RUN_DIR/portkey.log" 2>&1 &
  PIDS+=($!)
fi
if [ -n "$NGINX" ]; then
  # One worker per core, as nginx is run in production; the master stays in the foreground so PIDS can stop it.
  mkdir -p "$RUN_DIR/nginx"
  cat >"$RUN_DIR/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $RUN_DIR/nginx/nginx.pid;
error_log $RUN_DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $RUN_DIR/nginx/access.log;
  client_body_temp_path $RUN_DIR/nginx/body;
  proxy_temp_path $RUN_DIR/nginx/proxy;
  upstream fake { server 127.0.0.1:$UPSTREAM_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://fake; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  "$NGINX" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" >"$RUN_DIR/nginx/stdout.log" 2>&1 &
  PIDS+=($!)
fi
[ "$PORTKEY" = 0 ] && PORTKEY_VERSION="not measured"
log "fake upstream :$UPSTREAM_PORT, gateway :$GATEWAY_PORT, Portkey $PORTKEY_VERSION${NGINX:+, nginx :$NGINX_PORT}${BASELINE_JAR:+, baseline :$BASELINE_PORT}, event-loop proxy :$EVENT_LOOP_PORT (logs in $RUN_DIR)"

BODY=$CHAT_BODY
DIRECT_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
PEER_URL="http://127.0.0.1:$PEER_PORT/v1/chat/completions"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
BASELINE_URL="http://127.0.0.1:$BASELINE_PORT/v1/chat/completions"
EVENT_LOOP_URL="http://127.0.0.1:$EVENT_LOOP_PORT/v1/chat/completions"
PEER_HEADERS=(-H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://127.0.0.1:$UPSTREAM_PORT/v1")

# One POST per request; done() prints p50 and p99 in microseconds, requests/s and the error counts.
chat_post_lua
cat >>"$RUN_DIR/post.lua" <<LUA
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.1f %d\n", latency:percentile(50), latency:percentile(99),
    summary.requests / (summary.duration / 1e6), errors))
end
LUA

wait_ok() { # $1 = name, then the curl arguments of one request that must answer 200
  local name=$1; shift
  local deadline=$((SECONDS + 90))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" 2>/dev/null)" = 200 ]; do
    [ $SECONDS -ge $deadline ] && { log "$name does not answer 200 after 90 s; see $RUN_DIR"; exit 4; }
    sleep 0.3
  done
}
CURL_POST=(-H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench-0000' -d "$BODY")
wait_ok "fake upstream" "${CURL_POST[@]}" "$DIRECT_URL"
wait_ok gateway "${CURL_POST[@]}" "$GATEWAY_URL"
[ "$PORTKEY" = 0 ] || wait_ok Portkey "${CURL_POST[@]}" "${PEER_HEADERS[@]}" "$PEER_URL"
[ -z "$NGINX" ] || wait_ok nginx "${CURL_POST[@]}" "$NGINX_URL"
[ -z "$BASELINE_JAR" ] || wait_ok baseline "${CURL_POST[@]}" "$BASELINE_URL"
[ "$EVENT_LOOP" = 0 ] || wait_ok "event-loop proxy" "${CURL_POST[@]}" "$EVENT_LOOP_URL"
log "every target answers 200"

run_wrk() { # $1 = target name, $2 = connections, $3 = seconds -> "p50us p99us rps errors"
  local target=$1 connections=$2 secs=$3 url extra=()
  case $target in
    direct) url=$DIRECT_URL ;;
    gateway) url=$GATEWAY_URL ;;
    portkey) url=$PEER_URL; extra=("${PEER_HEADERS[@]}") ;;
    nginx) url=$NGINX_URL ;;
    baseline) url=$BASELINE_URL ;;
    event-loop) url=$EVENT_LOOP_URL ;;
  esac
  wrk -t1 -c"$connections" -d"${secs}s" --timeout 10s -s "$RUN_DIR/post.lua" "${extra[@]}" "$url" \
    | awk '/^RESULT/ { print $2, $3, $4, $5 }'
}

TARGETS=(direct gateway)
[ "$PORTKEY" = 0 ] || TARGETS+=(portkey)
[ -z "$NGINX" ] || TARGETS+=(nginx)
[ -z "$BASELINE_JAR" ] || TARGETS+=(baseline)
[ "$EVENT_LOOP" = 0 ] || TARGETS+=(event-loop)
RESULTS=$RUN_DIR/results.txt
: >"$RESULTS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for connections in 1 "$CONNECTIONS"; do
  for target in "${TARGETS[@]}"; do
    log "c=$connections $target: warm-up ${WARMUP}s"
    run_wrk "$target" "$connections" "$WARMUP" >/dev/null
  done
  for round in $(seq 1 "$ROUNDS"); do
    for i in "${!TARGETS[@]}"; do
      target=${TARGETS[$(((i + round) % ${#TARGETS[@]}))]}
      read -r p50 p99 rps errors < <(run_wrk "$target" "$connections" "$SECONDS_PER")
      echo "$connections $round $target $p50 $p99 $rps $errors" >>"$RESULTS"
      log "c=$connections round $round $target: p50 ${p50} us, p99 ${p99} us, ${rps} req/s, errors $errors"
    done
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# Medians over the rounds; added = target minus direct within the same round, then the median.
REPORT=$RUN_DIR/results.md
awk -v load_start="$LOAD_START" -v load_end="$LOAD_END" -v version="$PORTKEY_VERSION" -v rounds="$ROUNDS" \
    -v secs="$SECONDS_PER" -v loads="1 $CONNECTIONS" -v targets="${TARGETS[*]}" '
  function ratio(peer, ours) { return ours > 0 && peer > 0 ? sprintf("%.1fx", peer / ours) : "n/a (an added figure is not above zero)" }
  function median(list,   n, arr, i, j, t) {
    n = split(list, arr, " ")
    for (i = 1; i <= n; i++) arr[i] += 0
    for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  { c = $1; r = $2; t = $3; p50[c, r, t] = $4; p99[c, r, t] = $5; rps[c, r, t] = $6; err[c, t] += $7; conns[c] = 1; rs[r] = 1 }
  END {
    printf "Side by side, %s rounds of %s s per target, load average %s at the start, %s at the end; Portkey %s; targets: %s.\n\n", rounds, secs, load_start, load_end, version, targets
    print "| connections | target | p50 ms | p99 ms | req/s | added p50 ms | added p99 ms | errors |"
    print "|---|---|--:|--:|--:|--:|--:|--:|"
    nc = split(loads, cs, " ")
    for (k = 1; k <= nc; k++) {
      c = cs[k]
      nt = split(targets, ts, " ")
      for (x = 1; x <= nt; x++) {
        t = ts[x]; l50 = l99 = lr = a50 = a99 = ""
        for (r in rs) {
          l50 = l50 " " p50[c, r, t]; l99 = l99 " " p99[c, r, t]; lr = lr " " rps[c, r, t]
          a50 = a50 " " (p50[c, r, t] - p50[c, r, "direct"]); a99 = a99 " " (p99[c, r, t] - p99[c, r, "direct"])
        }
        added50[c, t] = median(a50) / 1000; added99[c, t] = median(a99) / 1000
        medrps[c, t] = median(lr)
        printf "| %s | %s | %.3f | %.3f | %.0f | %s | %s | %d |\n", c, t, median(l50) / 1000, median(l99) / 1000, median(lr),
          t == "direct" ? "" : sprintf("%+.3f", added50[c, t]), t == "direct" ? "" : sprintf("%+.3f", added99[c, t]), err[c, t]
      }
    }
    print ""
    for (k = 1; k <= nc; k++) {
      c = cs[k]
      if (medrps[c, "portkey"] > 0) {
        printf "%s connection(s): Portkey'"'"'s added latency over this gateway'"'"'s: p50 %s, p99 %s", c,
          ratio(added50[c, "portkey"], added50[c, "gateway"]), ratio(added99[c, "portkey"], added99[c, "gateway"])
        printf " (requests/s: gateway %.0f %% of direct, Portkey %.0f %%)\n", 100 * medrps[c, "gateway"] / medrps[c, "direct"],
          100 * medrps[c, "portkey"] / medrps[c, "direct"]
      } else
        printf "%s connection(s): requests/s: gateway %.0f %% of direct\n", c, 100 * medrps[c, "gateway"] / medrps[c, "direct"]
      if (medrps[c, "nginx"] > 0)
        printf "%s connection(s), nginx as the reference: added p50 %+.3f ms (the gateway'"'"'s %.1fx of it), requests/s %.0f %% of direct\n", c,
          added50[c, "nginx"], (added50[c, "nginx"] > 0 ? added50[c, "gateway"] / added50[c, "nginx"] : 0), 100 * medrps[c, "nginx"] / medrps[c, "direct"]
      if (medrps[c, "event-loop"] > 0)
        printf "%s connection(s), the event-loop proxy in Java as the reference: added p50 %+.3f ms (the gateway'"'"'s %.1fx of it), requests/s %.0f %% of direct\n", c,
          added50[c, "event-loop"], (added50[c, "event-loop"] > 0 ? added50[c, "gateway"] / added50[c, "event-loop"] : 0), 100 * medrps[c, "event-loop"] / medrps[c, "direct"]
      if (medrps[c, "baseline"] > 0)
        printf "%s connection(s), the baseline build beside this one: added p50 %+.3f against %+.3f ms, requests/s %.0f against %.0f\n", c,
          added50[c, "baseline"], added50[c, "gateway"], medrps[c, "baseline"], medrps[c, "gateway"]
    }
  }' "$RESULTS" >"$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
cat "$REPORT"
errors=$(awk '{ s += $7 } END { print s + 0 }' "$RESULTS")
[ "$errors" = 0 ] || { log "$errors requests failed (see $RUN_DIR)"; exit 1; }
