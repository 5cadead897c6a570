// (b) What an idle container's supervisor costs: pman's Node shim against podman's conmon.
// Raw runc has no supervisor (it exits once the container runs), so it has no row here.
import { BenchError } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';
import { findShim, pidsMatching, smapsRollup } from '../lib/memory.mjs';
import { fmt, section } from '../lib/report.mjs';

// The shim is launched as `node dist/bundle/shim-entry.cjs` (which runs its bundle).
const SHIM = 'dist/bundle/shim-entry.cjs';

/** Starts the named containers and returns their supervisors' pids. */
function supervisors(engine, names) {
  const pids = [];
  for (const name of names) {
    if (engine.name === 'pman') {
      const before = new Set(pidsMatching(SHIM));
      engine.startDetached(name, ['sleep', '1000']);
      pids.push(findShim(before, engine.containerPid(name), { needle: SHIM }));
    } else {
      engine.startDetached(name, ['sleep', '1000']);
      pids.push(engine.conmonPid(name));
    }
  }
  return pids;
}

export async function memory({ engines, opts, log }) {
  const measured = engines.filter((e) => e.name === 'pman' || e.name === 'podman');
  if (measured.length === 0) throw new BenchError('Cannot measure memory: neither pman nor podman is among the engines');
  log(`memory: ${opts.memContainers} idle containers per engine, sampled after ${opts.settleMs} ms`);
  const started = [];
  try {
    const pidsOf = {};
    for (const e of measured) {
      const names = Array.from({ length: opts.memContainers }, (_, i) => `pmanbench-mem-${i}`);
      started.push([e, names]);
      pidsOf[e.name] = supervisors(e, names);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.settleMs));
    const stats = {};
    for (const [name, pids] of Object.entries(pidsOf)) {
      const samples = pids.map(smapsRollup);
      stats[name] = {
        pss: median(samples.map((s) => s.pss)),
        rss: median(samples.map((s) => s.rss)),
        private: median(samples.map((s) => s.private)),
      };
    }
    const conmon = stats.podman?.pss;
    const rows = measured.map((e) => [
      e.name === 'pman' ? 'pman shim (`node dist/bundle/shim-entry.cjs`)' : 'podman: conmon',
      fmt.mib(stats[e.name].pss), fmt.mib(stats[e.name].rss), fmt.mib(stats[e.name].private),
      e.name === 'podman' ? '1.00×' : fmt.ratio(stats[e.name].pss / conmon),
    ]);
    return {
      results: stats,
      markdown: section({
        title: 'Idle supervisor memory',
        intro: `Memory of the per-container supervisor of an idle \`sleep 1000\` container, from /proc/PID/smaps_rollup, `
          + `median over ${opts.memContainers} containers running at once, sampled ${opts.settleMs} ms after the last start. `
          + 'PSS shares pages among the processes that map them; private is what one more container adds.',
        columns: ['supervisor', 'PSS MiB', 'RSS MiB', 'private MiB', 'PSS vs conmon'],
        rows,
      }),
    };
  } finally {
    for (const [e, names] of started) for (const n of names) e.remove(n);
  }
}
