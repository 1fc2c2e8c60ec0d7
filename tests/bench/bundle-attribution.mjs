// Where the widget's bundle goes: the shipped wasm's code, function by
// function, grouped by the crate each function comes from, with the data
// section, the JS glue and the CSS beside it.
//
//   make build && tests/tools/profile-dist.sh   (the shipped wasm, optimised the same way, with its function names kept)
//   node tests/bench/bundle-attribution.mjs
//
// Each part is compressed on its own (the wasm's type, import, export and
// table sections are left out), so the parts do not add up to the shipped
// gzip exactly: read them as shares of it.
// DIST (default target/dist-profile) is the page whose wasm has names.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../e2e/harness.mjs';

const DIST = process.env.DIST || `${ROOT}target/dist-profile`;

/** The groups reported, by the crate a function belongs to. */
const GROUPS = [
  ['this widget (cg_inventory)', /^cg_inventory$/],
  ['Leptos (leptos, tachys, reactive_graph, their helpers)', /^(leptos|leptos_\w+|tachys|reactive_graph|reactive_stores|any_spawner|throw_error|or_poisoned|oco_ref|next_tuple|send_wrapper|slotmap|indexmap|either_of|guardian|futures\w*|pin_project\w*|wasm_split_helpers)$/],
  ['browser bindings (wasm-bindgen, js-sys, web-sys, gloo)', /^(wasm_bindgen\w*|js_sys|web_sys|gloo\w*|console_error_panic_hook)$/],
  ['Rust standard library (core, alloc, std, allocator, compiler builtins)', /^(core|alloc|std|dlmalloc|compiler_builtins|hashbrown|__rustc|memchr|rustc_demangle)$/],
  ['serde, serde_json', /^(serde|serde_core|serde_json|ryu|itoa)$/],
];

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** Function bodies (with their names, when the name section has them) and the data section. */
function readWasm(bytes) {
  let at = 8;
  let imported = 0;
  const bodies = [];
  const names = new Map();
  let data = new Uint8Array();
  while (at < bytes.length) {
    const id = bytes[at++];
    let size;
    [size, at] = leb(bytes, at);
    const end = at + size;
    if (id === 2) {
      let [count, i] = leb(bytes, at);
      for (; count > 0; count -= 1) {
        for (let part = 0; part < 2; part += 1) {
          let length;
          [length, i] = leb(bytes, i);
          i += length;
        }
        const kind = bytes[i++];
        if (kind === 0) {
          imported += 1;
          [, i] = leb(bytes, i);
        } else if (kind === 1) {
          i += 1;
          let flags;
          [flags, i] = leb(bytes, i);
          [, i] = leb(bytes, i);
          if (flags & 1) [, i] = leb(bytes, i);
        } else if (kind === 2) {
          let flags;
          [flags, i] = leb(bytes, i);
          [, i] = leb(bytes, i);
          if (flags & 1) [, i] = leb(bytes, i);
        } else {
          i += 2;
        }
      }
    } else if (id === 10) {
      let [count, i] = leb(bytes, at);
      for (; count > 0; count -= 1) {
        let length;
        [length, i] = leb(bytes, i);
        bodies.push(bytes.subarray(i, i + length));
        i += length;
      }
    } else if (id === 11) {
      data = bytes.subarray(at, end);
    } else if (id === 0) {
      let [length, i] = leb(bytes, at);
      const name = new TextDecoder().decode(bytes.subarray(i, i + length));
      i += length;
      while (name === 'name' && i < end) {
        const sub = bytes[i++];
        let subSize;
        [subSize, i] = leb(bytes, i);
        const subEnd = i + subSize;
        if (sub === 1) {
          let [count, j] = leb(bytes, i);
          for (; count > 0; count -= 1) {
            let index;
            let nameLength;
            [index, j] = leb(bytes, j);
            [nameLength, j] = leb(bytes, j);
            names.set(index, new TextDecoder().decode(bytes.subarray(j, j + nameLength)));
            j += nameLength;
          }
        }
        i = subEnd;
      }
    }
    at = end;
  }
  return { functions: bodies.map((body, k) => ({ body, name: names.get(imported + k) ?? '' })), data, named: names.size };
}

