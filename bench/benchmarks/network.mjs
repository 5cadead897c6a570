// (k) The default bridge network: `run --rm busybox true` on each manager's default network
// (pman's "pman", podman's "podman": netavark setup and teardown on every run), paired with
// pman's own --network none run to show what wiring adds.
import { BenchError, run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { fmt, section, targetLine } from '../lib/report.mjs';

export async function network({ engines, opts, log }) {
  const pman = engines.find((e) => e.name === 'pman');
  const podman = engines.find((e) => e.name === 'podman');
  if (!pman) throw new BenchError('Cannot run the network benchmark: pman is not among the engines');
  log(`network: ${opts.runs} interleaved runs of each (${opts.warmup} warm-up)`);
  const cases = [
    { key: 'pman', measure: () => run(pman.bridgeRunArgv(['true']), { timeoutMs: 60_000 }).ms },
    { key: 'pmanNone', measure: () => run(pman.runArgv(['true']), { timeoutMs: 60_000 }).ms },
    ...(podman ? [{ key: 'podman', measure: () => run(podman.bridgeRunArgv(['true']), { timeoutMs: 60_000 }).ms }] : []),
  ];
  const results = await interleave(cases, { runs: opts.runs, warmup: opts.warmup, progress: opts.progress('network') });
  const ratio = results.podman ? results.pman.median / results.podman.median : NaN;
  const row = (label, r) => [label, fmt.ms(r.median), fmt.ms(r.min), results.podman ? fmt.ratio(r.median / results.podman.median) : '–'];
  const rows = [
    row('`pman run --rm busybox true` (default bridge)', results.pman),
    row('`pman run --rm --network none busybox true`', results.pmanNone),
    ...(results.podman ? [row('`podman run --rm busybox true` (default bridge)', results.podman)] : []),
  ];
  return {
    results,
    markdown: section({
      title: 'Run a container on the default bridge network',
      intro: `Wall time of one foreground run of \`true\` with \`--rm\` on each manager's default bridge network `
        + `(netavark setup and teardown included), and pman's \`--network none\` run beside it `
        + `(${opts.runs} interleaved runs each, after ${opts.warmup} warm-up).`,
      columns: ['command', 'median ms', 'min ms', 'vs podman'],
      rows,
      notes: [
        targetLine('pman run on the default bridge ≤ 0.70× podman', ratio, 0.7, 'lower'),
        `The network adds ${fmt.ms(results.pman.median - results.pmanNone.median)} ms to pman's median run.`,
      ],
    }),
  };
}
