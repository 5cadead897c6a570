#!/usr/bin/env node
// Trains the V8 code caches of the CLI and shim bundles (dist/bundle/{pman,shim}.cjs.cache) by
// running pman's everyday commands once, on a throw-away store, at build time.
//
// Why: V8 compiles a function when it is first called, and a cache made right after compiling a
// file (scripts/bundle.mjs) holds only its top level. Every command then parsed and compiled the
// functions it ran, each time: in `pman run --rm`, ~15-20 ms of the CLI's time between routing and
// the container's creation (bench/timeline.mjs; docs/performance.md). A process started with
// _PMAN_TRAIN_CODE_CACHE=1 writes the cache of each file lib/boot.ts loaded again as it exits,
// holding what it compiled as well as what the cache it was given held, so the commands below add
// up to one cache per bundle. V8 still checks each cache against its file and Node's flags, and
// ignores one that does not match.
//
// Only the commands below are trained (the set-up steps run without the variable), so the cache
// does not grow with code most commands never run. Each step may fail without failing the build
// (the cache keeps what the others added): training needs root, runc, the native addon and the
// busybox rootfs (build/busybox-rootfs.tar, or made from /bin/busybox); without root nothing is
// trained, without the others only the commands that need no container. Containers use
// --network none: the build leaves the host's networks alone. dist/bundle/code-caches.json
// records what was trained (test/unit/boot.test.ts reads it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pman = path.join(top, 'bin/pman');
const report = path.join(top, 'dist/bundle/code-caches.json');
const caches = ['dist/bundle/pman.cjs.cache', 'dist/bundle/shim.cjs.cache'];
const sizes = () => Object.fromEntries(caches.map((f) => [f, fs.statSync(path.join(top, f)).size]));

const before = sizes();
const trained = [];
const failed = [];
const skipped = [];

function finish() {
  const after = sizes();
  fs.writeFileSync(report, `${JSON.stringify({ trained, failed, skipped, before, after }, null, 2)}\n`);
  const kb = (f) => `${path.basename(f)} ${Math.round(before[f] / 1024)} -> ${Math.round(after[f] / 1024)} KB`;
  console.log(`train-code-caches: ${trained.length} commands trained${failed.length ? `, ${failed.length} failed (${report})` : ''}${skipped.length ? `, skipped: ${skipped.join('; ')}` : ''}; ${caches.map(kb).join(', ')}`);
}

if (process.getuid() !== 0) {
  skipped.push('not root (bin/pman would set up a rootless user namespace)');
  finish();
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-train-'));
const store = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run')];
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.PMAN_TRACE;

/** One pman command on the throw-away store; `train` runs it with the caches being written. */
function pmanRun(args, { train = true, input } = {}) {
  const r = spawnSync(pman, [...store, ...args], {
    env: train ? { ...env, _PMAN_TRAIN_CODE_CACHE: '1' } : env,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ok = r.status === 0;
  const what = `pman ${args.join(' ')}`;
  if (train) (ok ? trained : failed).push(ok ? what : { command: what, status: r.status, signal: r.signal, stderr: (r.stderr ?? '').trim().split('\n').pop() });
  return ok;
}

/** Shims write their caches as they exit, some after the command that stopped them: wait for them. */
function trainedProcessesGone() {
  for (let i = 0; i < 200; i++) {
    if (!fs.readdirSync('/proc').some((p) => /^\d+$/.test(p) && environ(p).includes('\0_PMAN_TRAIN_CODE_CACHE=1\0'))) return;
    spawnSync('sleep', ['0.05']);
  }
}
function environ(pid) {
  try {
    return `\0${fs.readFileSync(`/proc/${pid}/environ`, 'latin1')}`;
  } catch {
    return '';
  }
}

try {
  pmanRun(['version']);
  pmanRun(['images']);
  pmanRun(['ps', '-a']);
  const rootfs = imageTar();
  const missing = [
    [fs.existsSync(path.join(top, 'build/pman_native.node')), 'no native addon (build/pman_native.node)'],
    [spawnSync('runc', ['--version']).status === 0, 'no runc'],
    [rootfs !== undefined, 'no busybox rootfs'],
  ].filter(([ok]) => !ok);
  if (missing.length) skipped.push(`containers (${missing.map(([, why]) => why).join(', ')})`);
  else if (!pmanRun(['import', rootfs, 'localhost/busybox:latest'], { train: false })) skipped.push('containers (the busybox image could not be imported)');
  else {
    pmanRun(['run', '--rm', '--network', 'none', 'busybox', 'true']);
    pmanRun(['run', '--rm', '-i', '--network', 'none', 'busybox', 'cat'], { input: 'x\n' });
    pmanRun(['create', '--name', 'train-created', '--network', 'none', 'busybox', 'true']);
    pmanRun(['start', '-a', 'train-created']);
    pmanRun(['rm', 'train-created']);
    pmanRun(['run', '-d', '--name', 'train-detached', '--network', 'none', 'busybox', 'sleep', '60']);
    pmanRun(['exec', 'train-detached', 'true']);
    pmanRun(['logs', 'train-detached']);
    pmanRun(['inspect', 'train-detached']);
    pmanRun(['ps', '-a']);
    pmanRun(['stop', '-t', '0', 'train-detached']);
    pmanRun(['rm', 'train-detached']);
  }
} finally {
  pmanRun(['rm', '-af'], { train: false });
  trainedProcessesGone();
  pmanRun(['rmi', '-af'], { train: false });
  const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(dir);
  if (mounted) console.error(`train-code-caches: something is still mounted under ${dir}; left in place`);
  else fs.rmSync(dir, { recursive: true, force: true });
  finish();
}

/** build/busybox-rootfs.tar (install.sh makes it first), or one made here from /bin/busybox. */
function imageTar() {
  const built = path.join(top, 'build/busybox-rootfs.tar');
  if (fs.existsSync(built)) return built;
  const out = path.join(dir, 'busybox-rootfs.tar');
  return spawnSync(path.join(top, 'scripts/make-busybox-rootfs.sh'), [out], { stdio: 'ignore' }).status === 0 ? out : undefined;
}
