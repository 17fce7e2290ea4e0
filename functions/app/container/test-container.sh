#!/usr/bin/env bash
# Builds functions/app/Dockerfile with podman, runs the image, and checks it as a platform would use
# it: the image runs as a non-root user with the documented JVM flags and its CDS archive, its HEALTHCHECK and
# /health/ready pass, a streamed chat completion goes through it to the fake upstream, and SIGTERM
# drains a stream in flight (readiness 503 and new requests refused meanwhile, the stream completes,
# then the process exits).
#
# Works from nothing on a Debian machine, as root: installs podman, runc, mmdebstrap and curl with
# apt-get when they are missing, and makes the Java 21 base image itself (mmdebstrap: Debian trixie
# with openjdk-21-jre-headless, imported into podman), because no image registry may be reachable.
# The base tarball and podman's storage are kept in $CONTAINER_TEST_CACHE for the next run.
# Needs the built jars: ./mvnw -B -DskipTests package (functions/app, shared/gateway-bench).
#
# Environment:
#   CONTAINER_TEST_GATEWAY_PORT   the container's port on the host network (default 18190)
#   CONTAINER_TEST_UPSTREAM_PORT  the fake upstream's port (default 18191)
#   CONTAINER_TEST_CACHE          base tarball and podman storage (default ~/.cache/llm-gateway/container)
#   CONTAINER_TEST_REFRESH_BASE=1 make the base tarball again
#   CONTAINER_TEST_KEEP=1         keep the built image (localhost/llm-gateway:test) afterwards
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
ROOT=$(pwd)
GATEWAY_PORT=${CONTAINER_TEST_GATEWAY_PORT:-18190}
UPSTREAM_PORT=${CONTAINER_TEST_UPSTREAM_PORT:-18191}
CACHE=${CONTAINER_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llm-gateway/container}
BASE_PACKAGES=ca-certificates,openjdk-21-jre-headless
BASE_SUITE=trixie
BASE_TAR=$CACHE/base-$BASE_SUITE-openjdk21.tar
BASE_IMAGE=localhost/llm-gateway-base:$BASE_SUITE-openjdk21
IMAGE=localhost/llm-gateway:test
NAME=llm-gateway-container-test
KEY=container-test-key-0123456789abcdef012345
GRACE=20s
APP_JAR=$ROOT/functions/app/target/gateway-app.jar
BENCH_JAR=$ROOT/shared/gateway-bench/target/gateway-bench.jar
WORK=$(mktemp -d "${TMPDIR:-/tmp}/container-test.XXXXXX")

log() { printf '[container-test] %s\n' "$*" >&2; }
passed=0
pass() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$passed" "$*"; }
fail() {
  printf 'not ok - %s\n' "$*"
  if [ -n "${container_started:-}" ]; then
    log "container log (last 40 lines):"; pm logs "$NAME" 2>&1 | tail -n 40 >&2 || true
  fi
  printf 'container: %d passed, 1 failed\n' "$passed"
  exit 1
}

# --- tools ------------------------------------------------------------------------------------------
missing=()
for tool in podman runc mmdebstrap curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}; run as root (apt-get installs them) or install them first"; exit 2
  fi
  log "installing ${missing[*]} with apt-get"
  apt-get update -q >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$WORK/apt.log" 2>&1 \
    || { tail -n 30 "$WORK/apt.log" >&2; exit 2; }
fi
for jar in "$APP_JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { log "$jar is missing; build first: ./mvnw -B -DskipTests package"; exit 2; }
done
JAVA="$("$ROOT/.mvn/jdk.sh")/bin/java"

# podman as this machine allows it: copying storage (vfs), runc, cgroups without systemd, and the
# project's containers.conf (no raised ulimits, events to a file). Its own storage, not the host's.
export CONTAINERS_CONF=$ROOT/functions/app/container/containers.conf
mkdir -p "$CACHE"
pm() {
  podman --root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs --runtime runc --cgroup-manager cgroupfs "$@"
}

UPSTREAM_PID=
container_started=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$UPSTREAM_PID" ] && kill -0 "$UPSTREAM_PID" 2>/dev/null; then
    kill "$UPSTREAM_PID" 2>/dev/null || true
    wait "$UPSTREAM_PID" 2>/dev/null || true
  fi
  pm rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  if [ "${CONTAINER_TEST_KEEP:-0}" != 1 ]; then
    pm rmi -f "$IMAGE" >/dev/null 2>&1 || true
  fi
  pm image prune -f >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pm rm -f -t 0 "$NAME" >/dev/null 2>&1 || true  # left over from an interrupted run
