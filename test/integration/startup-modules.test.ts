// The start-up path of `pman run` stays light (docs/performance.md): the CLI and the container's
// shim load none of Node's heavy modules that starting a container does not need. Each costs
// milliseconds of every run, and each came back before unnoticed through one innocent import (a
// blob reader importing node:crypto for the writer beside it; registry options importing
// http/https/tls with the proxy tunnel). This watches which Node modules the two processes loaded,
// as Node itself lists them (process.moduleLoadList), not how long anything took.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { isFresh } from '../../lib/boot.js';
import { PMAN_BIN, PROJECT, TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

/** Node modules a foreground `run --rm` of a container without a network has no use for. */
const HEAVY = ['crypto', 'http', 'https', 'http2', 'tls', 'zlib', 'readline', 'worker_threads', 'inspector'];

/** What spawning a process or probing a UDP port loads: no use to a command that does neither. */
const SPAWNING = ['child_process', 'internal/child_process', 'dgram'];

interface Loaded {
  entry: string;
  modules: string[];
}

/**
 * The bundles are what is watched: a CLI or shim whose bundle is older than tsc's output (a
 * compile running meanwhile, or cut short) runs dist/lib's ES modules, whose imports of
 * node:child_process are not made lazy (scripts/bundle.mjs), and would fail this test for that.
 */
function assertBundlesFresh(): void {
  const pairs = [['main.cjs', 'main.js'], ['pman.cjs', 'cli.js'], ['shim.cjs', 'shim/main.js']];
  const stale = pairs.filter(([b, l]) => !isFresh(path.join(PROJECT, 'dist/bundle', b), path.join(PROJECT, 'dist/lib', l))).map(([b]) => b);
  if (stale.length) throw new Error(`dist/bundle/{${stale.join(',')}} older than dist/lib (a compile running or cut short?): run npm run compile, then this test`);
}

/**
 * Runs pman with every Node process it starts writing, as it exits, the modules it loaded.
 * `freshRun`: in a mount namespace of its own with an empty /run, so bin/pman finds no
 * /run/pman there (as after a boot, or on a machine where every command is given --runroot).
 */
async function modulesLoadedBy(args: string[], processes: number, freshRun = false): Promise<Loaded[]> {
  assertBundlesFresh();
  const out = path.join(env.dir, 'modules');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out);
  const preload = path.join(env.dir, 'list-modules.cjs');
  fs.writeFileSync(
    preload,
    // Written under a dot name and renamed: the reader below never sees a file half written.
    `process.on('exit', () => { const fs = require('fs'); const f = ${JSON.stringify(out)} + '/' + process.pid; fs.writeFileSync(f + '.tmp', JSON.stringify({ entry: process.argv[1], modules: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) })); fs.renameSync(f + '.tmp', f); });\n`,
  );
  const opts = { env: { NODE_OPTIONS: `--require ${preload}` } };
  if (!freshRun) await env.ok(args, opts);
  else {
    // (runc's state, the mounts and the shim's sockets are under the test's own root and runroot.)
    const r = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /run && exec "$@"', 'sh', PMAN_BIN, ...env.args(args)], { ...opts, reject: false });
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' });
  }
  // The shim writes its list once it has cleaned up, after the CLI has exited.
  const lists = () => fs.readdirSync(out).filter((f) => !f.endsWith('.tmp'));
  await until(() => lists().length >= processes);
  const loaded = lists().map((f) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) as Loaded);
  assertBundlesFresh();
  return loaded;
}

describe('start-up modules', () => {
  it('run --rm loads no heavy Node module in the CLI or in the shim, also where /run/pman is not made yet', async () => {
    const loaded = await modulesLoadedBy(['run', '--rm', '--network', 'none', 'busybox', 'true'], 2, true);
    expect(loaded.map((l) => path.basename(l.entry)).sort()).toEqual(['main.cjs', 'shim-entry.cjs']);
    for (const l of loaded) {
      // Sanity: the list is the real one (the modules every pman process uses are in it).
      expect(l.modules).toEqual(expect.arrayContaining(['fs', 'net']));
      expect({ entry: path.basename(l.entry), heavy: l.modules.filter((m) => HEAVY.includes(m)) }).toEqual({ entry: path.basename(l.entry), heavy: [] });
    }
    // The CLI spawns nothing (bin/pman started the shim, making its directory /run/pman when
    // missing): node:child_process is never loaded.
    expect(loaded.find((l) => path.basename(l.entry) === 'main.cjs')!.modules.filter((m) => SPAWNING.includes(m))).toEqual([]);
  });

  it('version, ps and inspect load no node:child_process or node:dgram (scripts/bundle.mjs loads them on first use)', async () => {
    await env.ok(['create', '--name', 'reader', '--network', 'none', '-p', '8080:80', 'busybox', 'true']);
    try {
      for (const args of [['version'], ['ps', '-a'], ['inspect', 'reader']]) {
        const [l] = await modulesLoadedBy(args, 1);
        expect(l.modules).toEqual(expect.arrayContaining(['fs']));
        expect({ args, spawning: l.modules.filter((m) => SPAWNING.includes(m)) }).toEqual({ args, spawning: [] });
      }
    } finally {
      await env.ok(['rm', 'reader']);
    }
  });
});
