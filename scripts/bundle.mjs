#!/usr/bin/env node
// Build step: bundles the compiled CLI and shim (dist/lib) into one CommonJS file each
// (dist/bundle/pman.cjs, dist/bundle/shim.cjs) and writes a V8 code cache next to each.
// Why: start-up time is most of what `pman run` costs, and loading ~150 small ES modules
// (yargs alone is dozens) from disk and compiling them is a large part of it. Command modules
// stay lazily initialised inside the bundle. lib/boot.ts loads a bundle only when it is at least
// as new as dist/lib (a plain `tsc` rebuild makes it fall back to dist/lib).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { wrapCommonJs } from '../dist/lib/boot.js';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(top, 'dist/bundle');
fs.mkdirSync(outdir, { recursive: true });

// The process entries (main.cjs for bin/pman, shim-entry.cjs for a shim) are small CommonJS files:
// Node starts a CommonJS entry ~8 ms sooner than an ES module one (no ES module loader). They load
// the big bundles through lib/boot.ts, with the code caches, so they need no cache of their own.
// esbuild's __toESM copies every property of a CommonJS module (`fs` has ~100) onto a new object
// at each ES import of it, and ~60 bundled modules import node:fs: a few ms of each start-up. The
// copy is a read-only view of the module (getters), so one per module serves every importer.
const TO_ESM = 'var __toESM = (mod, isNodeMode, target) => (';
const SHARED_TO_ESM = `var __pmanEsmViews = [new WeakMap(), new WeakMap()];
var __toESM = (mod, isNodeMode) => {
  if (mod == null || (typeof mod !== "object" && typeof mod !== "function")) return __toESMCopy(mod, isNodeMode);
  const views = __pmanEsmViews[isNodeMode ? 1 : 0];
  let view = views.get(mod);
  if (!view) views.set(mod, (view = __toESMCopy(mod, isNodeMode)));
  return view;
};
`;
function shareNamespaces(file) {
  let text = fs.readFileSync(file, 'utf8');
  if (!text.includes(TO_ESM)) return; // no CommonJS module imported as ESM in this bundle
  if (text.split(TO_ESM).length !== 2) throw new Error(`bundle: esbuild's __toESM helper in ${file} is not as expected; update scripts/bundle.mjs`);
  // (The shared version is only called once all of the bundle's helpers are defined.)
  text = text.replace(TO_ESM, `${SHARED_TO_ESM}var __toESMCopy = (mod, isNodeMode, target) => (`);
  fs.writeFileSync(file, text);
}

// Node modules loaded when first used, not when a bundled module importing them is initialised:
// node:child_process (with internal/child_process, dgram and the socket list it brings) and
// node:dgram cost ~2-4 ms of a start-up, and nearly every command reaches a module importing them
// (`inspect` and `ps` reach runc's and the network namespace's; `run --rm`'s CLI reaches them but,
// with bin/pman's standby shim, spawns nothing). esbuild calls an import's exports as properties of
// its import object at each use (`(0, import_node_child_process.spawn)(...)`), so an object whose
// properties load the module when first read stands in for it. Measured in docs/performance.md.
const LAZY_HELPER = 'var __pmanLazy = (load) => { let m; return new Proxy({}, { get: (_, key) => (m ??= load())[key] }); };\n';
const LAZY = [
  ['require("node:child_process")', '__pmanLazy(() => require("node:child_process"))'],
  ['__toESM(require("node:dgram"), 1)', '{ get default() { return require("node:dgram"); } }'],
];
const EAGER = /(?<!\(\) => |return )require\("(node:)?(child_process|dgram)"\)/;
function lazyBuiltins(file) {
  let text = fs.readFileSync(file, 'utf8');
  const uses = LAZY.some(([eager]) => text.includes(eager));
  for (const [eager, lazy] of LAZY) text = text.split(eager).join(lazy);
  // A form not rewritten above (an esbuild update, a default import of child_process) stays eager.
  if (EAGER.test(text)) throw new Error(`bundle: ${file} loads ${EAGER.exec(text)[0]} in a form scripts/bundle.mjs does not make lazy; update it`);
  if (!uses) return;
  // After the banner (the first line): before any code of the bundle runs.
  const nl = text.indexOf('\n') + 1;
  fs.writeFileSync(file, text.slice(0, nl) + LAZY_HELPER + text.slice(nl));
}

