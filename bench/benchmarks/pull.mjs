// (e) Pull: an image of a few large layers from a registry on this machine (docker-registry on
// a loopback port, plain HTTP), into an empty store each time: `pman pull` against `podman pull`
// (which, like pman, also unpacks the layers) and `skopeo copy` to an OCI directory (download and
// verify only, no unpacking: a floor for the transfer itself).
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, run } from '../lib/proc.mjs';
import { interleave } from '../lib/interleave.mjs';
import { startRegistry, seedImage } from '../lib/registry.mjs';
import { fmt, section, targetLine } from '../lib/report.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

/** Mount points at or below dir, deepest first (podman's overlay driver may leave its home bind-mounted). */
function unmountUnder(dir) {
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean)
    .map((l) => l.split(' ')[4].replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) if (run(['umount', m], { allowFail: true }).code !== 0) run(['umount', '-l', m], { allowFail: true });
}

function fresh(dir) {
  unmountUnder(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function pull({ engines, opts, log }) {
  for (const tool of ['docker-registry', 'skopeo']) {
    if (run(['sh', '-c', `command -v ${tool}`], { allowFail: true }).code !== 0) throw new BenchError(`Cannot run the pull benchmark: ${tool} not found (run ./install.sh)`);
  }
  const base = fs.mkdtempSync(path.join(opts.tmpdir, 'pman-bench-pull-'));
  const registry = await startRegistry(path.join(base, 'registry'));
  try {
    const ref = `${registry.host}/bench/pull:latest`;
    const mib = (opts.pullBytes / 1048576).toFixed(0);
    log(`pull: building a ${mib} MiB, ${opts.pullLayers}-layer image and pushing it with skopeo`);
    const tarball = path.join(base, 'busybox.tar');
    run(['bash', path.join(opts.repo, 'scripts', 'make-busybox-rootfs.sh'), tarball]);
    const image = seedImage({ dir: path.join(base, 'seed'), tarball, layers: opts.pullLayers, totalBytes: opts.pullBytes, dest: ref, log });
    const env = { ...process.env, REGISTRY_AUTH_FILE: path.join(base, 'no-auth.json'), CONTAINERS_REGISTRIES_CONF: path.join(base, 'registries.conf') };
    fs.writeFileSync(env.CONTAINERS_REGISTRIES_CONF, 'unqualified-search-registries = []\n');
    fs.writeFileSync(env.REGISTRY_AUTH_FILE, '{"auths":{}}\n'); // podman insists that the file exists
    const podman = engines.find((e) => e.name === 'podman');
    const contenders = [];
    if (engines.some((e) => e.name === 'pman')) {
      contenders.push({
        name: 'pman',
        label: `\`pman pull ${ref.replace(registry.host, 'LOOPBACK')}\``,
        argv: (d) => [opts.pman, '--root', path.join(d, 'root'), '--runroot', path.join(d, 'run'), 'pull', '-q', ref],
        check: (out) => out === image.configId,
      });
    }
    if (podman) {
      contenders.push({
        name: 'podman',
        label: `\`podman pull --tls-verify=false …\` (storage driver ${podman.driver})`,
        argv: (d) => ['podman', '--root', path.join(d, 'root'), '--runroot', path.join(d, 'run'), '--tmpdir', path.join(d, 'tmp'), '--storage-driver', podman.driver,
          '--events-backend', 'file', '--cgroup-manager', 'cgroupfs', 'pull', '-q', '--tls-verify=false', ref],
        check: (out) => out.includes(image.configId),
      });
    }
    contenders.push({
      name: 'skopeo',
      label: '`skopeo copy docker://… oci:DIR` (no unpacking)',
      argv: (d) => ['skopeo', 'copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${path.join(d, 'oci')}:latest`],
      check: () => true,
    });
    const cases = contenders.map((c) => ({
      key: c.name,
      measure() {
        const dir = fresh(path.join(base, 'stores', c.name));
        const r = run(c.argv(dir), { capture: true, env, timeoutMs: 900_000 });
        if (!c.check(r.stdout.trim())) throw new BenchError(`Cannot measure ${c.name} pull: unexpected output "${r.stdout.trim().slice(0, 200)}"`);
        fresh(dir);
        return r.ms;
      },
    }));
    log(`pull: ${opts.pullRuns} interleaved runs of each, empty store each time`);
    const results = await interleave(cases, { runs: opts.pullRuns, warmup: 0, progress: opts.progress('pull') });
    const rows = timingRows(contenders.map((c) => ({ name: c.name })), results, (e) => contenders.find((c) => c.name === e.name).label,
      (e, r) => [(image.compressed / 1048576 / (r.median / 1000)).toFixed(0)]);
    return {
      results,
      markdown: section({
        title: 'Pull an image from a loopback registry',
        intro: `Wall time to pull one image of ${opts.pullLayers} gzip layers (${fmt.mib(image.uncompressed / 1024)} MiB unpacked, `
          + `${fmt.mib(image.compressed / 1024)} MiB transferred) from docker-registry on 127.0.0.1 over plain HTTP into an empty store `
          + `(${opts.pullRuns} interleaved runs each; the store is deleted after every run). skopeo only downloads and verifies: it is the transfer floor.`,
        columns: ['command', 'median ms', 'min ms', 'MiB/s transferred (median)', 'vs podman'],
        rows,
        notes: [targetLine('pman pull ≤ 1.0× podman', ratioTo(results, 'pman'), 1.0, 'lower')],
      }),
    };
  } finally {
    registry.stop();
    unmountUnder(base);
    if (!opts.keep) fs.rmSync(base, { recursive: true, force: true });
    else log(`kept ${base}`);
  }
}
