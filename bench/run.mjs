// The benchmark driver (entry: bench/run.sh): sets up pman, podman and raw runc side by side on
// one throw-away busybox rootfs, runs the selected benchmarks with interleaved runs, prints one
// Markdown report and keeps it under bench/results/. See docs/performance.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchError, output, run } from './lib/proc.mjs';
import { createPman, createPodman, createRunc } from './lib/engines.mjs';
import { updateDocs, writeResults } from './lib/report.mjs';
import { startup } from './benchmarks/startup.mjs';
import { memory } from './benchmarks/memory.mjs';
import { throughput } from './benchmarks/throughput.mjs';
import { exec } from './benchmarks/exec.mjs';
import { logs } from './benchmarks/logs.mjs';
import { rootless } from './benchmarks/rootless.mjs';
import { rootlessNetwork } from './benchmarks/rootless-network.mjs';
import { pull } from './benchmarks/pull.mjs';
import { load } from './benchmarks/load.mjs';
import { disk } from './benchmarks/disk.mjs';
import { build } from './benchmarks/build.mjs';
import { network } from './benchmarks/network.mjs';
import { api } from './benchmarks/api.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHMARKS = { run: startup, network, memory, throughput, exec, logs, pull, rootless, 'rootless-net': rootlessNetwork, load, disk, build, api };
const ENGINES = ['pman', 'podman', 'runc'];

