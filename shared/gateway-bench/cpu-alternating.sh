# Sourced by cpu-per-request.sh when BENCH_BASELINE_JAR is set: starts the baseline gateway beside the one
# already running (same fake upstream, same settings), warms both, then alternates wrk windows between them, each
# first in every other round.
# CPU per request, from /proc over each window: the event loops' (threads named gateway-loop-*), and the whole
# process's (request threads, the JIT, GC and the log writer too: work that moves between the loops and other
# threads shows there).

loop_ticks() {  # user and system clock ticks of every gateway-loop thread of process $1
  local user=0 system=0 task u s
  for task in /proc/"$1"/task/*; do
    case $(cat "$task/comm" 2>/dev/null) in
      gateway-loop*) read -r u s < <(cpu_times "$task"); user=$((user + u)); system=$((system + s)) ;;
    esac
  done
  echo "$user $system"
}

compare_alternating() {
  local baseline_port=${BENCH_BASELINE_PORT:-18090} window=${BENCH_WINDOW:-5} rounds=${BENCH_ROUNDS:-20}
  local tick_us=$((1000000 / $(getconf CLK_TCK))) baseline_pid round order side pid port u0 s0 u1 s1 pu0 ps0 pu1 ps1 rps
  require_free_ports "BENCH_BASELINE_PORT" "$baseline_port"
  cp "$BENCH_BASELINE_JAR" "$RUN_DIR/baseline-app.jar"
  # shellcheck disable=SC2086
  BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" PORT="$baseline_port" \
    "$JAVA" ${BASELINE_JAVA_OPTS-${GATEWAY_JAVA_OPTS:-}} -jar "$RUN_DIR/baseline-app.jar" >"$RUN_DIR/baseline.log" 2>&1 &
  baseline_pid=$!
  PIDS+=("$baseline_pid")
  for _ in $(seq 120); do port_in_use "$baseline_port" && break; sleep 0.5; done
  port_in_use "$baseline_port" || { log "the baseline gateway did not start (see $RUN_DIR/baseline.log)"; exit 4; }

  for port in "$GATEWAY_PORT" "$baseline_port"; do
    wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$RUN_DIR/post.lua" "http://127.0.0.1:$port$REQUEST_PATH" >/dev/null
  done
  printf '%s connection(s), %s rounds of %s s windows, load average %s\n' "$CONNECTIONS" "$rounds" "$window" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  : >"$RUN_DIR/windows.tsv"
  for round in $(seq "$rounds"); do
    order="this baseline"
    [ $((round % 2)) = 0 ] && order="baseline this"  # each goes first in every other round: an order effect cancels out
    for side in $order; do
      if [ "$side" = this ]; then pid=$GATEWAY_PID; port=$GATEWAY_PORT; else pid=$baseline_pid; port=$baseline_port; fi
      read -r u0 s0 < <(loop_ticks "$pid")
      read -r pu0 ps0 < <(cpu_times "/proc/$pid")
      rps=$(wrk -t1 -c"$CONNECTIONS" -d"${window}s" -s "$RUN_DIR/post.lua" "http://127.0.0.1:$port$REQUEST_PATH" \
        | awk '/Requests\/sec/ { print $2 }')
      read -r u1 s1 < <(loop_ticks "$pid")
      read -r pu1 ps1 < <(cpu_times "/proc/$pid")
      awk -v side="$side" -v round="$round" -v rps="$rps" -v w="$window" -v tick="$tick_us" \
        -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v pu=$((pu1 - pu0)) -v ps=$((ps1 - ps0)) \
        'BEGIN { r = rps * w; printf "%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\n", side, round, rps, u * tick / r, s * tick / r,
                 pu * tick / r, ps * tick / r }' \
        | tee -a "$RUN_DIR/windows.tsv"
    done
  done
  echo "medians over the windows: side, requests/s, loops' user and system us/request, both, process user and system us/request, both"
  for side in this baseline; do
    printf '%s' "$side"
    for column in 3 4 5 8 6 7 9; do
      awk -F'\t' -v side="$side" -v c="$column" '$1 == side { print (c == 8 ? $4 + $5 : c == 9 ? $6 + $7 : $c) }' "$RUN_DIR/windows.tsv" \
        | sort -n | awk '{ v[NR] = $1 } END { printf "\t%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
    done
    echo
  done
}
