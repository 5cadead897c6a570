#!/usr/bin/env node
// Soak (not a test): a mixed, parallel workload of pman operations on a throw-away store, with
// random kill -9 of CLIs and shims; then the invariants of docs/reliability.md are checked and a
// summary printed. Run as root from the checkout, after `npm run compile`:
//   node bench/soak.mjs [--ops 5000] [--parallel 8] [--kill-cli 0.05] [--kill-shim 0.02] [--seed N]
//   node bench/soak.mjs --rm-cycles 1000   (sequential `run --rm` cycles: nothing may grow)
// Exit 0 when no problem was found. Traffic: none (busybox from a local tarball).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    ops: { type: 'string', default: '5000' },
    parallel: { type: 'string', default: '8' },
    'kill-cli': { type: 'string', default: '0.05' },
    'kill-shim': { type: 'string', default: '0.02' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    'rm-cycles': { type: 'string', default: '0' },
  },
});
const OPS = Number(opt.ops);
const PARALLEL = Number(opt.parallel);
const KILL_CLI = Number(opt['kill-cli']);
const KILL_SHIM = Number(opt['kill-shim']);

// A small deterministic generator, so a run can be repeated with its seed.
let seed = Number(opt.seed) >>> 0 || 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rand() * a.length)];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-soak-'));
const root = path.join(dir, 'root');
const runroot = path.join(dir, 'run');
const bin = path.join(repo, 'bin/pman');

/** Runs pman; maybe kills it -9 after a random delay. Resolves with {code, stdout, killed}. */
function pman(args, { mayKill = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(bin, ['--root', root, '--runroot', runroot, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    let killed = false;
    if (mayKill && rand() < KILL_CLI) {
      setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, Math.floor(rand() * 300));
    }
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim(), killed }));
  });
}

const stats = { ops: 0, failed: 0, cliKills: 0, shimKills: 0, byOp: {} };
const tar = path.join(os.tmpdir(), `pman-test-busybox-${process.getuid()}.tar`);
if (!fs.existsSync(tar)) execFileSync(path.join(repo, 'scripts/make-busybox-rootfs.sh'), [tar], { stdio: 'ignore' });

async function names() {
  const r = await pman(['ps', '-a', '--format', '{{.Names}}']);
  return r.stdout.split('\n').filter((n) => n.startsWith('s'));
}

const OPERATIONS = {
  'run --rm': () => pman(['run', '--rm', 'busybox', 'sh', '-c', 'echo hi'], { mayKill: true }),
  'run -d': () => pman(['run', '-d', '--name', `s${Math.floor(rand() * 40)}`, 'busybox', 'sh', '-c', 'echo up; sleep 30'], { mayKill: true }),
  'run -d --restart': () => pman(['run', '-d', '--name', `s${Math.floor(rand() * 40)}`, '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'sleep 1; exit 1'], { mayKill: true }),
  exec: async () => pman(['exec', pick((await names()).concat('none')), 'echo', 'x'], { mayKill: true }),
  logs: async () => pman(['logs', pick((await names()).concat('none'))], { mayKill: true }),
  stop: async () => pman(['stop', '-t', '1', pick((await names()).concat('none'))], { mayKill: true }),
  restart: async () => pman(['restart', '-t', '1', pick((await names()).concat('none'))], { mayKill: true }),
  'rm -f': async () => pman(['rm', '-f', '-t', '0', pick((await names()).concat('none'))], { mayKill: true }),
  load: () => pman(['import', tar, `soak${Math.floor(rand() * 3)}`], { mayKill: true }),
  rmi: () => pman(['rmi', '-f', `soak${Math.floor(rand() * 3)}`], { mayKill: true }),
  'ps -a': () => pman(['ps', '-a']),
};

/** kill -9 a random running container's shim. */
async function killShim() {
  const r = await pman(['ps', '--format', '{{.Names}}']);
  const name = pick(r.stdout.split('\n').filter(Boolean).concat(['']));
  if (!name) return;
  const pid = Number((await pman(['inspect', '--format', '{{.State.ConmonPid}}', name])).stdout);
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
      stats.shimKills++;
    } catch {
      /* gone */
    }
  }
}

function mounts() {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m && m.startsWith(dir));
}

/** Every path under the store, the mounts and the number of open fds of processes using it. */
function picture() {
  const walk = (d, rel = '') =>
    fs.readdirSync(path.join(d, rel), { withFileTypes: true }).flatMap((e) => {
      const p = path.join(rel, e.name);
      return e.isDirectory() && !mounts().includes(path.join(d, p)) ? [p, ...walk(d, p)] : [p];
    });
  const du = Number(execFileSync('du', ['-sk', '--exclude=merged', dir]).toString().split('\t')[0]);
  return { files: [...walk(root).map((f) => `root/${f}`), ...walk(runroot).map((f) => `run/${f}`)].sort(), mounts: mounts(), du, procs: storeProcesses() };
}

