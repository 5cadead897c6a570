#!/usr/bin/env node
// `ps -a` and `inspect` with many containers in the store (created, not started), pman against
// podman, each on a throw-away store of its own: podman gets its own --root, --runroot and --tmpdir,
// its containers are made with --network none (no network of podman's is used) and named with this
// run's prefix, and only containers with that prefix are removed at the end (never `system reset`,
// which would also remove podman's networks). Run as root from the checkout after `npm run compile`:
//   node bench/ps-scale.mjs [--containers 1000] [--runs 5] [--engines pman,podman]
// Prints the median wall time of each command and pman's ratio to podman (target: <= 0.5).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: { containers: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' }, engines: { type: 'string', default: 'pman,podman' } },
});
const N = Number(opt.containers);
const RUNS = Number(opt.runs);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-ps-scale-'));
const PREFIX = `psscale-${process.pid}-`;
const tar = path.join(os.tmpdir(), `pman-test-busybox-${process.getuid()}.tar`);
if (!fs.existsSync(tar)) execFileSync(path.join(repo, 'scripts/make-busybox-rootfs.sh'), [tar], { stdio: 'ignore' });

const engines = {
  pman: { bin: path.join(repo, 'bin/pman'), base: ['--root', path.join(dir, 'pman/root'), '--runroot', path.join(dir, 'pman/run')], create: [] },
  podman: {
    bin: 'podman',
    base: [
      ...['--root', path.join(dir, 'podman/root'), '--runroot', path.join(dir, 'podman/run'), '--tmpdir', path.join(dir, 'podman/tmp')],
      ...['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'],
    ],
    create: ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--network', 'none'],
  },
};

function run(e, args) {
  const r = spawnSync(e.bin, [...e.base, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${e.bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** a / b to two places, or a dash when b is too small to divide by (CPU times come in 10 ms steps). */
function quotient(a, b) {
  return b > 0 ? (a / b).toFixed(2) : '–';
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

for (const name of Object.keys(engines)) if (!opt.engines.split(',').includes(name)) delete engines[name];

/** CPU seconds (user + system) of a command's process, from its rusage as /usr/bin/time reports it. */
function cpuOf(e, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', e.bin, ...e.base, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const [u, s] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return u + s;
}

try {
  for (const [name, e] of Object.entries(engines)) {
    run(e, ['import', tar, 'busybox']);
    process.stderr.write(`${name}: creating ${N} containers…\n`);
    for (let i = 0; i < N; i++) run(e, ['create', ...e.create, '--name', `${PREFIX}${i}`, 'localhost/busybox', 'true']);
  }
  const rows = [];
  const measured = {};
  const names = Object.keys(engines);
  const row = (label, wall, cpu) => {
    const ratio = names.length === 2 ? ` | ${quotient(wall[0], wall[1])} | ${quotient(cpu[0], cpu[1])}` : '';
    return `| \`${label}\` | ${names.map((n, i) => `${wall[i].toFixed(0)} ms, ${(cpu[i] * 1000).toFixed(0)} ms CPU`).join(' | ')}${ratio} |`;
  };
  for (const [label, args] of [
    ['ps -a', ['ps', '-a']],
    ['ps -a --format json', ['ps', '-a', '--format', 'json']],
    ['inspect one', ['inspect', `${PREFIX}${N >> 1}`]],
    // Each engine's start-up floor: the same process start and argument parsing, no store read.
    ['version', ['version']],
  ]) {
    const wall = names.map((n) => timeIt(engines[n], args));
    const cpu = names.map((n) => median(Array.from({ length: RUNS }, () => cpuOf(engines[n], args))));
    measured[label] = { wall, cpu };
    rows.push(row(label, wall, cpu));
  }
  // What `inspect` costs beyond starting the program: the part the store's size could change.
  const beyond = (key) => measured['inspect one'][key].map((v, i) => Math.max(0, v - measured.version[key][i]));
  rows.push(row('inspect one, beyond version', beyond('wall'), beyond('cpu')));
  console.log(`${N} created containers, median of ${RUNS} runs (wall time, and CPU time: user + system), load average ${os.loadavg()[0].toFixed(1)}\n`);
  const ratioHead = names.length === 2 ? ' | wall ratio | CPU ratio' : '';
  console.log(`| command | ${names.join(' | ')}${ratioHead} |\n|---|${names.map(() => '---|').join('')}${names.length === 2 ? '---|---|' : ''}`);
  console.log(rows.join('\n'));
} finally {
  // Only this run's containers, by their prefix; then the throw-away stores.
  for (const [name, e] of Object.entries(engines)) {
    const listed = spawnSync(e.bin, [...e.base, 'ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout ?? '';
    const ours = listed.split('\n').filter((n) => n.startsWith(PREFIX));
    for (let i = 0; i < ours.length; i += 200) spawnSync(e.bin, [...e.base, 'rm', '-f', ...ours.slice(i, i + 200)], { stdio: 'ignore' });
    spawnSync(e.bin, [...e.base, 'rmi', '-f', 'localhost/busybox'], { stdio: 'ignore' });
    process.stderr.write(`${name}: removed ${ours.length} containers named ${PREFIX}*\n`);
  }
  spawnSync('sh', ['-c', `grep -o " ${dir}[^ ]*" /proc/self/mountinfo | xargs -r -n1 umount -l`], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true, force: true });
}
