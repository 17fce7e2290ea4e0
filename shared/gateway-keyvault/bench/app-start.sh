#!/bin/sh
# What including gateway-keyvault costs the app's start when KEY_VAULT_URI is unset: starts each given
# gateway-app.jar RUNS times (alternating), with an environment-only configuration and no vault, and prints
# Spring's "Started ... in" seconds, the JVM's CPU time at that moment, the classes loaded and how many of
# them are Azure SDK or Reactor classes. Usage:
#   shared/gateway-keyvault/bench/app-start.sh functions/app/target/gateway-app.jar [another-gateway-app.jar ...]
set -eu
RUNS=${RUNS:-5}
PORT_BASE=${PORT_BASE:-18180}
JAVA="$("$(dirname "$0")/../../../.mvn/jdk.sh")/bin/java"
[ $# -ge 1 ] || { echo "usage: $0 gateway-app.jar [gateway-app.jar ...]" >&2; exit 2; }
for jar in "$@"; do [ -f "$jar" ] || { echo "$jar: no such jar (build with ./mvnw -q -pl functions/app -am -DskipTests package)" >&2; exit 2; }; done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for jar in "$@"; do n=$((n + 1)); echo "jar $n: $jar"; done
printf '%-4s %-4s %10s %8s %8s %6s %8s\n' run jar started_s cpu_ms classes azure reactor
run=1
while [ "$run" -le "$RUNS" ]; do
  n=0
  for jar in "$@"; do
    n=$((n + 1))
    port=$((PORT_BASE + n))
    rm -f "$tmp/out" "$tmp/classes"
    : >"$tmp/out"
    env -u KEY_VAULT_URI -u AZURE_KEY_VAULT_URL -u KEY_VAULT_SECRET_PREFIX \
      PORT=$port BACKEND_URL=http://127.0.0.1:9/v1/chat/completions \
      PROXY_API_KEY=gw-bench-key-0123456789abcdef0123456789 HEALTH_CHECK_INTERVAL_MS=off \
      "$JAVA" -Xlog:class+load=info:file="$tmp/classes" -jar "$jar" >"$tmp/out" 2>&1 &
    pid=$!
    i=0
    while ! grep -q "Started GatewayApplication" "$tmp/out" && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    started=$(grep -o 'Started GatewayApplication in [0-9.]* seconds' "$tmp/out" | grep -o '[0-9.]*' || echo '?')
    printf '%-4s %-4s %10s %8s %8s %6s %8s\n' "$run" "$n" "$started" \
      $((ticks * 1000 / $(getconf CLK_TCK))) "$(wc -l < "$tmp/classes")" \
      "$(grep -c ' com\.azure\.' "$tmp/classes" || true)" "$(grep -c ' reactor\.' "$tmp/classes" || true)"
  done
  run=$((run + 1))
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