/** Processes using the store (a shim, a CLI, a container's runc), with their open descriptors. */
function storeProcesses() {
  const out = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) continue;
      out.push({ pid, fds: fs.readdirSync(`/proc/${pid}/fd`).length });
    } catch {
      /* gone */
    }
  }
  return out;
}

async function rmCycles(n) {
  await pman(['run', '--rm', 'busybox', 'true']);
  const before = picture();
  const start = Date.now();
  for (let i = 0; i < n; i++) {
    const r = await pman(['run', '--rm', 'busybox', 'true']);
    if (r.code !== 0) throw new Error(`cycle ${i}: ${r.stderr}`);
  }
  const after = picture();
  const grown = after.files.filter((f) => !before.files.includes(f));
  console.log(`soak: ${n} run --rm cycles in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  console.log(`files: ${before.files.length} before, ${after.files.length} after, ${grown.length} new`);
  for (const f of grown.slice(0, 20)) console.log(`  ${f}`);
  console.log(`mounts: ${before.mounts.length} before, ${after.mounts.length} after; disk: ${before.du} KiB before, ${after.du} KiB after`);
  const fds = (p) => p.procs.reduce((n, x) => n + x.fds, 0);
  console.log(`processes using the store: ${before.procs.length} before (${fds(before)} open descriptors), ${after.procs.length} after (${fds(after)})`);
  return grown.length === 0 && after.mounts.length === before.mounts.length && after.procs.length === before.procs.length ? 0 : 1;
}

async function main() {
  const start = Date.now();
  const imp = await pman(['import', tar, 'busybox']);
  if (imp.code !== 0) throw new Error(`import: ${imp.stderr}`);
  if (Number(opt['rm-cycles']) > 0) return rmCycles(Number(opt['rm-cycles']));
  let next = 0;
  const worker = async () => {
    while (next < OPS) {
      next++;
      const name = pick(Object.keys(OPERATIONS));
      const r = await OPERATIONS[name]();
      stats.ops++;
      const s = (stats.byOp[name] ??= { ok: 0, failed: 0, killed: 0 });
      if (r.killed) {
        s.killed++;
        stats.cliKills++;
      } else if (r.code === 0) s.ok++;
      else s.failed++;
      if (rand() < KILL_SHIM) await killShim();
      if (stats.ops % 250 === 0) process.stderr.write(`${stats.ops} operations…\n`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const problems = [];
  // Every reading command works.
  for (const args of [['ps', '-a'], ['images'], ['volume', 'ls']]) {
    const r = await pman(args);
    if (r.code !== 0) problems.push(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
  for (const n of await names()) {
    for (const args of [['inspect', n], ['logs', n]]) {
      const r = await pman(args);
      if (r.code !== 0) problems.push(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    }
  }
  // What the crashes left, before repair (reported, not counted as problems: repairing is the point).
  const found = await pman(['system', 'check']);
  const leftovers = found.stdout === 'no problems found' ? [] : found.stdout.split('\n');
  // Everything frees.
  for (const args of [['rm', '-af', '-t', '0'], ['rmi', '-af'], ['volume', 'rm', '-af'], ['system', 'check', '--repair']]) {
    const r = await pman(args);
    if (r.code !== 0) problems.push(`${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  }
  const after = await pman(['system', 'check']);
  if (after.stdout !== 'no problems found') problems.push(...after.stdout.split('\n').map((l) => `after repair: ${l}`));
  for (const m of mounts()) problems.push(`mount left: ${m}`);
  const left = ['containers', 'names'].flatMap((d) => {
    try {
      return fs.readdirSync(path.join(root, d)).map((f) => `${d}/${f}`);
    } catch {
      return [];
    }
  });
  for (const f of left) problems.push(`file left: ${f}`);
  const secs = ((Date.now() - start) / 1000).toFixed(0);
  console.log(`soak: ${stats.ops} operations in ${secs} s, ${PARALLEL} in parallel, seed ${opt.seed}`);
  console.log(`crashes injected: ${stats.cliKills} CLIs and ${stats.shimKills} shims killed -9`);
  for (const [name, s] of Object.entries(stats.byOp)) console.log(`  ${name.padEnd(18)} ok ${s.ok}, failed ${s.failed}, killed ${s.killed}`);
  console.log(`left by the crashes, found by system check: ${leftovers.length}`);
  for (const l of leftovers.slice(0, 20)) console.log(`  ${l}`);
  console.log(`problems: ${problems.length}`);
  for (const p of problems) console.log(`  ${p}`);
  return problems.length === 0 ? 0 : 1;
}

main()
  .then((code) => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  })
  .catch((err) => {
    console.error(`soak: ${err.message} (store kept in ${dir})`);
    process.exit(2);
  });