const HELP = `Usage: bench/run.sh [options]

Compares pman with podman and raw runc on this machine (run as root).

  --only LIST            benchmarks to run, comma-separated: ${Object.keys(BENCHMARKS).join(',')} (default all)
  --engines LIST         contenders: ${ENGINES.join(',')} (default all; podman is the reference for ratios)
  --runs N               interleaved runs per contender for run and exec (default 15, at least 10 advised)
  --warmup N             discarded warm-up runs per contender before those (default 2)
  --size SIZE            bytes per throughput run, K/M/G suffixes (binary) allowed (default 1G)
  --throughput-runs N    interleaved throughput runs per contender (default 3)
  --log-runs N           interleaved runs per contender of the logs benchmark, writing and replaying
                         a --size log each time (default 3)
  --mem-containers N     idle containers per engine for the memory benchmark (default 3)
  --settle-ms MS         idle time before memory is sampled (default 2000)
  --pull-runs N          interleaved pull runs per contender (default 5)
  --pull-size SIZE       unpacked size of the pulled image, K/M/G suffixes allowed (default 200M)
  --pull-layers N        layers of the pulled image (default 5)
  --load-runs N          interleaved load runs per contender and archive format (default 5)
  --load-size SIZE       unpacked size of the loaded image, K/M/G suffixes allowed (default 200M)
  --load-layers N        layers of the loaded image (default 5)
  --disk-containers N    running containers per engine for the disk benchmark (default 50)
  --build-runs N         interleaved build runs per contender, cold and warm each (default 5)
  --build-files N        small files in the build benchmark's context (default 3000)
  --build-prune WHEN     when the cold build runs' images are removed: end (after the last cold run,
                         the default) or each (after every cold run; on a journal-less ext4 the next
                         builds then meet the recently freed inodes, docs/performance.md)
  --rootless-user NAME   unprivileged user for the rootless benchmark, created with subordinate IDs if
                         missing (default pmanbench); it compares pman and podman only, whatever --engines says
  --pman PATH            the pman to measure (default $PMAN, else bin/pman of this checkout)
  --tmpdir DIR           where the throw-away stores go (default $TMPDIR or /var/tmp)
  --keep                 keep the throw-away stores after the run (containers are still removed)
  --update-docs          also replace the results section of docs/performance.md
  -h, --help             this text
`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', default: Object.keys(BENCHMARKS).join(',') },
      engines: { type: 'string', default: ENGINES.join(',') },
      runs: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '2' },
      size: { type: 'string', default: '1G' },
      'throughput-runs': { type: 'string', default: '3' },
      'log-runs': { type: 'string', default: '3' },
      'mem-containers': { type: 'string', default: '3' },
      'settle-ms': { type: 'string', default: '2000' },
      'pull-runs': { type: 'string', default: '5' },
      'pull-size': { type: 'string', default: '200M' },
      'pull-layers': { type: 'string', default: '5' },
      'load-runs': { type: 'string', default: '5' },
      'load-size': { type: 'string', default: '200M' },
      'load-layers': { type: 'string', default: '5' },
      'disk-containers': { type: 'string', default: '50' },
      'build-runs': { type: 'string', default: '5' },
      'build-files': { type: 'string', default: '3000' },
      'build-prune': { type: 'string', default: 'end' },
      'rootless-user': { type: 'string', default: 'pmanbench' },
      pman: { type: 'string', default: process.env.PMAN || path.join(repo, 'bin', 'pman') },
      tmpdir: { type: 'string', default: process.env.TMPDIR || '/var/tmp' },
      keep: { type: 'boolean', default: false },
      'update-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const int = (name, lo, hi) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new BenchError(`Cannot use --${name} "${values[name]}": expected an integer from ${lo} to ${hi}`);
    return n;
  };
  const list = (name, allowed) => {
    const items = values[name].split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((s) => !allowed.includes(s));
    if (bad.length || items.length === 0) throw new BenchError(`Cannot use --${name} "${values[name]}": choose from ${allowed.join(',')}`);
    return allowed.filter((a) => items.includes(a)); // fixed order
  };
  const bytesOf = (name) => {
    const m = /^(\d+)([KMG])?$/i.exec(values[name]);
    const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] ?? ' ').toUpperCase()) : NaN;
    if (!(n > 0) || n > 64 * 1024 ** 3) throw new BenchError(`Cannot use --${name} "${values[name]}": expected e.g. 1G, 256M or a byte count up to 64G`);
    return n;
  };
  const oneOf = (name, allowed) => {
    if (!allowed.includes(values[name])) throw new BenchError(`Cannot use --${name} "${values[name]}": choose one of ${allowed.join(', ')}`);
    return values[name];
  };
  const sizeBytes = bytesOf('size');
  return {
    help: values.help,
    only: list('only', Object.keys(BENCHMARKS)),
    engines: list('engines', ENGINES),
    runs: int('runs', 1, 1000),
    warmup: int('warmup', 0, 100),
    sizeBytes,
    sizeText: values.size,
    throughputRuns: int('throughput-runs', 1, 100),
    logRuns: int('log-runs', 1, 100),
    memContainers: int('mem-containers', 1, 50),
    settleMs: int('settle-ms', 0, 600_000),
    pullRuns: int('pull-runs', 1, 100),
    pullBytes: bytesOf('pull-size'),
    pullLayers: int('pull-layers', 1, 50),
    loadRuns: int('load-runs', 1, 100),
    loadBytes: bytesOf('load-size'),
    loadLayers: int('load-layers', 1, 50),
    diskContainers: int('disk-containers', 1, 500),
    buildRuns: int('build-runs', 1, 100),
    buildFiles: int('build-files', 1, 100_000),
    buildPrune: oneOf('build-prune', ['end', 'each']),
    repo,
    rootlessUser: values['rootless-user'],
    pman: path.resolve(values.pman),
    tmpdir: values.tmpdir,
    keep: values.keep,
    updateDocs: values['update-docs'],
  };
}

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

function progress(name) {
  if (!process.stderr.isTTY) return () => {};
  return (i, n) => process.stderr.write(`\r  ${name}: ${i}/${n}${i === n ? '\n' : ''}`);
}

