# Sourced by side-by-side.sh and stream-memory.sh (bash): building the jars when missing, checking
# ports, staging the jars in $RUN_DIR, and stopping every process started whatever happens.
# Expects ROOT, RUN_DIR, BUILD, BENCH_JAR, GATEWAY_JAR and a log function; sets JAVA and PIDS.

JAVA="$("$ROOT/.mvn/jdk.sh")/bin/java"

# Builds the gateway and bench jars when BUILD is always, or auto and one of them is missing.
build_jars() {
  if [ "$BUILD" = always ] || { [ "$BUILD" = auto ] && { [ ! -f "$BENCH_JAR" ] || [ ! -f "$GATEWAY_JAR" ]; }; }; then
    log "building: ./mvnw -q -DskipTests package -pl functions/app,shared/gateway-bench -am"
    ./mvnw -q -DskipTests package -pl functions/app,shared/gateway-bench -am
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Exits 3 naming the variables to set when one of the ports ($2…) is taken; $1 names those variables.
require_free_ports() {
  local variables=$1 port
  shift
  for port in "$@"; do
    if port_in_use "$port"; then log "port $port is in use; set $variables"; exit 3; fi
  done
}

# Copies both jars into $RUN_DIR (a rebuild during the run cannot change what runs) and arranges that
# every pid added to PIDS gets TERM, then KILL after $1 tenths of a second, when the script ends.
stage_and_trap() {
  STOP_TENTHS=$1
  mkdir -p "$RUN_DIR"
  cp "$BENCH_JAR" "$RUN_DIR/gateway-bench.jar"
  cp "$GATEWAY_JAR" "$RUN_DIR/gateway-app.jar"
  PIDS=()
  trap stop_all EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

stop_all() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 "$STOP_TENTHS"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  exit "$status"
}

# Starts the bench fake upstream on port $1 and, on port $2, the gateway ($RUN_DIR/gateway-app.jar with GATEWAY_JAVA_OPTS,
# BACKEND_URL to that upstream) or, with $3 = event-loop, the event-loop proxy in Java; waits until both listen (exits 4
# when the second does not). Sets TARGET_PID.
start_upstream_and_target() {
  local upstream_port=$1 target_port=$2 target=${3:-gateway}
  "$JAVA" -cp "$RUN_DIR/gateway-bench.jar" io.llmgw.bench.BenchUpstreamMain "$upstream_port" >"$RUN_DIR/upstream.log" 2>&1 &
  PIDS+=($!)
  if [ "$target" = event-loop ]; then
    "$JAVA" -cp "$RUN_DIR/gateway-bench.jar" io.llmgw.bench.EventLoopProxyMain "$target_port" 127.0.0.1 "$upstream_port" \
      >"$RUN_DIR/event-loop.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    BACKEND_URL="http://127.0.0.1:$upstream_port/v1/chat/completions" PORT="$target_port" \
      "$JAVA" ${GATEWAY_JAVA_OPTS:-} -jar "$RUN_DIR/gateway-app.jar" >"$RUN_DIR/gateway.log" 2>&1 &
  fi
  TARGET_PID=$!
  PIDS+=("$TARGET_PID")
  for _ in $(seq 120); do
    port_in_use "$target_port" && port_in_use "$upstream_port" && break
    sleep 0.5
  done
  port_in_use "$target_port" || { log "the $target did not start (see $RUN_DIR)"; exit 4; }
}

# The bench's chat completion (170 bytes, max_tokens 16), the one every script's chat load sends.
CHAT_BODY='{"model":"gpt-4o-mini","max_tokens":16,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}]}'

# Writes $RUN_DIR/post.lua, a wrk script posting CHAT_BODY (streamed with $1 = stream) with the bench key.
chat_post_lua() {
  local body=$CHAT_BODY
  [ "${1:-}" = stream ] && body=${body/\"max_tokens\":16,/\"max_tokens\":16,\"stream\":true,}
  post_lua "$body"
}

# Writes $RUN_DIR/post.lua, a wrk script posting the JSON body $1 with the bench key.
post_lua() {
  cat >"$RUN_DIR/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$1'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-0000"
LUA
}
