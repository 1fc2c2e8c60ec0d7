#!/usr/bin/env bash
# Builds the embed script and the npm package into pkg/ from this crate:
# the cdylib through `wasm-bindgen --target web` and wasm-opt, the custom
# element loader, TypeScript declarations and a generated package.json.
# With an argument (e.g. dist/embed), also writes the embed there, under
# v{version}/: the one-file loader with its SRI hash (bundle-embed.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/target/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

VERSION=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
cargo build --release --lib --target wasm32-unknown-unknown
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --no-typescript --out-dir pkg --out-name cg_inventory \
  target/wasm32-unknown-unknown/release/cg_inventory.wasm
wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  pkg/cg_inventory_bg.wasm -o pkg/cg_inventory_bg.wasm
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
# (cg-inventory.js: glue + element, with the wasm's SRI hash in it) and the
# wasm. Its own SRI hash is printed and written to integrity.txt beside it.
if [ $# -gt 0 ]; then
  rm -rf "$1" && mkdir -p "$1"
  node tests/tools/bundle-embed.mjs pkg "$1/v$VERSION"
  file="$1/v$VERSION/cg-inventory.js"
  printf '%-32s %8d bytes  %8d gzip\n' "embed v$VERSION/cg-inventory.js" "$(wc -c < "$file")" "$(gzip -9 -c "$file" | wc -c)"
fi
