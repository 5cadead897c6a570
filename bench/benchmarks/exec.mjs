// (d) exec into a running container: the round trip of `exec NAME true`.
import { run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const NAME = 'pmanbench-exec';
const LABELS = {
  pman: () => '`pman exec NAME true`',
  podman: () => '`podman exec NAME true`',
  runc: () => '`runc exec ID true`',
};

export async function exec({ engines, opts, log }) {
  log(`exec: starting one container per engine, then ${opts.runs} interleaved execs of each`);
  try {
    for (const e of engines) e.startDetached(NAME, ['sleep', '1000']);
    const cases = engines.map((e) => {
      const argv = e.execArgv(NAME, ['true']);
      return { key: e.name, measure: () => run(argv, { timeoutMs: 60_000 }).ms };
    });
    const results = await interleave(cases, { runs: opts.runs, warmup: opts.warmup, progress: opts.progress('exec') });
    return {
      results,
      markdown: section({
        title: 'Exec in a running container',
        intro: `Wall time of \`exec NAME true\` into an idle \`sleep\` container (${opts.runs} interleaved runs each, `
          + `after ${opts.warmup} warm-up).`,
        columns: ['command', 'median ms', 'min ms', 'vs podman'],
        rows: timingRows(engines, results, (e) => LABELS[e.name]()),
        notes: [targetLine('pman exec ≤ 0.70× podman', ratioTo(results, 'pman'), 0.7, 'lower')],
      }),
    };
  } finally {
    for (const e of engines) e.remove(NAME);
  }
}