// Every file lib/boot.ts loadCommonJs loads (the two bundles, the validators) is made pure ASCII:
// it reads them as latin1, which for ASCII is the same text, ~10x faster than decoding UTF-8 (a
// 1.5 MB bundle: ~1 ms against ~10 ms at a load average of 13), and V8 keeps and scans a one-byte
// string. esbuild already escapes non-ASCII characters in strings; what is left is in comments
// (an ellipsis, an arrow), where an escape is as good as the character.
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// A bundle is strict as a whole, as the ES modules it is made of are: tsc's output and yargs's
// ES modules (CommonJS dependencies inside it too: wrap-ansi, escalade, get-caller-file ...). The
// directive must be the first statement of the file (Node's require wraps it in a function) and,
// once wrapped for lib/boot.ts, of that function's body: the banner starts with it, and esbuild's
// own "use strict" line after the banner goes.
const STRICT = '"use strict";';
function strictFirst(file) {
  const text = fs.readFileSync(file, 'utf8');
  const nl = text.indexOf('\n') + 1;
  if (!text.startsWith(STRICT) || !text.startsWith(`${STRICT}\n`, nl)) throw new Error(`bundle: ${file} does not start with the banner then esbuild's "use strict"; update scripts/bundle.mjs`);
  fs.writeFileSync(file, text.slice(0, nl) + text.slice(nl + STRICT.length + 1));
}

const entries = { pman: 'dist/lib/cli.js', shim: 'dist/lib/shim/main.js', main: 'dist/lib/main.js', 'shim-entry': 'dist/lib/shim/entry.js' };
const withCache = new Set(['pman', 'shim']);
for (const [name, entry] of Object.entries(entries)) {
  const outfile = path.join(outdir, `${name}.cjs`);
  await build({
    entryPoints: [path.join(top, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    // Native addons and the generated validators are loaded at run time by absolute path.
    external: ['*.node'],
    alias: { 'string-width': path.join(top, 'scripts/string-width-lite.cjs') },
    define: { 'import.meta.url': '__pmanModuleUrl' },
    // "use strict" first: esbuild's own comes after the banner, where it is no directive, and the
    // functions it hoists to the bundle's top level (most of lib/) would run in sloppy mode.
    banner: { js: `${STRICT}const __pmanModuleUrl = require('url').pathToFileURL(__filename).href;` },
  });
  strictFirst(outfile);
  shareNamespaces(outfile);
  // (Not the shim's: it spawns runc first thing, and loads node:child_process while it waits for its options.)
  if (name === 'pman' || name === 'main') lazyBuiltins(outfile);
  if (!withCache.has(name)) continue;
  // Loaded by lib/boot.ts (loadCommonJs), never by require(): stored already wrapped, and its code
  // cache made from that same text.
  const source = asciiOnly(wrapCommonJs(fs.readFileSync(outfile, 'utf8')));
  fs.writeFileSync(outfile, source);
  const script = new vm.Script(source, { filename: outfile });
  fs.writeFileSync(`${outfile}.cache`, script.createCachedData());
}
// The generated validators (scripts/gen-validators.mjs) are loaded on their own (lib/boot.ts
// loadCommonJs), by most commands and every shim: they get a code cache too. V8 compiles a
// function when it is first called, and a cache holds only what was compiled when it was made: made
// right after compiling the file, it held none of the validators, and the first container record a
// command read cost ~7 ms of compiling (`inspect NAME` ~55 ms of CPU in all). So each validator is
// called once (on {}: V8 compiles the whole function whatever the input) before the cache is made.
const validators = path.join(top, 'dist/validators.gen.cjs');
if (fs.existsSync(validators)) {
  fs.writeFileSync(validators, asciiOnly(fs.readFileSync(validators, 'utf8')));
  const script = new vm.Script(wrapCommonJs(fs.readFileSync(validators, 'utf8')), { filename: validators });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(validators), mod, validators, path.dirname(validators));
  for (const validate of Object.values(mod.exports.validators)) validate({});
  fs.writeFileSync(`${validators}.cache`, script.createCachedData());
}
console.log('bundle: dist/bundle/{pman,shim}.cjs (+ code caches), dist/bundle/{main,shim-entry}.cjs, validators cache');
