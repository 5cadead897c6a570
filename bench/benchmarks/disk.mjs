// (g) Disk per container: N running containers of one image, each having written one small file,
// and the growth of each engine's store (`du -sxb` of --root: -x leaves out the mounted overlay
// roots, so only what is on disk counts). Per-container disk should be its upper dir and a few
// small records, never a copy of the image.
import { BenchError, output } from '../lib/proc.mjs';
import { fmt, section, targetLine } from '../lib/report.mjs';

const rootOf = (engine) => engine.global[engine.global.indexOf('--root') + 1];
const duBytes = (...dirs) => Number(output(['du', '-sxbc', ...dirs]).trim().split('\n').pop().split('\t')[0]);
const kib = (bytes) => (bytes / 1024).toFixed(1);

export async function disk({ engines, opts, log }) {
  const contenders = engines.filter((e) => e.name === 'pman' || e.name === 'podman');
  if (contenders.length === 0) throw new BenchError('Cannot run the disk benchmark: neither pman nor podman is among the engines');
  const n = opts.diskContainers;
  const stats = {};
  for (const e of contenders) {
    const root = rootOf(e);
    const before = duBytes(root);
    const names = Array.from({ length: n }, (_, i) => `pmanbench-disk-${i}`);
    log(`disk: ${e.name}: starting ${n} containers`);
    try {
      for (const name of names) e.startDetached(name, ['sh', '-c', 'echo "$HOSTNAME" > /mine; exec sleep 1000']);
      const after = duBytes(root);
      const stat = { before, after, perContainer: (after - before) / n };
      if (e.name === 'pman') {
        const ids = names.map((name) => output([...e.global, 'inspect', '--format', '{{.Id}}', name]));
        stat.upper = duBytes(...ids.map((id) => `${root}/containers/${id}/upper`)) / n;
      }
      stats[e.name] = stat;
    } finally {
      log(`disk: ${e.name}: removing the containers`);
      for (const name of names) e.remove(name);
    }
  }
  const image = duBytes(`${rootOf(contenders[0])}/storage/layers`);
  const rows = contenders.map((e) => [
    e.name === 'pman' ? 'pman' : `podman (storage driver ${e.driver})`,
    kib(stats[e.name].perContainer),
    e.name === 'pman' ? kib(stats.pman.upper) : '–',
    fmt.mib((stats[e.name].after - stats[e.name].before) / 1024),
    stats.podman ? fmt.ratio(stats[e.name].perContainer / stats.podman.perContainer) : '–',
  ]);
  return {
    results: stats,
    markdown: section({
      title: `Disk used by ${n} containers of one image`,
      intro: `Growth of the store (\`du -sxb\` of \`--root\`) with ${n} running \`busybox\` containers that each wrote one small file `
        + `(the image's unpacked layers take ${fmt.mib(image / 1024)} MiB in pman's store). Per container, pman's share is its upper dir plus its record and OCI bundle.`,
      columns: ['engine', 'KiB per container', 'of which upper dir', `MiB for ${n}`, 'vs podman'],
      rows,
      notes: [targetLine('pman per-container disk ≤ 1.0× podman', stats.pman && stats.podman ? stats.pman.perContainer / stats.podman.perContainer : NaN, 1.0, 'lower')],
    }),
  };
}
