// Loads the code of the CLI ("pman", from lib/main.ts) or of a shim ("shim", from
// lib/shim/entry.ts): the esbuild bundle with its V8 code cache when the bundle is at least as new
// as tsc's output in dist/lib, otherwise the modules in dist/lib directly (a development rebuild
// with plain `tsc` never runs stale code).
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { PROJECT_ROOT } from './project.js';

type Entry = 'pman' | 'shim';
const UNBUNDLED: Record<Entry, string> = { pman: 'dist/lib/cli.js', shim: 'dist/lib/shim/main.js' };

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** Whether a bundle exists and is at least as new as the tsc output it was made from. */
export function isFresh(bundle: string, source: string): boolean {
  const bundled = mtime(bundle);
  return bundled >= 0 && bundled >= mtime(source);
}

const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/**
 * A CommonJS module's source as one function expression, the way require() wraps it. The bundles
 * are written already wrapped (scripts/bundle.mjs), which spares copying a megabyte string at
 * every start; their code caches are made from this same text.
 */
export function wrapCommonJs(source: string): string {
  return source.startsWith(WRAPPER_HEAD) ? source : `${WRAPPER_HEAD}${source}\n})`;
}

/**
 * Set by scripts/train-code-caches.mjs only, for the commands it runs at build time: each process
 * that loads a file here writes that file's code cache again as it exits, now holding every
 * function it compiled on its way (with those of the cache it was given). Unset, it costs one
 * environment lookup.
 */
export const TRAIN_CODE_CACHE = '_PMAN_TRAIN_CODE_CACHE';

function writeCodeCache(script: vm.Script, file: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Runs a CommonJS file as require() would, compiled with the V8 code cache next to it
 * (`FILE.cache`, written by scripts/bundle.mjs) when there is one: much of loading a big file is
 * compiling it. A cache that does not match the file is ignored by V8. An ASCII file (what
 * scripts/bundle.mjs makes of the files it is used for) is decoded as latin1, the same text for
 * ASCII, ~10x faster than as UTF-8 (the CLI bundle: ~1 against ~10 ms at a load average of 13).
 */
export function loadCommonJs(file: string): Record<string, unknown> {
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    /* compile without */
  }
  const bytes = fs.readFileSync(file);
  const source = wrapCommonJs(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
  const script = new vm.Script(source, { filename: file, cachedData });
  if (process.env[TRAIN_CODE_CACHE] === '1') process.once('exit', () => writeCodeCache(script, `${file}.cache`));
  const fn = script.runInThisContext() as (
    e: object,
    r: NodeJS.Require,
    m: { exports: Record<string, unknown> },
    f: string,
    d: string,
  ) => void;
  const mod = { exports: {} as Record<string, unknown> };
  fn(mod.exports, createRequire(file), mod, file, path.dirname(file));
  return mod.exports;
}

/** Loads the bundle of an entry, or returns undefined when there is no fresh one. */
function loadBundle(entry: Entry): Record<string, unknown> | undefined {
  const file = path.join(PROJECT_ROOT, 'dist/bundle', `${entry}.cjs`);
  if (!isFresh(file, path.join(PROJECT_ROOT, UNBUNDLED[entry]))) return undefined;
  return loadCommonJs(file);
}

export async function boot(entry: Entry, argv: string[]): Promise<void> {
  const mod = loadBundle(entry) ?? ((await import(path.join(PROJECT_ROOT, UNBUNDLED[entry]))) as Record<string, unknown>);
  if (entry === 'pman') await (mod.main as (a: string[]) => Promise<void>)(argv);
}