function machine(engines) {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? 'unknown CPU';
  const first = (argv) => { try { return output(argv, { timeoutMs: 30_000 }).split('\n')[0]; } catch { return 'unknown'; } };
  let commit = 'unknown';
  try {
    commit = output(['git', '-C', repo, 'rev-parse', '--short', 'HEAD']);
    if (output(['git', '-C', repo, 'status', '--porcelain', '--untracked-files=no'])) commit += ' (with uncommitted changes)';
  } catch { /* not a checkout */ }
  const podman = engines.find((e) => e.name === 'podman');
  return `Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on ${cpu.trim()} (${os.cpus().length} cores), `
    + `Linux ${os.release()}, Node ${process.version}, ${first(['runc', '--version'])}, ${first(['podman', '--version'])}`
    + `${podman ? ` (storage driver ${podman.driver})` : ''}, pman at commit ${commit}. `
    + `Load average at start: ${os.loadavg()[0].toFixed(2)}. Contenders: ${engines.map((e) => e.name).join(', ')}.`;
}

/** Mount points at or below dir, deepest first. */
function mountsUnder(dir) {
  const unescape = (s) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean)
    .map((l) => unescape(l.split(' ')[4]))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** Containers of pman's that `pman rm -f` left behind: any runc state dir in pman's store. */
function runcLeftovers(dir, depth = 6) {
  const found = [];
  const walk = (d, left) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isFile() && e.name === 'state.json') found.push({ root: path.dirname(d), id: path.basename(d) });
      else if (e.isDirectory() && left > 0) walk(path.join(d, e.name), left - 1);
    }
  };
  walk(dir, depth);
  return found;
}

function makeCleanup(tmp, engines, keep) {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    log('cleaning up');
    for (const e of engines) {
      try { e.cleanup(); } catch (err) { log(`cleanup of ${e.name}: ${err.message}`); }
    }
    for (const { root, id } of runcLeftovers(path.join(tmp, 'pman'))) {
      log(`removing leftover runc container ${id} (state in ${root})`);
      run(['runc', '--root', root, 'delete', '-f', id], { allowFail: true, timeoutMs: 60_000 });
    }
    for (const m of mountsUnder(tmp)) {
      if (run(['umount', m], { allowFail: true }).code !== 0) run(['umount', '-l', m], { allowFail: true });
    }
    const left = mountsUnder(tmp);
    if (left.length) {
      log(`not removing ${tmp}: still mounted: ${left.join(', ')}`);
    } else if (keep) {
      log(`kept ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  opts.progress = progress;
  fs.mkdirSync(opts.tmpdir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(opts.tmpdir, 'pman-bench-'));
  const engines = [];
  const cleanup = makeCleanup(tmp, engines, opts.keep);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(sig, () => {
      log(`interrupted by ${sig}`);
      cleanup();
      process.exit(code);
    });
  }
  try {
    const tarball = path.join(tmp, 'busybox-rootfs.tar');
    log('building the busybox rootfs');
    run(['bash', path.join(repo, 'scripts', 'make-busybox-rootfs.sh'), tarball]);
    const make = {
      pman: () => createPman({ pmanPath: opts.pman, dir: path.join(tmp, 'pman'), tarball, log }),
      podman: () => createPodman({ dir: path.join(tmp, 'podman'), tarball, log }),
      runc: () => createRunc({ dir: path.join(tmp, 'runc'), tarball, log }),
    };
    for (const name of opts.engines) engines.push(make[name]());

    const parts = [machine(engines)];
    for (const name of opts.only) parts.push((await BENCHMARKS[name]({ engines, opts, log, tarball })).markdown);
    const markdown = parts.join('\n\n');

    process.stdout.write(`${markdown}\n`);
    const file = writeResults(path.join(repo, 'bench', 'results'), markdown);
    log(`results written to ${path.relative(repo, file)}`);
    if (opts.updateDocs) {
      updateDocs(path.join(repo, 'docs', 'performance.md'), markdown);
      log('docs/performance.md updated');
    }
    return 0;
  } finally {
    cleanup();
  }
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`bench: error: ${err instanceof BenchError ? err.message : err.stack}\n`);
  process.exit(1);
});
