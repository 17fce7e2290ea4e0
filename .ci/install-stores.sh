#!/bin/sh
# The real stores the state-store tests run against, installed when missing (idempotent):
#  - redis-server from Debian's packages (the tests start it themselves on a free loopback port);
#  - dynalite 4.0.0 from npm, which answers the DynamoDB protocol, into .ci/tools (the tests start it).
set -eu
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  # the package starts a system-wide server on 6379; the tests use their own on a free port
  ($SUDO systemctl disable --now redis-server >/dev/null 2>&1 || $SUDO service redis-server stop >/dev/null 2>&1) || true
fi
echo "redis-server: $(redis-server --version | sed 's/ sha=.*//')"
if [ ! -x .ci/tools/node_modules/.bin/dynalite ]; then
  mkdir -p .ci/tools
  (cd .ci/tools && npm install --no-audit --no-fund --silent --prefix . dynalite@4.0.0 >/dev/null)
fi
echo "dynalite: $(cd .ci/tools && node -e 'console.log(require("dynalite/package.json").version)')"
