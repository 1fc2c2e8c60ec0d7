// Writes the one-file embed loader: `node tests/tools/bundle-embed.mjs PKG OUT`.
//
// OUT/cg-inventory.js is the wasm-bindgen glue (PKG/cg_inventory.js) and the
// element (PKG/cg-inventory.js, from src/js/element.js) in one ES module, with
// the SRI hash of OUT/cg_inventory_bg.wasm written into it: the element
// fetches the module with `fetch(url, { integrity })`. So the SRI hash of
// that one script, which a host page puts on its <script> tag, pins
// everything that runs. The hash is printed and written to OUT/integrity.txt.
// No bundler: the glue is concatenated as it is and the element's one import
// of it becomes a local name.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  console.error('usage: node tests/tools/bundle-embed.mjs PKG_DIR OUT_DIR');
  process.exit(2);
}
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
/** `text` with `from` replaced by `to`, exactly once, or the build stops. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`bundle-embed: expected one ${what} (${JSON.stringify(from)})`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const wasm = readFileSync(join(pkg, 'cg_inventory_bg.wasm'));
const glue = readFileSync(join(pkg, 'cg_inventory.js'), 'utf8');
let element = readFileSync(join(pkg, 'cg-inventory.js'), 'utf8');
if (/^\s*import\s/m.test(glue.replace(/^\s*\/\/.*$/gm, ''))) throw new Error('bundle-embed: the glue imports other files (snippets?); bundle them too');
if (!glue.includes('export { initSync, __wbg_init as default };')) throw new Error("bundle-embed: the glue's init is not __wbg_init");

element = replaceOnce(element, "import init, { mount } from './cg_inventory.js';", 'const init = __wbg_init;', "element's import of the glue");
element = replaceOnce(element, 'const WASM_INTEGRITY = null;', `const WASM_INTEGRITY = ${JSON.stringify(sri(wasm))};`, 'integrity placeholder');
// The glue already exports `mount`.
element = replaceOnce(element, 'export { init, mount };', 'export { init };', "element's re-export");

const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;
const loader = `// cg-inventory ${version}: the <cg-inventory> element, its wasm-bindgen glue and
// the SRI hash of cg_inventory_bg.wasm in one module (tests/tools/bundle-embed.mjs).
${glue}
// ---- src/js/element.js ----
${element}`;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'cg-inventory.js'), loader);
copyFileSync(join(pkg, 'cg_inventory_bg.wasm'), join(out, 'cg_inventory_bg.wasm'));
// A duplicate name between the two parts is a syntax error: caught here.
const check = join(tmpdir(), `cg-inventory-loader-${process.pid}.mjs`);
writeFileSync(check, loader);
try {
  execFileSync(process.execPath, ['--check', check], { stdio: 'inherit' });
} finally {
  rmSync(check, { force: true });
}
const integrity = sri(Buffer.from(loader));
writeFileSync(join(out, 'integrity.txt'), `${integrity}\n`);
console.log(`${join(out, 'cg-inventory.js')}  integrity="${integrity}"`);
