#!/usr/bin/env bash
# Reports the size of the built widget (dist/): raw and gzip of wasm, js, css.
set -euo pipefail
cd "$(dirname "$0")/../../dist"
total_raw=0; total_gzip=0
for file in *.wasm *.js *.css; do
  [ -f "$file" ] || continue
  raw=$(wc -c < "$file"); gz=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)); total_gzip=$((total_gzip + gz))
  printf '%-48s %8d bytes  %8d gzip\n' "$file" "$raw" "$gz"
done
printf '%-48s %8d bytes  %8d gzip\n' "bundle (wasm + js + css)" "$total_raw" "$total_gzip"
