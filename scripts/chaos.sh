#!/usr/bin/env bash
# Runs the chaos test (tests/tests/chaos.rs): a 4-validator hub, each validator in a network
# namespace of its own, and a spoke relayed by Hermes, under load, while validators are killed,
# stopped, cut off and split 2/2 and Hermes is restarted, in an order drawn from the seed.
# Prints the test's summary: the perturbations, heights, packets, committed txs and the result.
#
#   scripts/chaos.sh                              # seed 1, one round of every perturbation
#   CHAOS_SEED=7 CHAOS_ROUNDS=5 scripts/chaos.sh  # another order, five rounds
#
# Needs root (or CAP_NET_ADMIN) for the namespaces and nftables; without it the test says so
# and passes vacuously.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$(go env GOPATH)/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHAOS_SEED="${CHAOS_SEED:-1}" CHAOS_ROUNDS="${CHAOS_ROUNDS:-1}"
cargo build --workspace --bins
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test -p hub-e2e --test chaos -- --nocapture >"$log" 2>&1 || status=$?
if grep -q "=== chaos summary" "$log"; then
  sed -n '/=== chaos summary/,$p' "$log" | grep -v '^test result\|^$'
else
  # A failure (or the vacuous pass): the test's own lines and the panic.
  grep -E "^chaos:|panicked|^thread|kept in" "$log" || tail -n 40 "$log"
  [ "$status" -eq 0 ] || echo "  result:       FAILED (seed $CHAOS_SEED, $CHAOS_ROUNDS round(s))"
fi
exit "$status"
