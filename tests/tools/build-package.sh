#!/usr/bin/env bash
# Builds the npm package into pkg/ from this crate: the cdylib with every
# feature through `wasm-bindgen --target web` and wasm-opt, the custom
# element loader, TypeScript declarations and a generated package.json.
# With an argument (e.g. dist/embed), also writes the embed there, under
# v{version}/: the loader with its SRI hash and one build per kind of
# settings (bundle-embed.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/target/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

VERSION=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)

# One build of the cdylib into target/builds/NAME/ (cg_inventory.js and
# cg_inventory_bg.wasm): cargo with ARGS, wasm-bindgen --target web, wasm-opt.
build() {
  local name=$1 out="target/builds/$1"
  shift
  cargo build --release --lib --target wasm32-unknown-unknown "$@"
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name cg_inventory \
    target/wasm32-unknown-unknown/release/cg_inventory.wasm
  wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    "$out/cg_inventory_bg.wasm" -o "$out/cg_inventory_bg.wasm"
}

# The npm package has every part (the `default` features).
build full
rm -rf pkg && mkdir -p pkg
cp target/builds/full/cg_inventory.js target/builds/full/cg_inventory_bg.wasm pkg/
cp src/js/element.js pkg/cg-inventory.js
cp src/js/index.d.ts pkg/index.d.ts
cp src/js/README.md pkg/README.md
cat > pkg/package.json <<JSON
{
  "name": "cg-inventory",
  "version": "$VERSION",
  "description": "A Common Ground record shop's live catalogue, searchable on any web page (Rust + WebAssembly).",
  "license": "MIT",
  "type": "module",
  "main": "./cg_inventory.js",
  "types": "./index.d.ts",
  "exports": {
    ".": { "types": "./index.d.ts", "default": "./cg_inventory.js" },
    "./element": { "types": "./index.d.ts", "default": "./cg-inventory.js" },
    "./cg_inventory_bg.wasm": "./cg_inventory_bg.wasm"
  },
  "files": ["cg_inventory.js", "cg_inventory_bg.wasm", "cg-inventory.js", "index.d.ts", "README.md"],
  "sideEffects": ["./cg-inventory.js"]
}
JSON
for file in pkg/cg_inventory_bg.wasm pkg/cg_inventory.js pkg/cg-inventory.js; do
  printf '%-32s %8d bytes  %8d gzip\n' "$(basename "$file")" "$(wc -c < "$file")" "$(gzip -9 -c "$file" | wc -c)"
done
# The embed, served from a versioned path ($1/v$VERSION/): one loader
# (cg-inventory.js: the element, with the SRI hashes of every build in it)
# and the builds it chooses between per element, each with only the cargo
# features its settings use (src/js/element.js, buildFor; Cargo.toml).
# The loader's own SRI hash is printed and written to integrity.txt beside it.
if [ $# -gt 0 ]; then
  build browse --no-default-features
  for feature in checkout aggregator cursor; do
    build "$feature" --no-default-features --features "$feature"
  done
  rm -rf "$1" && mkdir -p "$1"
  node tests/tools/bundle-embed.mjs "$1/v$VERSION" \
    browse=target/builds/browse checkout=target/builds/checkout aggregator=target/builds/aggregator \
    cursor=target/builds/cursor full=target/builds/full
  for file in "$1/v$VERSION"/*.js "$1/v$VERSION"/*.wasm; do
    printf '%-40s %8d bytes  %8d gzip\n' "embed $(basename "$file")" "$(wc -c < "$file")" "$(gzip -9 -c "$file" | wc -c)"
  done
fi
