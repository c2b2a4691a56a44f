#!/usr/bin/env bash
# Runs every test: unit, module, app (in-process ABCI) and end-to-end (real CometBFT).
# Ends with one summary line: "tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$(go env GOPATH)/bin:$PATH"
cargo build --workspace --bins
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace -- --test-threads=2 2>&1 | tee "$log" || status=$?
passed=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) passed.*/\1/' | paste -sd+ - | bc)
failed=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) failed.*/\1/' | paste -sd+ - | bc)
echo
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