for port in "$GATEWAY_PORT" "$UPSTREAM_PORT"; do
  if port_in_use "$port"; then
    log "port $port is in use on 127.0.0.1; set CONTAINER_TEST_GATEWAY_PORT / CONTAINER_TEST_UPSTREAM_PORT"; exit 2
  fi
done

# --- base image and build ------------------------------------------------------------------------
if [ "${CONTAINER_TEST_REFRESH_BASE:-0}" = 1 ]; then
  rm -f "$BASE_TAR"; pm rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
fi
if ! pm image exists "$BASE_IMAGE"; then
  if [ ! -f "$BASE_TAR" ]; then
    log "making the base image: mmdebstrap $BASE_SUITE with $BASE_PACKAGES"
    mmdebstrap --variant=apt --include="$BASE_PACKAGES" "$BASE_SUITE" "$WORK/base.tar" >"$WORK/mmdebstrap.log" 2>&1 \
      || { tail -n 30 "$WORK/mmdebstrap.log" >&2; exit 2; }
    mv "$WORK/base.tar" "$BASE_TAR"
  fi
  log "importing $BASE_TAR as $BASE_IMAGE"
  pm import "$BASE_TAR" "$BASE_IMAGE" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 2; }
fi

log "building functions/app/Dockerfile (BASE_IMAGE=$BASE_IMAGE)"
# docker format: OCI images have no HEALTHCHECK. One layer per stage: vfs copies the whole tree per layer.
pm build --format docker --layers=false --pull=never --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  -t "$IMAGE" -f functions/app/Dockerfile functions/app >"$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log" >&2; fail "the image builds"; }
pass "functions/app/Dockerfile builds on $BASE_IMAGE"

[ "$(pm image inspect --format '{{.Config.User}}' "$IMAGE")" = "10001:10001" ] || fail "the image's user is 10001:10001"
pm image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" | grep -q 'io.llmgw.app.HealthProbe' \
  || fail "the image has the HEALTHCHECK"

# --- run -----------------------------------------------------------------------------------------
# Streamed events 500 ms apart: a chat completion stays in flight for about 3.5 s.
"$JAVA" -cp "$BENCH_JAR" io.llmgw.testing.FakeUpstreamMain "$UPSTREAM_PORT" 500 >"$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!

pm run -d --name "$NAME" --network host \
  -e PORT="$GATEWAY_PORT" \
  -e BACKEND_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
  -e PROXY_API_KEY="$KEY" \
  -e SHUTDOWN_GRACE_PERIOD="$GRACE" \
  -e HEALTH_CHECK_INTERVAL_MS=off \
  "$IMAGE" >"$WORK/run.log" 2>&1 || { cat "$WORK/run.log" >&2; fail "the container starts"; }
container_started=1
BASE_URL=http://127.0.0.1:$GATEWAY_PORT

status_of() { curl -s -o "$WORK/body" -w '%{http_code}' --max-time 5 "$@" || true; }
deadline=$((SECONDS + 90))
until [ "$(status_of "$BASE_URL/health/ready")" = 200 ]; do
  [ "$(pm inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] || fail "the container keeps running (it exited)"
  [ $SECONDS -lt $deadline ] || fail "/health/ready answers 200 within 90 s"
  sleep 0.3
done
pass "/health/ready answers 200 (after $((SECONDS + 90 - deadline)) s)"

[ "$(status_of "$BASE_URL/health/live")" = 200 ] || fail "/health/live answers 200"
pm healthcheck run "$NAME" >"$WORK/healthcheck.log" 2>&1 || { cat "$WORK/healthcheck.log" >&2; fail "the image's HEALTHCHECK passes"; }
[ "$(pm inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ] || fail "podman reports the container healthy"
pass "HEALTHCHECK (HealthProbe on /health/live) passes and podman reports it healthy"

pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
host_uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")  # the real uid, as the host sees the process
inside_uid=$(pm exec "$NAME" id -u)
[ "$host_uid" = 10001 ] && [ "$inside_uid" = 10001 ] || fail "the JVM runs as uid 10001 (host sees $host_uid, container $inside_uid)"
pass "the JVM (PID 1 in the container) runs as non-root uid 10001"

cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
case "$cmdline" in
  *-XX:+ExitOnOutOfMemoryError*-XX:MaxRAMPercentage=75*-XX:SharedArchiveFile=/app/gateway-app.jsa*) pass "JVM flags in effect: $cmdline" ;;
  *) fail "the JVM runs with -XX:+ExitOnOutOfMemoryError, -XX:MaxRAMPercentage=75 and the CDS archive (got: $cmdline)" ;;
