// Writes the embed: `node tests/tools/bundle-embed.mjs OUT NAME=DIR...`.
//
// Each NAME=DIR is one build of the widget (DIR holds wasm-bindgen's
// cg_inventory.js and the wasm-opt'd cg_inventory_bg.wasm of one set of
// cargo features; tests/tools/build-package.sh makes them). OUT gets:
// - cg_inventory_NAME.js and cg_inventory_NAME_bg.wasm for each build: the
//   glue as it is, plus one line that hands its `init` and `mount` to the
//   loader that ran it;
// - cg-inventory.js, the loader: the element (src/js/element.js) with the
//   table of builds filled in, each with the SRI hashes of its script and
//   wasm. The element picks a build per element from its attributes and
//   loads it with those hashes, so the SRI hash of the loader, which a host
//   page puts on its <script> tag, pins everything that runs. It is printed
//   and written to OUT/integrity.txt.
// No bundler: only three marked lines of the element change, and each
// script is minified by esbuild (installed by tests/tools/setup.sh), which
// keeps its names' meaning and its /*! header */.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [out, ...builds] = process.argv.slice(2);
if (!out || builds.length === 0 || !builds.every((build) => /^[a-z]+=./.test(build))) {
  console.error('usage: node tests/tools/bundle-embed.mjs OUT_DIR NAME=BUILD_DIR...');
  process.exit(2);
}
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
/** `text` with `from` replaced by `to`, exactly once, or the build stops. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`bundle-embed: expected one ${what} (${JSON.stringify(from)})`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
const ESBUILD = fileURLToPath(new URL('../../target/tools/node_modules/.bin/esbuild', import.meta.url));
/** `source` (an ES module) minified: comments and spaces out, local names shortened. */
const minify = (source) =>
  execFileSync(ESBUILD, ['--minify', '--format=esm', '--legal-comments=inline', '--log-level=warning'], { input: source, maxBuffer: 1 << 26 }).toString();

/** Stops the build if `file` is not valid JavaScript (a module). */
function checkSyntax(text) {
  const check = join(tmpdir(), `cg-inventory-embed-${process.pid}.mjs`);
  writeFileSync(check, text);
  try {
    execFileSync(process.execPath, ['--check', check], { stdio: 'inherit' });
  } finally {
    rmSync(check, { force: true });
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const version = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8')).version;
const table = {};
for (const build of builds) {
  const [name, dir] = [build.slice(0, build.indexOf('=')), build.slice(build.indexOf('=') + 1)];
  const glue = readFileSync(join(dir, 'cg_inventory.js'), 'utf8');
  if (/^\s*import\s/m.test(glue.replace(/^\s*\/\/.*$/gm, ''))) throw new Error(`bundle-embed: ${name}'s glue imports other files (snippets?); bundle them too`);
  if (!glue.includes('export { initSync, __wbg_init as default };')) throw new Error(`bundle-embed: ${name}'s glue's init is not __wbg_init`);
  const script = minify(`/*! cg-inventory ${version}, build "${name}": wasm-bindgen's glue for cg_inventory_${name}_bg.wasm, run by the embed's loader, cg-inventory.js */
${glue}
// Hands this build to the loader that ran it (src/js/element.js, importBuild).
globalThis[Symbol.for('cg-inventory.builds')]?.get(import.meta.url)?.({ init: __wbg_init, mount });
`);
  checkSyntax(script);
  const names = { script: `cg_inventory_${name}.js`, wasm: `cg_inventory_${name}_bg.wasm` };
  writeFileSync(join(out, names.script), script);
  copyFileSync(join(dir, 'cg_inventory_bg.wasm'), join(out, names.wasm));
  table[name] = {
    script: `./${names.script}`,
    scriptIntegrity: sri(Buffer.from(script)),
    wasm: `./${names.wasm}`,
    wasmIntegrity: sri(readFileSync(join(out, names.wasm))),
  };
}

let element = readFileSync(fileURLToPath(new URL('../../src/js/element.js', import.meta.url)), 'utf8');
element = replaceOnce(element, "import * as bundledBuild from './cg_inventory.js';", 'const bundledBuild = null;', "element's import of the npm package's build");
element = replaceOnce(element, 'const BUILDS = null;', `const BUILDS = ${JSON.stringify(table, null, 2)};`, 'table of builds');
element = replaceOnce(element, "export { default as init, mount } from './cg_inventory.js';", '', "element's re-export of the npm package's API");
const loader = minify(`/*! cg-inventory ${version}: the <cg-inventory> element (src/js/element.js) and the SRI hashes of its builds */
${element}`);
checkSyntax(loader);
writeFileSync(join(out, 'cg-inventory.js'), loader);
const integrity = sri(Buffer.from(loader));
writeFileSync(join(out, 'integrity.txt'), `${integrity}\n`);
console.log(`${join(out, 'cg-inventory.js')}  integrity="${integrity}"`);
