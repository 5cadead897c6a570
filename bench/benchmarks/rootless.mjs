// (e) Rootless start-up to exit: `pman run --rm busybox true` against `podman run --rm` run by the
// same unprivileged user (both with --network none; rootless-net measures the default networks),
// interleaved. Both start from a warm user
// namespace: each one's pause process is created while setting up, as a user's first command would.
import { interleave } from '../lib/interleave.mjs';
import { run } from '../lib/proc.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { withRootlessEngines } from '../lib/rootless.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const LABELS = {
  pman: (user) => `\`pman run --rm --network none busybox true\` as ${user}`,
  podman: (user) => `\`podman run --rm --network none busybox true\` as ${user}`,
};

export async function rootless({ opts, log, tarball }) {
  return withRootlessEngines({ opts, log, tarball }, 'pmrl-', async (engines, user) => {
    log(`rootless: ${opts.runs} interleaved runs of each (${opts.warmup} warm-up) as ${user.name}`);
    const cases = engines.map((e) => {
      const argv = e.runArgv(['true']);
      return { key: e.name, measure: () => run(argv, { timeoutMs: 60_000 }).ms };
    });
    const results = await interleave(cases, { runs: opts.runs, warmup: opts.warmup, progress: opts.progress('rootless') });
    const podman = engines.find((e) => e.name === 'podman');
    return {
      results,
      markdown: section({
        title: 'Run a container to completion, rootless',
        intro: `Wall time of one foreground run of \`true\` with \`--rm\` by the unprivileged user ${user.name} (through \`runuser\`, `
          + `the same for both), with each engine's user namespace already made (${opts.runs} interleaved runs each, after `
          + `${opts.warmup} warm-up). podman runs with the same flags as rootful, storage driver ${podman.driver}.`,
        columns: ['command', 'median ms', 'min ms', 'vs podman'],
        rows: timingRows(engines, results, (e) => LABELS[e.name](user.name)),
        notes: [targetLine('rootless pman run ≤ 0.70× rootless podman', ratioTo(results, 'pman'), 0.7, 'lower')],
      }),
    };
  });
}
