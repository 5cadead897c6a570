// (e) Rootless start-up to exit: `pman run --rm busybox true` against `podman run --rm` run by the
// same unprivileged user (podman with --network none), interleaved. Both start from a warm user
// namespace: each one's pause process is created while setting up, as a user's first command would.
import fs from 'node:fs';
import path from 'node:path';
import { interleave } from '../lib/interleave.mjs';
import { run } from '../lib/proc.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { createRootlessPman, createRootlessPodman, ensureBenchUser } from '../lib/rootless.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const LABELS = {
  pman: (user) => `\`pman run --rm busybox true\` as ${user}`,
  podman: (user) => `\`podman run --rm --network none busybox true\` as ${user}`,
};

export async function rootless({ opts, log, tarball }) {
  const user = { name: opts.rootlessUser, ...ensureBenchUser(opts.rootlessUser, log) };
  // Short paths (podman refuses a runroot over 50 characters) the user may pass through, not list.
  const dir = fs.mkdtempSync('/tmp/pmrl-');
  fs.chmodSync(dir, 0o711);
  const engines = [];
  const cleanup = () => {
    for (const e of engines.splice(0)) {
      try {
        e.cleanup();
      } catch (err) {
        log(`cleanup of rootless ${e.name}: ${err.message}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Also when run.mjs exits on a signal in the middle.
  process.once('exit', cleanup);
  try {
    engines.push(createRootlessPman({ pmanPath: opts.pman, dir: path.join(dir, 'm'), tarball, user, log }));
    engines.push(createRootlessPodman({ dir: path.join(dir, 'p'), tarball, user, log }));
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
  } finally {
    cleanup();
    process.removeListener('exit', cleanup);
  }
}
