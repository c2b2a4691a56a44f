#!/usr/bin/env bash
# Runs every test: unit, module, app (in-process ABCI) and end-to-end (real CometBFT).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$(go env GOPATH)/bin:$PATH"
cargo build --workspace --bins
cargo test --workspace -- --test-threads=2