/** The crate a (demangled or legacy-mangled) Rust symbol comes from; for `<A as B>::f`, the crate of A unless only B is named. */
function crateOf(symbol) {
  let text = symbol;
  const legacy = symbol.match(/^_ZN(.*)E$/);
  if (legacy) {
    const parts = [];
    let rest = legacy[1];
    while (/^\d/.test(rest)) {
      const length = Number(rest.match(/^\d+/)[0]);
      rest = rest.slice(String(length).length);
      parts.push(rest.slice(0, length));
      rest = rest.slice(length);
    }
    text = parts
      .join('::')
      .replace(/\$LT\$/g, '<')
      .replace(/\$GT\$/g, '>')
      .replace(/\$u20\$/g, ' ')
      .replace(/\$RF\$/g, '&')
      .replace(/\$C\$/g, ',')
      .replace(/\$BP\$/g, '*')
      .replace(/\.\./g, '::')
      .replace(/^_/, '');
  }
  if (text.includes('cg_inventory')) return 'cg_inventory';
  const path = text.replace(/^[<&*\s]*(mut |const |dyn )?/, '');
  const crate = path.match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0] ?? '';
  if (/^[A-Z]$|^(T|F|S|K|V|E|A|str|u8|u16|u32|u64|usize|i32|i64|f64|bool|char)$/.test(crate)) {
    return text.match(/ as ([A-Za-z_][A-Za-z0-9_]*)/)?.[1] ?? crate;
  }
  return crate;
}

const kb = (bytes) => (bytes / 1000).toFixed(1);

function main() {
  const wasmFile = readdirSync(DIST).find((f) => f.endsWith('_bg.wasm'));
  if (!wasmFile) throw new Error(`${DIST} has no wasm: run make build && tests/tools/profile-dist.sh`);
  const { functions, data, named } = readWasm(readFileSync(`${DIST}/${wasmFile}`));
  if (named === 0) throw new Error(`${DIST}/${wasmFile} has no function names: use the wasm tests/tools/profile-dist.sh makes`);
  const groups = new Map([...GROUPS.map(([label]) => [label, []]), ['other', []]]);
  const otherCrates = new Map();
  for (const f of functions) {
    const crate = crateOf(f.name);
    const group = GROUPS.find(([, pattern]) => pattern.test(crate))?.[0] ?? 'other';
    groups.get(group).push(f.body);
    if (group === 'other') otherCrates.set(crate, (otherCrates.get(crate) ?? 0) + f.body.length);
  }
  const concat = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));
  const rows = [...groups].map(([label, bodies]) => [label, concat(bodies)]);
  rows.push(['wasm data section (strings, tables, the embedded stylesheet)', Buffer.from(data)]);
  for (const file of readdirSync(`${ROOT}dist`)) {
    if (file.endsWith('.js')) rows.push([`JS glue (${file})`, readFileSync(`${ROOT}dist/${file}`)]);
    if (file.endsWith('.css')) rows.push([`CSS (${file})`, readFileSync(`${ROOT}dist/${file}`)]);
  }
  console.log(`# Bundle attribution (${functions.length} wasm functions, names from ${DIST})`);
  console.log();
  console.log('| part | raw KB | gzip KB (alone) |');
  console.log('|---|---|---|');
  let raw = 0;
  let gzip = 0;
  for (const [label, bytes] of rows) {
    const gz = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += gz;
    console.log(`| ${label} | ${kb(bytes.length)} | ${kb(gz)} |`);
  }
  console.log(`| sum of the parts | ${kb(raw)} | ${kb(gzip)} |`);
  const top = [...otherCrates].sort((a, b) => b[1] - a[1]).slice(0, 8);
  if (top.length) console.log(`\n"other" is mostly: ${top.map(([c, b]) => `${c || '(unnamed)'} ${kb(b)} KB`).join(', ')}`);
}

main();
