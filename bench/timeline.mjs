#!/usr/bin/env node
// The start-up timeline of one command, as load-independent as a loaded machine allows: runs it
// many times with PMAN_TRACE, each run in a throw-away cpuacct cgroup (so the CPU time of the
// CLI, the shim and runc is counted, whoever reaps them), and reports medians of each traced
// step's offset from the spawn, of the differences between consecutive steps, of the wall time,
// of the time until the last process of the run (the shim) is gone, and of the CPU time.
// Several pman checkouts can be compared: their runs are interleaved (A B, B A, …).
//
//   node bench/timeline.mjs [--runs N] [--warmup N] [--pman PATH]... -- ARGS...
//   e.g. node bench/timeline.mjs --runs 30 --pman bin/pman --pman /tmp/base/bin/pman \
//          -- --root /var/tmp/x/root --runroot /var/tmp/x/run run --rm --network none busybox true
//
// Root only (cgroup v1 cpuacct or cgroup v2). Not part of bench/run.sh: a tool for performance
// work (docs/performance.md, "Where the time goes").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
if (sep < 0) {
  process.stderr.write('usage: node bench/timeline.mjs [--runs N] [--warmup N] [--pman PATH]... -- PMAN-ARGS...\n');
  process.exit(2);
}
const opts = { runs: 20, warmup: 2, pman: [] };
for (let i = 0; i < sep; i += 2) {
  const [k, v] = [argv[i], argv[i + 1]];
  if (k === '--runs') opts.runs = Number(v);
  else if (k === '--warmup') opts.warmup = Number(v);
  else if (k === '--pman') opts.pman.push(v);
  else throw new Error(`unknown option ${k}`);
}
if (opts.pman.length === 0) opts.pman.push(path.join(path.dirname(new URL(import.meta.url).pathname), '../bin/pman'));
const args = argv.slice(sep + 1);

const v1 = fs.existsSync('/sys/fs/cgroup/cpuacct/cpuacct.usage');
const cgRoot = v1 ? '/sys/fs/cgroup/cpuacct' : '/sys/fs/cgroup';
const traceFile = path.join(os.tmpdir(), `pman-timeline-${process.pid}`);
const now = () => (performance.timeOrigin + performance.now()) % 100000;

function cpuOf(dir) {
  if (v1) {
    const [user, sys] = ['cpuacct.usage_user', 'cpuacct.usage_sys'].map((f) => Number(fs.readFileSync(path.join(dir, f), 'utf8')) / 1e6);
    return { user, sys };
  }
  const stat = Object.fromEntries(fs.readFileSync(path.join(dir, 'cpu.stat'), 'utf8').trim().split('\n').map((l) => l.split(' ')));
  return { user: Number(stat.user_usec) / 1e3, sys: Number(stat.system_usec) / 1e3 };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function once(pman, n) {
  const cg = path.join(cgRoot, `pman-timeline-${process.pid}-${n}`);
  fs.mkdirSync(cg);
  try {
    fs.rmSync(traceFile, { force: true });
    const t0 = now();
    const r = spawnSync('sh', ['-c', `echo $$ > ${cg}/cgroup.procs && exec "$0" "$@"`, pman, ...args], {
      env: { ...process.env, PMAN_TRACE: traceFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const wall = now() - t0;
    if (r.status !== 0) throw new Error(`${pman} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    // The shim outlives the CLI by its clean-up after the Exit frame: wait for the cgroup to empty.
    let gone = NaN;
    for (let i = 0; i < 2000; i++) {
      if (fs.readFileSync(path.join(cg, 'cgroup.procs'), 'utf8').trim() === '') {
        gone = now() - t0;
        break;
      }
      sleep(2);
    }
    const cpu = cpuOf(cg);
    const steps = {};
    for (const line of fs.readFileSync(traceFile, 'utf8').split('\n')) {
      const m = /^trace (\S+) (\d+) \S+ (.*)$/.exec(line);
      if (!m) continue;
      let t = Number(m[1]) - t0;
      if (t < -50000) t += 100000;
      let label = m[3];
      while (label in steps) label += "'";
      steps[label] = t;
    }
    return { wall, gone, cpu: cpu.user + cpu.sys, user: cpu.user, sys: cpu.sys, steps };
  } finally {
    fs.rmdirSync(cg);
  }
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const samples = opts.pman.map(() => []);
for (let i = 0; i < opts.warmup + opts.runs; i++) {
  for (let j = 0; j < opts.pman.length; j++) {
    const k = (i + j) % opts.pman.length;
    const s = once(opts.pman[k], `${i}-${k}`);
    if (i >= opts.warmup) samples[k].push(s);
  }
  process.stderr.write(`\r${i + 1}/${opts.warmup + opts.runs}`);
}
process.stderr.write('\n');
fs.rmSync(traceFile, { force: true });

for (let k = 0; k < opts.pman.length; k++) {
  const runs = samples[k];
  const labels = new Map();
  for (const r of runs) for (const [l, t] of Object.entries(r.steps)) labels.set(l, [...(labels.get(l) ?? []), t]);
  const order = [...labels.entries()].map(([l, ts]) => [l, median(ts), ts.length]).sort((a, b) => a[1] - b[1]);
  console.log(`\n${opts.pman[k]}: ${runs.length} runs`);
  console.log(`  wall ${median(runs.map((r) => r.wall)).toFixed(1)} ms, all gone ${median(runs.map((r) => r.gone)).toFixed(1)} ms, cpu ${median(runs.map((r) => r.cpu)).toFixed(1)} ms (user ${median(runs.map((r) => r.user)).toFixed(1)}, sys ${median(runs.map((r) => r.sys)).toFixed(1)})`);
  let prev;
  for (const [l, t, n] of order) {
    // The median of the per-run differences from the step before (in this order), not the difference of medians.
    const d = prev ? median(runs.map((r) => r.steps[l] - r.steps[prev])) : NaN;
    console.log(`  ${t.toFixed(1).padStart(7)}  ${Number.isFinite(d) ? `+${d.toFixed(1)}`.padStart(7) : '       '}  ${l}${n < runs.length ? ` (${n} runs)` : ''}`);
    prev = l;
  }
}
