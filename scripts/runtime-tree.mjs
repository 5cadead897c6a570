#!/usr/bin/env node
// The runnable copy of pman: the files of a built checkout that the program needs at run time
// (bin/pman, tsc's and esbuild's output, the native addon, the production dependencies, nothing
// of the tests or the dev tools), copied world-readable into a directory of their own. install.sh
// installs such a copy; the rootless tests run one, because the checkout itself may be private to
// root (cloned into /root, mode 0700) and the test users could not read it.
//
// Usage: node scripts/runtime-tree.mjs copy DEST   copies the runnable tree of this checkout into
//                                                   DEST (which must not exist yet)
//        node scripts/runtime-tree.mjs hash DIR    prints a sha256 over DIR's paths, modes and
//                                                   contents (the same tree gives the same hash)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  process.stderr.write(`runtime-tree: ${message}\n`);
  process.exit(1);
}

/** The build outputs that must be there, each a file or a directory copied whole. */
const BUILT = ['bin/pman', 'package.json', 'dist/lib', 'dist/bundle', 'dist/validators.gen.cjs', 'dist/validators.gen.cjs.cache', 'dist/completion', 'build/pman_native.node'];

/**
 * The production dependencies as package-lock.json records them (every package not marked
 * dev-only), so the copy holds what `npm ci --omit=dev` would install, taken from the checkout's
 * own node_modules: nothing is downloaded.
 */
function productionPackages() {
  const lock = JSON.parse(fs.readFileSync(path.join(top, 'package-lock.json'), 'utf8'));
  const out = [];
  for (const [where, meta] of Object.entries(lock.packages ?? {})) {
    if (!where || meta.dev || meta.link) continue;
    if (!fs.existsSync(path.join(top, where))) {
      if (meta.optional) continue; // an optional dependency for another platform
      fail(`${where} is missing: run "npm ci" in ${top}`);
    }
    out.push(where);
  }
  return out;
}

/** Copies a file or a symlink, keeping its mtime (lib/boot.ts compares the bundle's with dist/lib's). */
function copyEntry(src, dest, st) {
  if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(src), dest);
    return;
  }
  fs.copyFileSync(src, dest);
  fs.chmodSync(dest, st.mode & 0o111 ? 0o755 : 0o644);
  fs.utimesSync(dest, st.atime, st.mtime);
}

/** Copies a tree; `skip(rel)` leaves out a subtree (a package's own nested node_modules). */
function copyTree(src, dest, skip = () => false, rel = '') {
  const st = fs.lstatSync(src);
  if (!st.isDirectory()) return copyEntry(src, dest, st);
  fs.mkdirSync(dest, { recursive: true, mode: 0o755 });
  fs.chmodSync(dest, 0o755);
  for (const name of fs.readdirSync(src)) {
    const r = rel ? `${rel}/${name}` : name;
    if (!skip(r)) copyTree(path.join(src, name), path.join(dest, name), skip, r);
  }
}

function copy(dest) {
  if (fs.existsSync(dest)) fail(`${dest} already exists`);
  for (const rel of BUILT) {
    if (!fs.existsSync(path.join(top, rel))) fail(`${rel} is missing in ${top}: build first ("npm run build")`);
  }
  const packages = productionPackages();
  fs.mkdirSync(dest, { recursive: true, mode: 0o755 });
  fs.chmodSync(dest, 0o755);
  for (const rel of BUILT) {
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true, mode: 0o755 });
    copyTree(path.join(top, rel), path.join(dest, rel));
  }
  for (const pkg of packages) {
    // Nested node_modules are packages of their own in the lock file: copied when they are listed.
    copyTree(path.join(top, pkg), path.join(dest, pkg), (r) => r === 'node_modules' || r.endsWith('/node_modules'));
  }
  for (const d of ['dist', 'build', 'bin', 'node_modules']) fs.chmodSync(path.join(dest, d), 0o755);
}

function hash(dir) {
  const h = crypto.createHash('sha256');
  const walk = (abs, rel) => {
    const st = fs.lstatSync(abs);
    if (st.isDirectory()) {
      h.update(`d ${rel}\n`);
      for (const name of fs.readdirSync(abs).sort()) walk(path.join(abs, name), rel ? `${rel}/${name}` : name);
    } else if (st.isSymbolicLink()) {
      h.update(`l ${rel} ${fs.readlinkSync(abs)}\n`);
    } else {
      const content = crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
      h.update(`f ${rel} ${(st.mode & 0o777).toString(8)} ${content}\n`);
    }
  };
  walk(dir, '');
  return h.digest('hex');
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'copy' && arg) copy(path.resolve(arg));
else if (cmd === 'hash' && arg) process.stdout.write(`${hash(path.resolve(arg))}\n`);
else fail('usage: runtime-tree.mjs copy DEST | hash DIR');
