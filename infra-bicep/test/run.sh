#!/bin/sh
# The Bicep checks, without a Bicep compiler (none is reachable on the build machines): installs the pinned
# tree-sitter-bicep grammar and web-tree-sitter into infra-bicep/test/node_modules from package-lock.json
# (no install scripts: the grammar's WebAssembly build loads offline, nothing is compiled), then parses
# every .bicep file and checks the templates' structure (node --test).
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm not found: the Bicep checks need Node.js 18 or later with npm" >&2
  exit 1
fi
npm ci --loglevel=error
node --test
