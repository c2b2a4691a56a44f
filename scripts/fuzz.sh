#!/usr/bin/env bash
# Fuzzes every decoder of outside bytes with libFuzzer (cargo-fuzz, targets in tests/fuzz), each
# for FUZZ_SECONDS (default 30), and prints the executions per target. The bodies are those of
# the proptest twins (app/tests/common/fuzz.rs), which every test run already runs.
#
#   scripts/fuzz.sh                      # every target, 30 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh tx  # one target, longer
#
# Needs a nightly toolchain (libFuzzer's instrumentation); without one it says so and exits 0.
# The seed corpus in tests/fuzz/corpus stays small: new inputs go to a scratch directory. A
# crash is kept under tests/fuzz/artifacts/<target>/ and fails the run: make it a test.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${FUZZ_SECONDS:-30}"
[ "$secs" -gt 0 ] || { echo "[fuzz] FUZZ_SECONDS=0: skipped"; exit 0; }
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "[fuzz] no nightly toolchain (rustup toolchain install nightly): skipped"
  exit 0
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --version 0.13.2 --locked
# The same dependency versions as the project.
[ -f tests/fuzz/Cargo.lock ] || cp Cargo.lock tests/fuzz/Cargo.lock
target_dir="${FUZZ_TARGET_DIR:-$HOME/.cache/hub-fuzz-target}"
fuzz=(cargo +nightly fuzz)
opts=(--fuzz-dir tests/fuzz --target-dir "$target_dir")
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir tests/fuzz)
"${fuzz[@]}" build "${opts[@]}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t" "tests/fuzz/corpus/$t"
  log="$scratch/$t.log"
  # grpc_query opens one RocksDB store per process, whose allocations rust-rocksdb and
  # cnidarium never free; LeakSanitizer would stop on those at exit, not on the hub's code.
  leaks=1
  [ "$t" != grpc_query ] || leaks=0
  if ASAN_OPTIONS="detect_leaks=$leaks" "${fuzz[@]}" run "${opts[@]}" "$t" "$scratch/$t" "tests/fuzz/corpus/$t" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
      -detect_leaks="$leaks" >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED (see tests/fuzz/artifacts/$t/)"
    status=1
    tail -30 "$log"
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  printf '[fuzz] %-18s %10s executions in %ss: %s\n' "$t" "${runs:-?}" "$secs" "$result"
done
exit "$status"
