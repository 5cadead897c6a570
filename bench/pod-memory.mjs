#!/usr/bin/env node
// The memory of a pod of 3 idle containers (sleep 1000) and its infra, pman against podman, each in
// a throw-away store and with --network none (podman's own networks and containers are never
// touched). Sums PSS (from /proc/PID/smaps_rollup) of each engine's supervisors (pman's shims,
// podman's conmons) and of the containers' processes. Usage (root): node bench/pod-memory.mjs [ROUNDS]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wipePodmanStore } from './lib/engines.mjs';
import { smapsRollup } from './lib/memory.mjs';
import { median } from './lib/stats.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 3);
const tarball = path.join(os.tmpdir(), 'pman-test-busybox-0.tar');
if (!fs.existsSync(tarball)) execFileSync(path.join(top, 'scripts/make-busybox-rootfs.sh'), [tarball]);
// podman's infra container needs the same ulimits as its members on this machine: containers.conf.
const conf = path.join(os.tmpdir(), `pman-podmem-${process.pid}.conf`);
fs.writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n');
const env = { ...process.env, CONTAINERS_CONF: conf };
const sh = (argv) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env }).trim();

function engines(dir) {
  const pman = [path.join(top, 'bin/pman'), '--root', path.join(dir, 'pman/root'), '--runroot', path.join(dir, 'pman/run')];
  const podman = ['podman', '--root', path.join(dir, 'podman/root'), '--runroot', path.join(dir, 'podman/run'), '--tmpdir', path.join(dir, 'podman/tmp'),
    '--events-backend', 'file', '--cgroup-manager', 'cgroupfs', '--runtime', 'runc'];
  const ulimits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
  return [
    { name: 'pman', g: pman, run: [], pod: ['pod', 'create', '--name', 'membench'] },
    { name: 'podman', g: podman, run: ulimits, pod: ['pod', 'create', '--name', 'membench', '--network', 'none'] },
  ];
}

function measure(e) {
  sh([...e.g, 'import', tarball, 'busybox']);
  sh([...e.g, ...e.pod]);
  for (let i = 0; i < 3; i++) sh([...e.g, 'run', '-d', '--pod', 'membench', ...e.run, '--name', `m${i}`, 'localhost/busybox', 'sleep', '1000']);
  execFileSync('sleep', ['2']);
  const ids = sh([...e.g, 'ps', '-q', '--no-trunc']).split('\n');
  let supervisors = 0;
  let containers = 0;
  for (const id of ids) {
    const [pid, sup] = sh([...e.g, 'inspect', '--format', '{{.State.Pid}} {{.State.ConmonPid}}', id]).split(' ').map(Number);
    supervisors += smapsRollup(sup).pss;
    containers += smapsRollup(pid).pss;
  }
  return { count: ids.length, supervisors, containers };
}

const results = { pman: [], podman: [] };
for (let r = 0; r < rounds; r++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-podmem-'));
  for (const e of engines(dir)) {
    try {
      results[e.name].push(measure(e));
    } finally {
      execFileSync(e.g[0], [...e.g.slice(1), 'pod', 'rm', '-f', '-t', '0', 'membench'], { stdio: 'ignore', env });
      if (e.name === 'podman') {
        wipePodmanStore(e.g, path.join(dir, 'podman'), (argv) => {
          try { execFileSync(argv[0], argv.slice(1), { stdio: 'ignore', env }); } catch { /* best effort */ }
        });
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.rmSync(conf, { force: true });
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
console.log('| engine | processes | supervisors (PSS) | containers (PSS) | total (PSS) |');
console.log('|---|---|---|---|---|');
for (const [name, rs] of Object.entries(results)) {
  const s = median(rs.map((x) => x.supervisors));
  const c = median(rs.map((x) => x.containers));
  console.log(`| ${name} | ${rs[0].count} containers, ${rs[0].count} supervisors | ${mib(s)} | ${mib(c)} | ${mib(s + c)} |`);
}
