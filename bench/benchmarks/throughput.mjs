// (c) stdout throughput: a container writes SIZE bytes of zeros, `wc -c` on the host counts them.
// This goes through everything on the output path: the supervisor's pipe reads, the log file
// it writes every chunk to, and the attach stream to the client.
import { BenchError, run, shellQuote } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const LABELS = {
  pman: (s) => `\`pman run --rm busybox sh -c 'head -c ${s} /dev/zero' | wc -c\``,
  podman: (s) => `\`podman run --rm busybox sh -c 'head -c ${s} /dev/zero' | wc -c\``,
  runc: (s) => `\`runc run\` (prepared bundle, same command) \`| wc -c\``,
};

export async function throughput({ engines, opts, log }) {
  const bytes = opts.sizeBytes;
  log(`throughput: ${opts.sizeText} per run, ${opts.throughputRuns} interleaved runs of each`);
  const timeoutMs = Math.round(Math.min(3_600_000, 120_000 + bytes / 1000)); // room for 1 MB/s
  const cases = engines.map((e) => {
    const pipeline = `${shellQuote(e.runArgv(['sh', '-c', `head -c ${bytes} /dev/zero`]))} | wc -c`;
    return {
      key: e.name,
      measure() {
        const r = run(['sh', '-c', pipeline], { capture: true, timeoutMs });
        const got = Number(r.stdout.trim());
        if (got !== bytes) throw new BenchError(`Cannot measure ${e.name} throughput: received ${got} bytes, expected ${bytes}\n  ${r.stderr.trim()}`);
        return r.ms;
      },
    };
  });
  const results = await interleave(cases, { runs: opts.throughputRuns, warmup: 0, progress: opts.progress('throughput') });
  const mibps = (ms) => (bytes / 1048576 / (ms / 1000)).toFixed(0);
  const pmanRatio = 1 / ratioTo(results, 'pman'); // throughput ratio: podman's time over pman's
  return {
    results,
    markdown: section({
      title: 'Stdout throughput',
      intro: `Wall time to move ${opts.sizeText} (${bytes} bytes) from a container's stdout through the engine to `
        + `\`wc -c\`, container start-up included (${opts.throughputRuns} interleaved runs each).`,
      columns: ['command', 'median ms', 'min ms', 'MiB/s (median)', 'time vs podman'],
      rows: timingRows(engines, results, (e) => LABELS[e.name](opts.sizeText), (e, r) => [mibps(r.median)]),
      notes: [targetLine('pman throughput ≥ podman (podman time / pman time ≥ 1)', pmanRatio, 1, 'higher')],
    }),
  };
}