esac
# A JVM that cannot use the archive (another JVM, another class path) ignores it and starts anyway:
# only its mapping shows that the training run's archive fits.
grep -q '/app/gateway-app.jsa' "/proc/$pid/maps" || fail "the JVM maps the image's CDS archive (/app/gateway-app.jsa)"
pass "the JVM maps the CDS archive the image's training run made"

CHAT='{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}'
stream_to() { # $1 = output file
  curl -sN --max-time 60 -H "authorization: Bearer $KEY" -H 'content-type: application/json' -d "$CHAT" \
    "$BASE_URL/v1/chat/completions" >"$1"
}
content_of() { sed -n 's/^data: .*"delta":{[^}]*"content":"\([^"]*\)".*/\1/p' "$1" | tr -d '\n'; }
EXPECTED="Hello! How can I help you today?"

stream_to "$WORK/stream1.txt" || fail "a streamed chat completion answers"
events=$(grep -c '^data: ' "$WORK/stream1.txt" || true)
[ "$(grep '^data: ' "$WORK/stream1.txt" | tail -n 1)" = "data: [DONE]" ] || fail "the stream ends with [DONE]"
[ "$(content_of "$WORK/stream1.txt")" = "$EXPECTED" ] || fail "the streamed content is the upstream's ('$(content_of "$WORK/stream1.txt")')"
pass "streamed chat completion through the container: $events events, content \"$EXPECTED\", [DONE]"

# --- SIGTERM drains a stream in flight ---------------------------------------------------------------
stream_to "$WORK/stream2.txt" &
STREAM_PID=$!
deadline=$((SECONDS + 20))
until grep -q '^data: ' "$WORK/stream2.txt" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "the second stream starts"
  sleep 0.05
done
# podman stop sends the image's STOPSIGNAL (SIGTERM) and waits up to 40 s before SIGKILL.
pm stop -t 40 "$NAME" >"$WORK/stop.log" 2>&1 &
STOP_PID=$!

deadline=$((SECONDS + 10))
until [ "$(status_of "$BASE_URL/health/ready")" = 503 ]; do
  [ $SECONDS -lt $deadline ] || fail "/health/ready answers 503 after SIGTERM"
  sleep 0.05
done
grep -q '"status":"draining"' "$WORK/body" || fail "/health/ready says draining ($(cat "$WORK/body"))"
grep -q '^data: \[DONE\]' "$WORK/stream2.txt" && fail "readiness went down while the stream was still in flight (the stream had already ended)"
pass "after SIGTERM, /health/ready answers 503 {\"status\":\"draining\"} while the stream is in flight"

refused=$(curl -s -D "$WORK/refused-headers" -o "$WORK/refused" -w '%{http_code}' --max-time 5 \
  -H "authorization: Bearer $KEY" -H 'content-type: application/json' -d "$CHAT" "$BASE_URL/v1/chat/completions" || true)
[ "$refused" = 503 ] && grep -q '"code":"shutting_down"' "$WORK/refused" && grep -qi '^connection: close' "$WORK/refused-headers" \
  || fail "a new request while draining gets 503 shutting_down with connection: close (got $refused: $(cat "$WORK/refused"))"
pass "a new chat request while draining gets 503 {\"code\":\"shutting_down\"} in the OpenAI shape, connection: close"

wait "$STREAM_PID" || fail "the stream in flight finishes without a transport error"
[ "$(grep '^data: ' "$WORK/stream2.txt" | tail -n 1)" = "data: [DONE]" ] && [ "$(content_of "$WORK/stream2.txt")" = "$EXPECTED" ] \
  || fail "the stream in flight completes in full with [DONE]"
pass "the stream in flight at SIGTERM completed in full (content and [DONE])"

wait "$STOP_PID" || { cat "$WORK/stop.log" >&2; fail "podman stop returns"; }
exit_code=$(pm inspect -f '{{.State.ExitCode}}' "$NAME")
# 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran; 137 would be SIGKILL.
[ "$exit_code" = 143 ] || fail "the container exits on SIGTERM by itself, status 143 (got $exit_code)"
pm logs "$NAME" 2>/dev/null | grep '"message":"draining"' | grep -q '"in_flight":1' || fail "the log shows the drain starting with 1 request in flight"
pm logs "$NAME" 2>/dev/null | grep -q '"message":"drained"' || fail "the log shows the drain finished"
port_in_use "$GATEWAY_PORT" && fail "the listener is closed after the exit"
pass "the process drained (1 in flight), exited with 143 and closed its port"

printf 'container: %d passed, 0 failed\n' "$passed"
