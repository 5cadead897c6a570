// (logs) The container log on both sides. Write: a detached container prints SIZE bytes of
// 41-byte lines (`yes … | head -c SIZE`) and the engine's supervisor logs every line (k8s-file);
// timed from `run -d` until `wait` returns. Replay: `logs NAME | wc -c` of such a log. Raw runc
// writing the same output to /dev/null is the floor for the write side (no log at all).
import { BenchError, run, shellQuote } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const LINE = '0123456789012345678901234567890123456789';
const REPLAY_NAME = 'pmanbench-logs';
const command = (bytes) => ['sh', '-c', `yes ${LINE} | head -c ${bytes}`];

const WRITE_LABELS = {
  pman: () => '`pman run -d` … `pman wait` (k8s-file log)',
  podman: () => '`podman run -d --log-driver k8s-file` … `podman wait`',
  runc: () => '`runc run` to /dev/null (no log: the floor)',
};
const REPLAY_LABELS = {
  pman: () => '`pman logs NAME | wc -c`',
  podman: () => '`podman logs NAME | wc -c`',
};

const wc = (argv, timeoutMs) => Number(run(['sh', '-c', `${shellQuote(argv)} | wc -c`], { capture: true, timeoutMs }).stdout.trim());

export async function logs({ engines, opts, log }) {
  const bytes = opts.sizeBytes;
  const timeoutMs = Math.round(Math.min(3_600_000, 120_000 + bytes / 1000)); // room for 1 MB/s
  const managers = engines.filter((e) => e.name !== 'runc');
  if (managers.length === 0) throw new BenchError('Cannot run the logs benchmark: it needs pman or podman among --engines');
  const wait = (e, name) => run([...e.global, 'wait', name], { capture: true, timeoutMs });

  log(`logs: writing ${opts.sizeText} of lines per run, ${opts.logRuns} interleaved runs of each`);
  let serial = 0;
  const writeCases = engines.map((e) => ({
    key: e.name,
    measure() {
      if (e.name === 'runc') return run(['sh', '-c', `${shellQuote(e.runArgv(command(bytes)))} > /dev/null`], { timeoutMs }).ms;
      const name = `pmanbench-logw-${serial++}`;
      try {
        const start = process.hrtime.bigint();
        e.startDetached(name, command(bytes));
        const code = wait(e, name).stdout.trim();
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (code !== '0') throw new BenchError(`Cannot measure ${e.name} log writing: the container exited ${code}`);
        return ms;
      } finally {
        e.remove(name); // a GiB-sized log per run: not kept
      }
    },
  }));
  const written = await interleave(writeCases, { runs: opts.logRuns, warmup: 0, progress: opts.progress('logs (write)') });

  log(`logs: one ${opts.sizeText} log per engine, then ${opts.logRuns} interleaved replays of each`);
  try {
    for (const e of managers) {
      e.startDetached(REPLAY_NAME, command(bytes));
      wait(e, REPLAY_NAME);
    }
    const replayCases = managers.map((e) => ({
      key: e.name,
      measure() {
        const start = process.hrtime.bigint();
        const got = wc([...e.global, 'logs', REPLAY_NAME], timeoutMs);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (got !== bytes) throw new BenchError(`Cannot measure ${e.name} log replay: got ${got} bytes, expected ${bytes}`);
        return ms;
      },
    }));
    const replayed = await interleave(replayCases, { runs: opts.logRuns, warmup: 0, progress: opts.progress('logs (replay)') });
    const mibps = (ms) => (bytes / 1048576 / (ms / 1000)).toFixed(0);
    return {
      results: { write: written, replay: replayed },
      markdown: [
        section({
          title: 'Logging a container\'s output',
          intro: `Wall time from \`run -d\` until \`wait\` returns for a container printing ${opts.sizeText} (${bytes} bytes) `
            + `of 41-byte lines (\`yes … | head -c\`), each line written to the log (${opts.logRuns} interleaved runs each).`,
          columns: ['command', 'median ms', 'min ms', 'MiB/s (median)', 'time vs podman'],
          rows: timingRows(engines, written, (e) => WRITE_LABELS[e.name](), (e, r) => [mibps(r.median)]),
          notes: [targetLine('pman logging throughput ≥ podman (pman time / podman time ≤ 1)', ratioTo(written, 'pman'), 1, 'lower')],
        }),
        section({
          title: 'Replaying a log',
          intro: `Wall time of \`logs NAME | wc -c\` for the ${opts.sizeText} log of that container (k8s-file, about `
            + `${(bytes * 2.1 / 1024 ** 3).toFixed(1)} GiB on disk; ${opts.logRuns} interleaved runs each).`,
          columns: ['command', 'median ms', 'min ms', 'MiB/s (median)', 'time vs podman'],
          rows: timingRows(managers, replayed, (e) => REPLAY_LABELS[e.name](), (e, r) => [mibps(r.median)]),
          notes: [targetLine('pman logs throughput ≥ podman (pman time / podman time ≤ 1)', ratioTo(replayed, 'pman'), 1, 'lower')],
        }),
      ].join('\n\n'),
    };
  } finally {
    for (const e of managers) e.remove(REPLAY_NAME);
  }
}
