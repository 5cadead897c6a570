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
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { wrapCommonJs } from '../dist/lib/boot.js';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(top, 'dist/bundle');
fs.mkdirSync(outdir, { recursive: true });

// The process entries (main.cjs for bin/pman, shim-entry.cjs for a shim) are small CommonJS files:
// Node starts a CommonJS entry ~8 ms sooner than an ES module one (no ES module loader). They load
// the big bundles through lib/boot.ts, with the code caches, so they need no cache of their own.
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
    banner: { js: "const __pmanModuleUrl = require('url').pathToFileURL(__filename).href;" },
  });
  if (!withCache.has(name)) continue;
  // Loaded by lib/boot.ts (loadCommonJs), never by require(): stored already wrapped, and its code
  // cache made from that same text.
  const source = wrapCommonJs(fs.readFileSync(outfile, 'utf8'));
  fs.writeFileSync(outfile, source);
  const script = new vm.Script(source, { filename: outfile });
  fs.writeFileSync(`${outfile}.cache`, script.createCachedData());
}
// The generated validators (scripts/gen-validators.mjs) are loaded on their own (lib/boot.ts
// loadCommonJs), by most commands and every shim: they get a code cache too.
const validators = path.join(top, 'dist/validators.gen.cjs');
if (fs.existsSync(validators)) {
  const script = new vm.Script(wrapCommonJs(fs.readFileSync(validators, 'utf8')), { filename: validators });
  fs.writeFileSync(`${validators}.cache`, script.createCachedData());
}
console.log('bundle: dist/bundle/{pman,shim}.cjs (+ code caches), dist/bundle/{main,shim-entry}.cjs, validators cache');
