#!/usr/bin/env node
// `ps -a` and `inspect` with many containers in the store (created, not started), pman against
// podman, each on a throw-away store of its own (podman's own containers are never touched). Run as
// root from the checkout after `npm run compile`:
//   node bench/ps-scale.mjs [--containers 1000] [--runs 5]
// Prints the median wall time of each command and pman's ratio to podman (target: <= 0.5).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { containers: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' } } });
const N = Number(opt.containers);
const RUNS = Number(opt.runs);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-ps-scale-'));
const tar = path.join(os.tmpdir(), `pman-test-busybox-${process.getuid()}.tar`);
if (!fs.existsSync(tar)) execFileSync(path.join(repo, 'scripts/make-busybox-rootfs.sh'), [tar], { stdio: 'ignore' });

const engines = {
  pman: { bin: path.join(repo, 'bin/pman'), base: ['--root', path.join(dir, 'pman/root'), '--runroot', path.join(dir, 'pman/run')], create: [] },
  podman: {
    bin: 'podman',
    base: ['--root', path.join(dir, 'podman/root'), '--runroot', path.join(dir, 'podman/run'), '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'],
    create: ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--network', 'none'],
  },
};

function run(e, args) {
  const r = spawnSync(e.bin, [...e.base, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${e.bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(e, args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    run(e, args);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

try {
  for (const [name, e] of Object.entries(engines)) {
    run(e, ['import', tar, 'busybox']);
    process.stderr.write(`${name}: creating ${N} containers…\n`);
    for (let i = 0; i < N; i++) run(e, ['create', ...e.create, '--name', `c${i}`, 'localhost/busybox', 'true']);
  }
  const rows = [];
  for (const [label, args] of [
    ['ps -a', ['ps', '-a']],
    ['ps -a --format json', ['ps', '-a', '--format', 'json']],
    ['inspect one', ['inspect', `c${N >> 1}`]],
  ]) {
    const pman = timeIt(engines.pman, args);
    const podman = timeIt(engines.podman, args);
    rows.push(`| \`${label}\` | ${pman.toFixed(0)} ms | ${podman.toFixed(0)} ms | ${(pman / podman).toFixed(2)} |`);
  }
  console.log(`${N} created containers, median of ${RUNS} runs\n`);
  console.log('| command | pman | podman | pman/podman |\n|---|---|---|---|');
  console.log(rows.join('\n'));
} finally {
  spawnSync('podman', [...engines.podman.base, 'rm', '-af'], { stdio: 'ignore' });
  spawnSync('podman', [...engines.podman.base, 'system', 'reset', '-f'], { stdio: 'ignore' });
  spawnSync(engines.pman.bin, [...engines.pman.base, 'rm', '-af'], { stdio: 'ignore' });
  spawnSync('sh', ['-c', `grep -o " ${dir}[^ ]*" /proc/self/mountinfo | xargs -r -n1 umount -l`], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true, force: true });
}
