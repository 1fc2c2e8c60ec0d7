#!/usr/bin/env bash
# Installs what building and testing need, and only what is missing:
# the wasm target, trunk, wasm-bindgen-cli (the version in Cargo.lock),
# a wasm-opt that understands current wasm-bindgen output, esbuild, Chromium with
# its driver, and the end-to-end tests' npm packages.
set -euo pipefail
cd "$(dirname "$0")/../.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
ESBUILD_VERSION=0.28.2
TOOLS="$PWD/target/tools"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  step "Installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly.
[ -f Cargo.lock ] || cargo generate-lockfile
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$BINDGEN_VERSION" ] || { echo "setup: no wasm-bindgen version found in Cargo.lock" >&2; exit 1; }
if ! wasm-bindgen --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
  step "Installing wasm-bindgen-cli $BINDGEN_VERSION"
  # Not --locked: its lock file pins a crate the registry no longer has.
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

# Debian's binaryen (v108) mis-optimises the reference-types output of
# current wasm-bindgen; npm's binaryen is current. esbuild minifies the
# embed's scripts (tests/tools/bundle-embed.mjs). One npm call for both:
# a second would prune the first from the folder.
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}" \
  || ! "$TOOLS/node_modules/.bin/esbuild" --version 2>/dev/null | grep -qx "$ESBUILD_VERSION"; then
  step "Installing wasm-opt (binaryen $BINARYEN_VERSION) and esbuild $ESBUILD_VERSION from npm"
  mkdir -p "$TOOLS"
  npm install --no-save --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" "esbuild@$ESBUILD_VERSION"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  step "Installing Chromium and ChromeDriver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
  step "Installing the end-to-end tests' packages (playwright-core, no browser download; axe-core)"
  npm ci --no-audit --no-fund --prefix tests/e2e
fi
