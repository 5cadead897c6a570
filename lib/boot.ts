// Process entry for the CLI ("pman") and the shim ("shim"): runs the esbuild bundle with its V8
// code cache when the bundle is at least as new as tsc's output in dist/lib, otherwise the
// modules in dist/lib directly (a development rebuild with plain `tsc` never runs stale code).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
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

/** Loads the bundle of an entry, or returns undefined when there is no fresh one. */
function loadBundle(entry: Entry): Record<string, unknown> | undefined {
  const file = path.join(PROJECT_ROOT, 'dist/bundle', `${entry}.cjs`);
  const bundled = mtime(file);
  if (bundled < 0 || bundled < mtime(path.join(PROJECT_ROOT, UNBUNDLED[entry]))) return undefined;
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    /* compile without */
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`;
  const fn = new vm.Script(source, { filename: file, cachedData }).runInThisContext() as (
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

export async function boot(entry: Entry, argv: string[]): Promise<void> {
  const mod = loadBundle(entry) ?? ((await import(path.join(PROJECT_ROOT, UNBUNDLED[entry]))) as Record<string, unknown>);
  if (entry === 'pman') await (mod.main as (a: string[]) => Promise<void>)(argv);
}

// `node dist/lib/boot.js shim` is how the shim is launched (lib/shim/launch.ts); the CLI comes
// through lib/main.ts.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'shim') {
  void boot('shim', []);
}
