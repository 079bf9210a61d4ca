// Trunk post_build hook (release only): shrinks the embed bundle in Trunk's staging directory.
//
// 1. A second wasm-opt pass over the wasm Trunk already optimised: `-Oz --converge` again, strips
//    the producers and target-features sections, and minifies import, export and module names
//    (wasm-bindgen's names such as `__wbg_getItem_49556a3e59cfb688` are random, so they compress
//    badly, and each one appears twice: in the wasm and in the JS glue).
// 2. Renames the same names in the wasm-bindgen glue (journey-widgets.js), keeps only the two
//    exports the loader imports (`default` = init, `mount`), and minifies the glue and the
//    loader (journey-widget.js) with terser.
// 3. Content-hashes the wasm and the glue (journey-widgets_bg-<16 hex>.wasm,
//    journey-widgets-<16 hex>.js: the first 64 bits of their SHA-256) and rewrites the
//    references to them in the glue and the loader, so the server can let browsers cache them
//    for a year (crates/journey-server/src/statics.rs). The loader, bundle.css and the themes
//    keep the stable names brand pages link; they are cached briefly and revalidated.
// 4. Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every .wasm, .js,
//    .css, .html and .svg file in the staging directory, for the server to send as they are.
//    Trunk runs post_build hooks after every pipeline (the copy-dir of themes/ and the RoadHelp
//    pages included) and after writing index.html, so all of dist/ is compressed here.
//
// It checks its own work: every old name must be gone from the glue and every new one present, so
// a wasm-bindgen upgrade that changes the glue's shape fails the build instead of the page.
// The output needs no `unsafe-eval` or inline script: terser only rewrites the module's own code.
//
// Needs binaryen 132's wasm-opt and terser (both pinned in package.json) on PATH:
//   PATH="$PWD/node_modules/.bin:$PATH" TRUNK_OFFLINE=true trunk build --release

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, renameSync, readdirSync, unlinkSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";

const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-reference-types",
  "--enable-multivalue",
  "--enable-mutable-globals",
];

function fail(message) {
  console.error(`post-build: ${message}`);
  process.exit(1);
}

if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  fail("TRUNK_STAGING_DIR is not set (run this from Trunk)");
}
const dir = join(staging, "widget");
const wasmPath = join(dir, "journey-widgets_bg.wasm");
const gluePath = join(dir, "journey-widgets.js");
const loaderPath = join(dir, "journey-widget.js");

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });

// Debian's wasm-opt 108 produces a wasm that crashes; only binaryen 132 is known to work.
const version = run("wasm-opt", ["--version"]);
if (!/version 132\b/.test(version)) {
  fail(`wasm-opt must be binaryen 132 (node_modules/.bin on PATH), found: ${version.trim()}`);
}

// 1. The wasm. `--converge` repeats the passes, so the renaming runs in a second invocation (it
//    must run once: it prints the renames as JSON on stdout), followed by one more -Oz so the
//    rewritten binary is encoded compactly again.
const tmp = `${wasmPath}.min`;
run("wasm-opt", [
  ...WASM_FEATURES,
  "-Oz",
  "--converge",
  "--strip-producers",
  "--strip-target-features",
  wasmPath,
  "-o",
  tmp,
]);
const mapText = run("wasm-opt", [
  ...WASM_FEATURES,
  "--minify-imports-and-exports-and-modules",
  "-Oz",
  tmp,
  "-o",
  tmp,
]);
const map = JSON.parse(mapText.slice(mapText.indexOf("{")));
renameSync(tmp, wasmPath);

// 2. The glue.
let glue = readFileSync(gluePath, "utf8");
const identifier = /^[A-Za-z_$][\w$]*$/;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const replaceAll = (text, pattern, to, what) => {
  const re = new RegExp(pattern, "gm");
  if (!re.test(text)) {
    fail(`the glue has no ${what}`);
  }
  return text.replace(re, to);
};

