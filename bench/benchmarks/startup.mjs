// (a) Start-up to exit: the whole life of a container that runs `true` and is removed.
import { run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const LABELS = {
  pman: () => '`pman run --rm busybox true`',
  podman: () => '`podman run --rm busybox true`',
  runc: () => '`runc run` (prepared bundle, `true`)',
};

export async function startup({ engines, opts, log }) {
  log(`run: ${opts.runs} interleaved runs of each (${opts.warmup} warm-up)`);
  const cases = engines.map((e) => {
    const argv = e.runArgv(['true']);
    return { key: e.name, measure: () => run(argv, { timeoutMs: 60_000 }).ms };
  });
  const results = await interleave(cases, { runs: opts.runs, warmup: opts.warmup, progress: opts.progress('run') });
  return {
    results,
    markdown: section({
      title: 'Run a container to completion',
      intro: `Wall time of one foreground run of \`true\` with \`--rm\`, from invoking the command to its exit `
        + `(${opts.runs} interleaved runs each, after ${opts.warmup} warm-up).`,
      columns: ['command', 'median ms', 'min ms', 'vs podman'],
      rows: timingRows(engines, results, (e) => LABELS[e.name]()),
      notes: [targetLine('pman run ≤ 0.70× podman', ratioTo(results, 'pman'), 0.7, 'lower')],
    }),
  };
}
