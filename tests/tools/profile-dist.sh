#!/usr/bin/env bash
# Makes target/dist-profile: the page `make build` put in dist/, with its
# wasm rebuilt from the same cargo output but keeping the function names
# (wasm-opt -g), so a CPU profile names Rust functions. The shipped dist/ is
# untouched. Run after `make build`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/target/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

OUT=target/dist-profile
JS=$(cd dist && ls cg-inventory-*.js | grep -v _bg)
NAME=${JS%.js}
rm -rf "$OUT" target/profile-bindgen && mkdir -p target/profile-bindgen
cp -r dist "$OUT"
# The same wasm-bindgen call as trunk's (which only renames the files); its
# JS must come out identical.
wasm-bindgen --target=web --out-dir=target/profile-bindgen --out-name=cg-inventory --no-typescript \
  target/wasm32-unknown-unknown/release/cg-inventory.wasm
cmp -s target/profile-bindgen/cg-inventory.js "dist/$NAME.js" \
  || { echo "profile-dist: dist/ is not from the current cargo build; run make build" >&2; exit 1; }
wasm-opt -Oz -g target/profile-bindgen/cg-inventory_bg.wasm -o "$OUT/${NAME}_bg.wasm"
# The page pins the shipped wasm's hash; the named one differs.
sed -i 's/ integrity="[^"]*"//g' "$OUT/index.html"
printf '%s: %d bytes with names (shipped: %d)\n' "$OUT/${NAME}_bg.wasm" "$(wc -c < "$OUT/${NAME}_bg.wasm")" "$(wc -c < "dist/${NAME}_bg.wasm")"
