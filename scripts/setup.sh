#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, skipping what is already there:
#   - clang + libclang-dev (RocksDB's build), protobuf-compiler (Hermes's build)
#   - CometBFT, pinned, through `go install`
#   - cosmovisor, pinned, through `go install` (localnet runs every spoke node under it)
#   - Hermes, pinned, through `cargo install --locked` (about 30 minutes of CPU the first time)
#   - simd, the ibc-go v8.7.0 test chain, built from the pinned module (`localnet up
#     --with-ibc-go` runs it; a few minutes of CPU the first time)
# Safe to run again: every step checks first.
set -euo pipefail

COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"
# cosmovisor v1.5.0: the newest release whose module the Go module proxy serves us (v1.6.0 and
# v1.7.x are refused); it builds with Go 1.26.
COSMOVISOR_VERSION="${COSMOVISOR_VERSION:-v1.5.0}"
HERMES_VERSION="${HERMES_VERSION:-1.11.0}"
IBC_GO_VERSION="${IBC_GO_VERSION:-v8.7.0}"
GOBIN="${GOBIN:-$(go env GOPATH 2>/dev/null)/bin}"

say() { printf '[setup] %s\n' "$*"; }

need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang*.so >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# Network namespaces and nftables rules of the chaos test (tests/tests/chaos.rs).
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
command -v nft >/dev/null 2>&1 || need_apt+=(nftables)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  say "Debian packages present"
fi

command -v go >/dev/null 2>&1 || { echo "[setup] Go is required to install CometBFT and cosmovisor (https://go.dev/doc/install)" >&2; exit 1; }
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
COSMOVISOR_MODULE="cosmossdk.io/tools/cosmovisor"
have_cv=""
if [ -x "$GOBIN/cosmovisor" ]; then
  # the version `go install` recorded in the binary (its own `version` command needs a daemon set up)
  have_cv="$(go version -m "$GOBIN/cosmovisor" 2>/dev/null | awk -v m="$COSMOVISOR_MODULE" '$1 == "mod" && $2 == m { print $3 }')"
fi
if [ "$have_cv" = "$COSMOVISOR_VERSION" ]; then
  say "cosmovisor $COSMOVISOR_VERSION present at $GOBIN/cosmovisor"
else
  say "installing cosmovisor $COSMOVISOR_VERSION (go install)"
  if ! go install "${COSMOVISOR_MODULE}/cmd/cosmovisor@${COSMOVISOR_VERSION}"; then
    # `go install pkg@version` also asks the proxy for the module's version list (to look for a
    # deprecation notice); a proxy that serves the release but refuses the list makes it fail.
    # Fetch the release into the module cache, then install with the cache as the first proxy,
    # whose list names the fetched release.
    say "retrying cosmovisor through the module cache (the proxy refused its version list)"
    go mod download "${COSMOVISOR_MODULE}@${COSMOVISOR_VERSION}"
    GOPROXY="file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
      go install "${COSMOVISOR_MODULE}/cmd/cosmovisor@${COSMOVISOR_VERSION}"
  fi
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

# simd of ibc-go: `go install …@version` refuses a module whose go.mod has replace directives,
# so the pinned module is copied out of the module cache into a writable folder and built there.
IBC_GO_MODULE="github.com/cosmos/ibc-go/v8"
# (built inside its module, the binary records "(devel)" as its version: a stamp file beside it
# records the release)
have_simd=""
if [ -x "$GOBIN/simd" ] && [ -f "$GOBIN/simd.version" ]; then
  have_simd="$(cat "$GOBIN/simd.version")"
fi
if [ "$have_simd" = "$IBC_GO_VERSION" ]; then
  say "simd (ibc-go $IBC_GO_VERSION) present at $GOBIN/simd"
else
  say "building simd from ibc-go $IBC_GO_VERSION (go build; a few minutes of CPU)"
  src_dir="$(go mod download -json "${IBC_GO_MODULE}@${IBC_GO_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src_dir" ] || { echo "[setup] cannot download ${IBC_GO_MODULE}@${IBC_GO_VERSION}" >&2; exit 1; }
  work="$(mktemp -d)"
  cp -r "$src_dir" "$work/ibc-go"
  chmod -R u+w "$work/ibc-go"
  (cd "$work/ibc-go" && go build -o "$GOBIN/simd" ./testing/simapp/simd)
  echo "$IBC_GO_VERSION" > "$GOBIN/simd.version"
  rm -rf "$work"
fi

case ":$PATH:" in *":$GOBIN:"*) ;; *) say "note: add $GOBIN to PATH (export PATH=\"$GOBIN:\$PATH\")" ;; esac
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) say "note: add $CARGO_BIN to PATH (export PATH=\"$CARGO_BIN:\$PATH\")" ;; esac
say "done"
