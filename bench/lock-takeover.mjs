#!/usr/bin/env node
// How long the next command waits for a lock whose holder was killed -9 (not a test): `pman rename`
// of a container (it takes the container's record lock) timed with the lock free and with the lock
// left by a process killed -9 while holding it. Run as root from the checkout after `npm run compile`:
//   node bench/lock-takeover.mjs [--runs 7]
// Prints the median wall time of each and the difference; then the same for withLock() alone.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(opt.runs);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-lock-takeover-'));
const base = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run')];
const bin = path.join(repo, 'bin/pman');
const tar = path.join(os.tmpdir(), `pman-test-busybox-${process.getuid()}.tar`);
if (!fs.existsSync(tar)) execFileSync(path.join(repo, 'scripts/make-busybox-rootfs.sh'), [tar], { stdio: 'ignore' });

function pman(args) {
  const r = spawnSync(bin, [...base, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pman ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A process that takes the lock on `file`, says so, and waits to be killed. */
async function deadHolder(file) {
  const lock = path.join(repo, 'dist/lib/state/lock.js');
  const script = `import(${JSON.stringify(lock)}).then((m) => m.withLock(${JSON.stringify(file)}, () => { process.stdout.write('held'); return new Promise(() => setInterval(() => {}, 1000)); }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.once('data', r));
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

try {
  pman(['import', tar, 'busybox']);
  const id = pman(['create', '--name', 'n0', 'busybox', 'true']);
  const record = path.join(dir, 'root/containers', id, 'container.json');
  const free = [];
  const dead = [];
  let n = 0;
  for (let i = 0; i < RUNS; i++) {
    let t0 = process.hrtime.bigint();
    pman(['rename', `n${n}`, `n${++n}`]);
    free.push(ms(t0));
    await deadHolder(record);
    t0 = process.hrtime.bigint();
    pman(['rename', `n${n}`, `n${++n}`]);
    dead.push(ms(t0));
  }
  console.log(`pman rename, median of ${RUNS}: lock free ${median(free).toFixed(0)} ms, lock left by a holder killed -9 ${median(dead).toFixed(0)} ms`);
  console.log(`difference: ${(median(dead) - median(free)).toFixed(0)} ms (load average ${os.loadavg()[0].toFixed(1)})`);
  // The same, in one process: withLock() of a free lock and of one left by a holder killed -9.
  const { withLock } = await import(path.join(repo, 'dist/lib/state/lock.js'));
  const file = path.join(dir, 'bare');
  const bare = { free: [], dead: [] };
  for (let i = 0; i < RUNS * 3; i++) {
    let t0 = process.hrtime.bigint();
    await withLock(file, () => bare.free.push(ms(t0)));
    await deadHolder(file);
    t0 = process.hrtime.bigint();
    await withLock(file, () => bare.dead.push(ms(t0)));
  }
  console.log(`withLock(), median of ${RUNS * 3}: free ${median(bare.free).toFixed(2)} ms, left by a holder killed -9 ${median(bare.dead).toFixed(2)} ms`);
} finally {
  spawnSync(bin, [...base, 'rm', '-af'], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true, force: true });
}
