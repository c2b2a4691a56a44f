#!/usr/bin/env bash
# The main job: build; start a 4-validator hub and two spoke chains on loopback with real
# CometBFT, connected by Hermes (clients, connections, transfer channels); and run the
# demonstration (a bank transfer on every hub node, then tokens spoke-a -> hub -> spoke-b and
# back). Stop it with `localnet down` (or: scripts/localnet.sh down).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$(go env GOPATH)/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# `--release` (first argument) runs release builds of every binary, as the load figures in
# docs/BENCHMARKS.md do; the default debug build is quicker to build.
profile=debug
if [ "${1:-}" = "--release" ]; then profile=release; shift; fi
if [ "$profile" = release ]; then
  cargo build --release --workspace --bins
else
  cargo build --workspace --bins
fi
bin="${CARGO_TARGET_DIR:-target}/$profile"
if [ "${1:-}" = "down" ]; then exec "$bin/localnet" down; fi
"$bin/localnet" down >/dev/null 2>&1 || true
"$bin/localnet" up
"$bin/localnet" demo
"$bin/localnet" status
echo
echo "The network keeps running. Stop it with: scripts/localnet.sh down"
