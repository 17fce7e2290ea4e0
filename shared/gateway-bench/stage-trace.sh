#!/usr/bin/env bash
# Where a request's time goes inside the gateway at 1,000 requests/s: builds the current commit with
# stage-trace.patch applied (in a scratch git worktree, so neither this tree nor ~/.m2 sees it), runs
# run-load.sh with that jar, and prints the medians the patched gateway logs every 4,000 requests —
# microseconds between consecutive stages of one request on its event loop: the request's head
# decoded (begin), Gateway.handle, the body parsed, the route chosen, the upstream request encoded,
# written (the write system call included), the upstream's first read, the body handed over, then the
# answer's own steps (a stream: commit, headers started, first event relayed; a whole answer: usage
# read, model renamed, usage recorded, headers made), the client's write called and returned. The
# marks read System.nanoTime() about fifteen times per request, which the figures include.
#
# The patch is a diagnostic, never merged: it applies to the commit it was made on and to later ones
# until the marked lines change (git apply says so). Usage, from the repository root:
#   shared/gateway-bench/stage-trace.sh [run-load.sh options, default: --mode both --duration 30s --warmup 60s]
# Environment: BENCH_RELAY and the other run-load.sh variables pass through; STAGE_TRACE_DIR is the
# scratch worktree (default /tmp/llmgw-stage-trace, removed at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
WORKTREE=${STAGE_TRACE_DIR:-/tmp/llmgw-stage-trace}
log() { printf '[stage-trace] %s\n' "$*" >&2; }

git worktree remove --force "$WORKTREE" >/dev/null 2>&1 || rm -rf "$WORKTREE"
git worktree add --detach "$WORKTREE" HEAD >/dev/null
trap 'git -C "$ROOT" worktree remove --force "$WORKTREE" >/dev/null 2>&1 || true' EXIT
git -C "$WORKTREE" apply "$ROOT/shared/gateway-bench/stage-trace.patch"
log "building the traced gateway in $WORKTREE"
# package, not install: the patched modules stay in the scratch tree's reactor, out of ~/.m2
(cd "$WORKTREE" && ./mvnw -q -B -o -DskipTests -Djacoco.skip package -pl functions/app -am >/dev/null 2>&1 \
  || ./mvnw -q -B -DskipTests -Djacoco.skip package -pl functions/app -am >/dev/null)
JAR=$WORKTREE/functions/app/target/gateway-app.jar
mkdir -p "$ROOT/shared/gateway-bench/target"
cp "$JAR" "$ROOT/shared/gateway-bench/target/gateway-app-traced.jar"
RUN_DIR=${BENCH_RUN_DIR:-$ROOT/shared/gateway-bench/target/stage-trace}
ARGS=("$@"); [ ${#ARGS[@]} -eq 0 ] && ARGS=(--mode both --duration 30s --warmup 60s)
BENCH_RUN_DIR="$RUN_DIR" BENCH_GATEWAY_JAR="$ROOT/shared/gateway-bench/target/gateway-app-traced.jar" \
  shared/gateway-bench/run-load.sh "${ARGS[@]}"
log "stage medians logged by the traced gateway (the last ones of each mode are from its measured window):"
grep '^STAGES' "$RUN_DIR/gateway.log" | sed 's/ (n [0-9]*)//g'
