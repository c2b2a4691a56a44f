#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, skipping what is already there:
#   - clang + libclang-dev (RocksDB's build), protobuf-compiler (Hermes's build)
#   - CometBFT, pinned, through `go install`
#   - Hermes, pinned, through `cargo install --locked` (about 30 minutes of CPU the first time)
# Safe to run again: every step checks first.
set -euo pipefail

COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"
HERMES_VERSION="${HERMES_VERSION:-1.11.0}"
GOBIN="${GOBIN:-$(go env GOPATH 2>/dev/null)/bin}"

say() { printf '[setup] %s\n' "$*"; }

need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang*.so >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  say "Debian packages present"
fi

command -v go >/dev/null 2>&1 || { echo "[setup] Go is required to install CometBFT (https://go.dev/doc/install)" >&2; exit 1; }
command -v cargo >/dev/null 2>&1 || { echo "[setup] Rust (cargo) is required (https://rustup.rs)" >&2; exit 1; }

have_cmt=""
if [ -x "$GOBIN/cometbft" ]; then
  have_cmt="$("$GOBIN/cometbft" version 2>/dev/null || true)"
fi
if [ "v${have_cmt#v}" = "$COMETBFT_VERSION" ]; then
  say "CometBFT $COMETBFT_VERSION present at $GOBIN/cometbft"
else
  say "installing CometBFT $COMETBFT_VERSION (go install)"
  go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
fi
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
have_hermes=""
if [ -x "$CARGO_BIN/hermes" ]; then
  have_hermes="$("$CARGO_BIN/hermes" version 2>/dev/null || true)"
fi
case "$have_hermes" in
  *" $HERMES_VERSION"*) say "Hermes $HERMES_VERSION present at $CARGO_BIN/hermes" ;;
  *)
    say "installing Hermes $HERMES_VERSION (cargo install ibc-relayer-cli --locked; about 30 minutes of CPU)"
    cargo install ibc-relayer-cli --version "$HERMES_VERSION" --locked --bin hermes
    ;;
esac

case ":$PATH:" in *":$GOBIN:"*) ;; *) say "note: add $GOBIN to PATH (export PATH=\"$GOBIN:\$PATH\")" ;; esac
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) say "note: add $CARGO_BIN to PATH (export PATH=\"$CARGO_BIN:\$PATH\")" ;; esac
say "done"
