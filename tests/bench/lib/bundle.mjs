// Bundle sizes: raw, gzip (level 9) and brotli (quality 11) of the files a
// contender's page loads, with Node's zlib.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Files in `dir` (not its subfolders) whose names end with one of `extensions`. */
export function filesIn(dir, extensions) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** `{ files: [{ name, raw, gzip, brotli }], raw, gzip, brotli }` for these files. */
export function bundleSize(paths) {
  const files = paths.map((path) => {
    const bytes = readFileSync(path);
    return {
      name: basename(path),
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    };
  });
  const total = (key) => files.reduce((sum, f) => sum + f[key], 0);
  return { files, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') };
}
