#!/usr/bin/env bash
# The main job: build, start a 4-validator hub on loopback with real CometBFT, and run the
# demonstration (a signed transfer committed on every node). Stop it with `localnet down`
# (or: scripts/localnet.sh down).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$(go env GOPATH)/bin:$PATH"
cargo build --workspace --bins
bin="${CARGO_TARGET_DIR:-target}/debug"
if [ "${1:-}" = "down" ]; then exec "$bin/localnet" down; fi
"$bin/localnet" down >/dev/null 2>&1 || true
"$bin/localnet" up
"$bin/localnet" demo
"$bin/localnet" status
echo
echo "The network keeps running. Stop it with: scripts/localnet.sh down"
