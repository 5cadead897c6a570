// (f) Load: a ~200 MB multi-layer image from an archive into the store, `pman load` against
// `podman load`, once as podman's docker-archive (plain layers) and once as an oci-archive (gzip
// layers). Each run starts without the image (removed, untimed, before every run), so every
// layer is read, verified and unpacked each time. Also the store's disk use after one load.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, output, run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { buildLoadArchives } from '../lib/archive.mjs';
import { fmt, section, table, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const NAME = 'localhost/pmanbench-load:latest';

const rootOf = (engine) => engine.global[engine.global.indexOf('--root') + 1];
const duBytes = (dir) => Number(output(['du', '-sxb', dir]).split('\t')[0]);

export async function load({ engines, opts, log, tarball }) {
  const contenders = engines.filter((e) => e.name === 'pman' || e.name === 'podman');
  if (contenders.length === 0) throw new BenchError('Cannot run the load benchmark: neither pman nor podman is among the engines');
  const base = fs.mkdtempSync(path.join(opts.tmpdir, 'pman-bench-load-'));
  try {
    const mib = (opts.loadBytes / 1048576).toFixed(0);
    log(`load: building ${mib} MiB, ${opts.loadLayers}-layer archives`);
    const built = buildLoadArchives({ dir: base, tarball, layers: opts.loadLayers, totalBytes: opts.loadBytes, name: NAME, log });
    const sections = [];
    const disk = {};
    for (const [format, archive] of [['docker-archive', built.dockerArchive], ['oci-archive', built.ociArchive]]) {
      const cases = contenders.map((e) => ({
        key: e.name,
        measure() {
          run([...e.global, 'rmi', '-f', NAME], { allowFail: true, timeoutMs: 300_000 });
          const r = run([...e.global, 'load', '-q', '-i', archive], { capture: true, timeoutMs: 900_000 });
          if (!r.stdout.includes(NAME)) throw new BenchError(`Cannot measure ${e.name} load: unexpected output "${r.stdout.trim().slice(0, 200)}"`);
          return r.ms;
        },
      }));
      log(`load (${format}): ${opts.loadRuns} interleaved runs of each`);
      const results = await interleave(cases, { runs: opts.loadRuns, warmup: 1, progress: opts.progress(`load ${format}`) });
      if (format === 'docker-archive') {
        // The image is loaded in both stores now: what does it cost on disk?
        for (const e of contenders) disk[e.name] = duBytes(rootOf(e));
      }
      for (const e of contenders) run([...e.global, 'rmi', '-f', NAME], { allowFail: true, timeoutMs: 300_000 });
      const size = format === 'docker-archive' ? built.uncompressed : built.compressed;
      sections.push(section({
        title: `Load a ${mib} MiB image (${format})`,
        intro: `Wall time of \`load -q -i FILE\` of one image of ${opts.loadLayers} layers (${fmt.mib(built.uncompressed / 1024)} MiB unpacked, `
          + `${built.files} files; archive ${fmt.mib(size / 1024)} MiB, ${format === 'docker-archive' ? 'plain layers as `podman save` writes them' : 'gzip layers'}), `
          + `into a store without it (${opts.loadRuns} interleaved runs each after one warm-up; the image is removed before each run, untimed).`,
        columns: ['command', 'median ms', 'min ms', 'vs podman'],
        rows: timingRows(contenders, results, (e) => (e.name === 'pman' ? '`pman load`' : `\`podman load\` (storage driver ${e.driver})`)),
        notes: [targetLine(`pman load (${format}) ≤ 1.0× podman`, ratioTo(results, 'pman'), 1.0, 'lower')],
      }));
    }
    sections.push([
      '### Store size after loading that image',
      '',
      'Disk used by the whole store (`du -sxb` of `--root`; it also holds the busybox image every engine starts with), '
        + 'after the docker-archive load. pman keeps each layer unpacked once, plus a small recipe to rebuild its tar for `save`; it keeps no copy of the layer tars.',
      '',
      table(['store', 'MiB', 'vs podman'], contenders.map((e) => [e.name, fmt.mib(disk[e.name] / 1024), disk.podman ? fmt.ratio(disk[e.name] / disk.podman) : '–'])),
    ].join('\n'));
    return { results: disk, markdown: sections.join('\n\n') };
  } finally {
    for (const e of contenders) run([...e.global, 'rmi', '-f', NAME], { allowFail: true, timeoutMs: 300_000 });
    if (!opts.keep) fs.rmSync(base, { recursive: true, force: true });
    else log(`kept ${base}`);
  }
}
