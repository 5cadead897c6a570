// (k) The Docker-compatible API: `docker run --rm IMAGE true` through `pman system service` and
// through `podman system service`, interleaved; and a testcontainers-node start-to-ready (create,
// start, wait for a log line) through each. Both services run for the whole benchmark (--time 0):
// what is measured is a client's round trips, not the service's own start-up. Both containers
// get the same flags (no network, podman's ulimits) and the same image, by its full name.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError, run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const DOCKER = process.env.PMAN_TEST_DOCKER || '/usr/local/libexec/pman-test/docker';
const IMAGE = 'localhost/busybox:latest';
const FLAGS = ['--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// One testcontainers start-to-ready, in its own Node (as a test suite would), timed inside.
const TC_SCRIPT = `
const { GenericContainer, Wait } = await import(${JSON.stringify(path.join(repo, 'node_modules/testcontainers/build/index.js'))});
const t0 = performance.now();
const c = await new GenericContainer(${JSON.stringify(IMAGE)}).withNetworkMode('none')
  .withUlimits({ nofile: { soft: 1024, hard: 1024 }, nproc: { soft: 1024, hard: 1024 } })
  .withCommand(['sh', '-c', 'echo ready; exec sleep 300']).withWaitStrategy(Wait.forLogMessage('ready')).start();
const ms = performance.now() - t0;
await c.stop({ timeout: 0 });
console.log(ms);
`;

async function startService(e, socket) {
  const child = spawn(e.global[0], [...e.global.slice(1), 'system', 'service', '--time', '0', `unix://${socket}`], { stdio: 'ignore' });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    if (fs.existsSync(socket) && run([DOCKER, '-H', `unix://${socket}`, 'version'], { allowFail: true, timeoutMs: 10_000 }).code === 0) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new BenchError(`Cannot start "${e.name} system service" on ${socket}`);
}

export async function api({ engines, opts, log }) {
  if (!fs.existsSync(DOCKER)) throw new BenchError(`Cannot run the api benchmark: no docker CLI at ${DOCKER} (./install.sh puts it there; or set PMAN_TEST_DOCKER)`);
  const contenders = engines.filter((e) => e.name === 'pman' || e.name === 'podman');
  if (contenders.length === 0) throw new BenchError('Cannot run the api benchmark: neither pman nor podman is among the engines');
  const dir = fs.mkdtempSync(path.join(opts.tmpdir, 'pman-bench-api-'));
  const services = [];
  try {
    const hosts = {};
    for (const e of contenders) {
      const socket = path.join(dir, `${e.name}.sock`);
      services.push(await startService(e, socket));
      hosts[e.name] = `unix://${socket}`;
    }
    log(`api: ${opts.runs} interleaved \`docker run --rm\` through each service`);
    const runCases = contenders.map((e) => ({
      key: e.name,
      measure: () => run([DOCKER, '-H', hosts[e.name], 'run', '--rm', ...FLAGS, IMAGE, 'true'], { timeoutMs: 120_000 }).ms,
    }));
    const runs = await interleave(runCases, { runs: opts.runs, warmup: opts.warmup, progress: opts.progress('api run') });
    const tcRuns = Math.max(3, Math.floor(opts.runs / 3));
    log(`api: ${tcRuns} interleaved testcontainers start-to-ready through each service`);
    const tcCases = contenders.map((e) => ({
      key: e.name,
      measure: () => {
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', TC_SCRIPT], {
          encoding: 'utf8',
          timeout: 180_000,
          env: { ...process.env, DOCKER_HOST: hosts[e.name], TESTCONTAINERS_RYUK_DISABLED: 'true' },
        });
        const ms = Number(String(r.stdout).trim().split('\n').pop());
        if (r.status !== 0 || !(ms > 0)) throw new BenchError(`Cannot run testcontainers against ${e.name}: ${(String(r.stderr).match(/^Error.*$/m) ?? [String(r.stderr).slice(-300)])[0]}`);
        return ms;
      },
    }));
    const tc = await interleave(tcCases, { runs: tcRuns, warmup: 1, progress: opts.progress('api testcontainers') });
    const rows = (results, label) => timingRows(contenders, results, label);
    return {
      results: { run: runs, testcontainers: tc },
      markdown: [
        section({
          title: 'Docker API: docker run --rm',
          intro: `Wall time of \`docker run --rm ${FLAGS.join(' ')} ${IMAGE} true\` (docker CLI 20.10) through each engine's \`system service\` (${opts.runs} interleaved runs each, after ${opts.warmup} warm-up).`,
          columns: ['through', 'median ms', 'min ms', 'vs podman'],
          rows: rows(runs, (e) => `\`${e.name} system service\``),
          notes: [targetLine('docker run via pman ≤ 0.70× via podman', ratioTo(runs, 'pman'), 0.7, 'lower')],
        }),
        section({
          title: 'Docker API: testcontainers start-to-ready',
          intro: `testcontainers-node 11: GenericContainer start until its log line (no network, ryuk disabled), ${tcRuns} interleaved runs each.`,
          columns: ['through', 'median ms', 'min ms', 'vs podman'],
          rows: rows(tc, (e) => `\`${e.name} system service\``),
          notes: [targetLine('testcontainers via pman ≤ 0.70× via podman', ratioTo(tc, 'pman'), 0.7, 'lower')],
        }),
      ].join('\n'),
    };
  } finally {
    for (const s of services) {
      s.kill('SIGTERM');
      await new Promise((r) => (s.exitCode !== null ? r() : s.once('exit', r)));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
