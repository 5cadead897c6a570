// (g) Build: `pman build` against `podman build` of one realistic two-stage Containerfile
// (bench/lib/build-context.mjs), from cold (--no-cache: every step runs, the base image is
// there) and warm (every step a cache hit). Runs are interleaved, and each run of pman is paired
// with podman's of the same round. The cold runs' images are removed once, after the last cold
// run (untimed): on a journal-less ext4 a removal makes the next few minutes of file creation in
// the same block groups slow (docs/performance.md, "The build benchmark"), so a removal between
// timed runs would time the filesystem's memory of it. --build-prune each removes them after
// every cold run instead, as earlier versions did.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, output, run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { makeBuildContext } from '../lib/build-context.mjs';
import { PODMAN_RUN_FLAGS } from '../lib/engines.mjs';
import { fmt, section, targetLine } from '../lib/report.mjs';
import { median, pairedRatios } from '../lib/stats.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const TAG = 'localhost/pmanbench-build:latest';
const TIMEOUT_MS = 900_000;
/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture pman runs on. */
const CLOCK_TICKS = 100;

// No network for RUN in either engine (the steps need none), as the other benchmarks run podman.
const buildArgv = (e, ctxDir, cold) => [...e.global, 'build', '--network', 'none', ...(cold ? ['--no-cache'] : []), '-t', TAG, ctxDir];

/** Removes the built image, its intermediate images and the first stage's (untimed). */
function removeBuilt(e) {
  run([...e.global, 'rmi', '-f', TAG], { allowFail: true, timeoutMs: 300_000 });
  run([...e.global, 'image', 'prune', '-f'], { allowFail: true, timeoutMs: 300_000 });
}

/** The built image holds the copied tree: counts its files with a container of it. */
function checkImage(e, files) {
  const runFlags = e.name === 'podman' ? PODMAN_RUN_FLAGS : [];
  const n = Number(output([...e.global, 'run', '--rm', ...runFlags, TAG, 'sh', '-c', 'find /app/src -type f | wc -l; cat /app/out/count'], { timeoutMs: 120_000 }).split('\n').join(' ').trim().split(/\s+/)[0]);
  if (n !== files) throw new BenchError(`Cannot use ${e.name}'s build: the image has ${n} files under /app/src, expected ${files}`);
}

/**
 * User + system seconds of this process's waited-for descendants (/proc/self/stat cutime, cstime).
 * A detached process is not among them: pman's shim and the runc it starts for a RUN step are
 * not counted, podman's runc is.
 */
function childCpuSeconds() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** The median of pman's time over podman's in the same round, with the range of those ratios. */
function pairedLine(results) {
  const ratios = pairedRatios(results, 'pman', 'podman');
  if (ratios.length === 0) return '';
  return `Paired: pman over podman in the same round, median ${fmt.ratio(median(ratios))} of ${ratios.length} pairs `
    + `(${fmt.ratio(Math.min(...ratios))} – ${fmt.ratio(Math.max(...ratios))}).`;
}

export async function build({ engines, opts, log }) {
  const contenders = engines.filter((e) => e.name === 'pman' || e.name === 'podman');
  if (contenders.length === 0) throw new BenchError('Cannot run the build benchmark: neither pman nor podman is among the engines');
  const base = fs.mkdtempSync(path.join(opts.tmpdir, 'pman-bench-build-'));
  const ctxDir = path.join(base, 'context');
  try {
    log(`build: writing a context of ${opts.buildFiles} small files`);
    const context = makeBuildContext(ctxDir, opts.buildFiles);
    // CPU time of the waited-for processes beside the wall time: on a loaded machine the wall
    // time mostly measures the share of the cores each engine's threads get.
    const cpu = { cold: {}, warm: {} };
    const timed = (e, cold) => {
      const before = childCpuSeconds();
      const r = run(buildArgv(e, ctxDir, cold), { timeoutMs: TIMEOUT_MS });
      ((cpu[cold ? 'cold' : 'warm'][e.name] ??= [])).push(childCpuSeconds() - before);
      return r.ms;
    };
    const cpuCell = (kind) => (e) => [Number.isFinite(median(cpu[kind][e.name] ?? [])) ? median(cpu[kind][e.name]).toFixed(2) : '–'];

    log(`build (cold): ${opts.buildRuns} interleaved runs of each`);
    const coldCases = contenders.map((e) => ({
      key: e.name,
      measure() {
        const ms = timed(e, true);
        if (opts.buildPrune === 'each') removeBuilt(e);
        return ms;
      },
    }));
    const cold = await interleave(coldCases, { runs: opts.buildRuns, warmup: 0, progress: opts.progress('build cold') });
    if (opts.buildPrune !== 'each') for (const e of contenders) removeBuilt(e);

    log('build (warm): priming the cache of each engine');
    for (const e of contenders) {
      run(buildArgv(e, ctxDir, false), { timeoutMs: TIMEOUT_MS });
      checkImage(e, context.files);
    }
    log(`build (warm): ${opts.buildRuns} interleaved runs of each`);
    const warmCases = contenders.map((e) => ({ key: e.name, measure: () => timed(e, false) }));
    const warm = await interleave(warmCases, { runs: opts.buildRuns, warmup: 0, progress: opts.progress('build warm') });

    const label = (e) => (e.name === 'pman' ? '`pman build`' : `\`podman build\` (storage driver ${e.driver})`);
    const what = `a two-stage Containerfile: 4 RUN steps (making 200 text files, 100 random 4 KiB files, copying and deleting), a COPY of a context of `
      + `${context.files} small files (${(context.bytes / 1048576).toFixed(1)} MiB), a final stage with two \`COPY --from\` and metadata steps; \`--network none\`, `
      + `${opts.buildRuns} interleaved runs each`;
    const sections = [
      section({
        title: 'Build from cold',
        intro: `Wall time of \`build --no-cache -t NAME CONTEXT\` of ${what}. Every step runs; the base image is in the store. `
          + (opts.buildPrune === 'each'
            ? 'The built image and its intermediate images are removed after each run (untimed).'
            : 'The images built are removed after the last cold run (untimed), not between runs.')
          + ' CPU: user + system time of the processes the build command waits for (not pman\'s detached shim and the runc it starts for a RUN step; podman\'s runc is counted).',
        columns: ['command', 'median ms', 'min ms', 'median CPU s', 'vs podman'],
        rows: timingRows(contenders, cold, label, cpuCell('cold')),
        notes: [targetLine('pman build (cold) ≤ 1.0× podman', ratioTo(cold, 'pman'), 1.0, 'lower'), pairedLine(cold)].filter(Boolean),
      }),
      section({
        title: 'Build from a warm cache',
        intro: `Wall time of \`build -t NAME CONTEXT\` of the same file and context after one untimed build: every step is a cache hit `
          + '(the COPY steps still read the context to check it).',
        columns: ['command', 'median ms', 'min ms', 'median CPU s', 'vs podman'],
        rows: timingRows(contenders, warm, label, cpuCell('warm')),
        notes: [targetLine('pman build (warm) ≤ 0.5× podman', ratioTo(warm, 'pman'), 0.5, 'lower'), pairedLine(warm)].filter(Boolean),
      }),
    ];
    return { results: { cold, warm }, markdown: sections.join('\n\n') };
  } finally {
    for (const e of contenders) removeBuilt(e);
    if (!opts.keep) fs.rmSync(base, { recursive: true, force: true });
    else log(`kept ${base}`);
  }
}