const modules = new Set(map.imports.map(([module]) => module));
if (modules.size !== 1) {
  fail(`expected one import module, found ${[...modules].join(", ")}`);
}
const [oldModule] = modules;
// Binaryen gives the single module a short name; read it from the wasm rather than assume it.
const newModules = importModules(readFileSync(wasmPath));
if (newModules.size !== 1) {
  fail(`expected one import module in the minified wasm, found ${[...newModules].join(", ")}`);
}
const [newModule] = newModules;
if (!identifier.test(newModule)) fail(`module name ${newModule} is not a JS identifier`);
glue = replaceAll(glue, `"${escape(oldModule)}":`, `"${newModule}":`, `import module ${oldModule}`);
for (const [, from, to] of map.imports) {
  if (!identifier.test(to)) fail(`import name ${to} is not a JS identifier`);
  glue = replaceAll(glue, `(?<=[\\s{,])${escape(from)}(?=:)`, to, `import ${from}`);
}
for (const [from, to] of map.exports) {
  if (!identifier.test(to)) fail(`export name ${to} is not a JS identifier`);
  // Exports the glue never reads (such as wasm-split's marker) are simply not there.
  const re = new RegExp(`\\bwasm\\.${escape(from)}\\b`, "g");
  glue = glue.replace(re, `wasm.${to}`);
}
for (const [, from] of map.imports) {
  if (glue.includes(from)) fail(`import ${from} is still in the glue`);
}
for (const [from] of map.exports) {
  if (new RegExp(`\\bwasm\\.${escape(from)}\\b`).test(glue)) fail(`export ${from} is still read`);
}

// Only `default` (init) and `mount` are imported by the loader; the rest of the glue's exports
// (the stream classes server_fn links in, initSync) become dead code that terser drops.
glue = replaceAll(glue, "^export class ", "class ", "exported classes");
glue = replaceAll(
  glue,
  "^export \\{ initSync, __wbg_init as default \\};$",
  "export { __wbg_init as default };",
  "init export",
);
writeFileSync(gluePath, glue);

const terser = (path) =>
  run("terser", [
    path,
    "--module",
    "--ecma",
    "2020",
    "--compress",
    "passes=2",
    "--mangle",
    "--output",
    path,
  ]);
terser(gluePath);

// 3. Content hashes. The glue is hashed after the wasm's new name is written into it.
const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const wasmName = `journey-widgets_bg-${hash(readFileSync(wasmPath))}.wasm`;
renameSync(wasmPath, join(dir, wasmName));
// wasm-bindgen's default path (used only when init gets no URL); the loader passes one.
glue = readFileSync(gluePath, "utf8").replaceAll("journey-widgets_bg.wasm", wasmName);
const glueName = `journey-widgets-${hash(glue)}.js`;
writeFileSync(join(dir, glueName), glue);
unlinkSync(gluePath);
let loader = readFileSync(loaderPath, "utf8");
loader = replaceAll(loader, escape(`"./journey-widgets.js"`), `"./${glueName}"`, "loader: glue import");
loader = replaceAll(loader, escape(`"journey-widgets_bg.wasm"`), `"${wasmName}"`, "loader: wasm URL");
writeFileSync(loaderPath, loader);
terser(loaderPath);
const minified = readFileSync(loaderPath, "utf8");
if (!minified.includes(glueName) || !minified.includes(wasmName)) {
  fail("the minified loader lost the hashed file names");
}

// 4. Precompressed copies of everything text-like or wasm in the staging directory.
const COMPRESSED = new Set([".wasm", ".js", ".css", ".html", ".svg"]);
for (const path of files(staging)) {
  if (!COMPRESSED.has(extname(path))) continue;
  const bytes = readFileSync(path);
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(bytes, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [zlib.BROTLI_PARAM_MODE]:
          extname(path) === ".wasm" ? zlib.BROTLI_MODE_GENERIC : zlib.BROTLI_MODE_TEXT,
      },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}
console.log(`post-build: ${wasmName}, ${glueName}; .br and .gz written`);

/** Every file under `root`, recursively. */
function files(root) {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The import module names of a wasm binary (only the import section is read). */
function importModules(bytes) {
  let i = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[i++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) return result >>> 0;
    }
  };
  const name = () => {
    const length = leb();
    const s = bytes.subarray(i, i + length).toString("utf8");
    i += length;
    return s;
  };
  const found = new Set();
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = leb();
    const end = i + size;
    if (id === 2) {
      const count = leb();
      for (let n = 0; n < count; n++) {
        found.add(name());
        name();
        const kind = bytes[i++];
        if (kind === 0) leb(); // function: type index
        else if (kind === 1) { i++; limits(); } // table: reftype, limits
        else if (kind === 2) limits(); // memory
        else if (kind === 3) i += 2; // global: valtype, mutability
        else if (kind === 4) { i++; leb(); } // tag
        else fail(`unknown import kind ${kind}`);
      }
      return found;
    }
    i = end;
  }
  return found;
  function limits() {
    const flags = bytes[i++];
    leb();
    if (flags & 1) leb();
  }
}
