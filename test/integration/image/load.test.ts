// pman load against the built CLI, with archives made by the real tools: podman save (both
// formats), skopeo copy (docker-archive, oci-archive with zstd layers) and umoci; each image runs
// in pman afterwards. Then damaged and hostile archives: one error line, exit 125, nothing stored.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { busyboxTarball, TestEnv } from '../harness.js';
import { buildArchive } from '../../unit/image/archive-fixtures.js';
import { Podman, tool } from './podman.js';

let env: TestEnv;
let podman: Podman;
const archives: Record<string, string> = {};

const LAYERED = `FROM localhost/bb
RUN mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b && echo keep > /data/keep && ln /data/a /data/a-hard
RUN rm /data/a /bin/vi && rm -rf /data/sub && mkdir /data/sub && echo new > /data/sub/c
ENV GREETING=hello
CMD ["sh", "-c", "echo $GREETING; ls /data /data/sub; ls /bin/vi 2>&1 || true"]
`;
// (execa strips the final newline of outputs)
const EXPECTED = 'hello\n/data:\na-hard\nkeep\nsub\n\n/data/sub:\nc\nls: /bin/vi: No such file or directory';

beforeAll(async () => {
  env = await TestEnv.create({ image: false });
  podman = Podman.in(env);
  const a = (name: string) => (archives[name] = path.join(env.dir, `${name}.tar`));
  await podman.ok(['import', busyboxTarball(), 'bb']);
  const ctxDir = path.join(env.dir, 'build');
  fs.mkdirSync(ctxDir);
  fs.writeFileSync(path.join(ctxDir, 'Containerfile'), LAYERED);
  await podman.ok(['build', '-q', '--runtime', 'runc', '--network', 'none', '-t', 'layered', ctxDir]);
  await podman.ok(['save', '-q', '-o', a('podman-docker'), 'layered']);
  await podman.ok(['save', '-q', '--format', 'oci-archive', '-o', a('podman-oci'), 'layered']);
  await tool('skopeo', ['copy', '-q', `docker-archive:${archives['podman-docker']}`, `docker-archive:${a('skopeo-docker')}:example.com/team/layered:v2`]);
  await tool('skopeo', ['copy', '-q', '--dest-compress', '--dest-compress-format', 'zstd', `docker-archive:${archives['podman-docker']}`, `oci-archive:${a('skopeo-zstd')}:zst`]);
  // umoci: a layout with one layer made from the busybox rootfs, tarred up as an oci-archive.
  const rootfs = path.join(env.dir, 'rootfs');
  const layout = path.join(env.dir, 'umoci');
  fs.mkdirSync(rootfs);
  await tool('tar', ['-xf', busyboxTarball(), '-C', rootfs]);
  await tool('umoci', ['init', '--layout', layout]);
  await tool('umoci', ['new', '--image', `${layout}:uimg`]);
  await tool('umoci', ['insert', '--image', `${layout}:uimg`, rootfs, '/']);
  await tool('umoci', ['config', '--image', `${layout}:uimg`, '--config.cmd', 'echo', '--config.cmd', 'from umoci']);
  await tool('tar', ['-cf', a('umoci'), '-C', layout, '.']);
}, 120_000);
afterAll(async () => {
  await podman?.cleanup();
  await env?.cleanup();
});

async function loadAndRun(archive: string, name: string, expected: string): Promise<void> {
  const r = await env.pman(['load', '-i', archive]);
  expect([r.exitCode, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toBe(`Loaded image: ${name}`);
  expect(await env.ok(['run', '--rm', name])).toBe(expected);
}

describe('pman load of archives made by other tools', () => {
  it('loads what podman save writes as a docker-archive, and the layered image runs the same', async () => {
    await loadAndRun(archives['podman-docker'], 'localhost/layered:latest', EXPECTED);
    const podmanId = (await podman.ok(['images', '-q', '--no-trunc', 'layered'])).trim();
    expect(await env.ok(['images', '-q', '--no-trunc', 'layered'])).toBe(podmanId);
  });

  it('loads what podman save writes as an oci-archive (gzip layers)', async () => {
    await loadAndRun(archives['podman-oci'], 'localhost/layered:latest', EXPECTED);
  });

  it('loads skopeo\'s docker-archive and its oci-archive with zstd layers, naming them as podman does', async () => {
    await loadAndRun(archives['skopeo-docker'], 'example.com/team/layered:v2', EXPECTED);
    await loadAndRun(archives['skopeo-zstd'], 'localhost/zst:latest', EXPECTED);
  });

  it('loads an oci-archive of a umoci layout', async () => {
    await loadAndRun(archives.umoci, 'localhost/uimg:latest', 'from umoci');
  });

  it('reads standard input, compressed or not, and prints the same with -q', async () => {
    const gz = path.join(env.dir, 'gz.tar.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(archives['podman-docker'])));
    expect(await env.ok(['load', '-q'], { inputFile: gz })).toBe('Loaded image: localhost/layered:latest');
    expect(await env.ok(['load'], { inputFile: archives.umoci })).toBe('Loaded image: localhost/uimg:latest');
  });

  it('does not unpack layers the store has already', async () => {
    const r = await env.pman(['--log-level', 'debug', 'load', '-i', archives['skopeo-docker']]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.match(/is in the store already/g)).toHaveLength(3);
    expect(r.stderr).not.toMatch(/unpacked \d+ entries/);
  });
});

describe('pman load of damaged and hostile archives', () => {
  const storeState = () => ['images', 'layers', 'tmp'].map((d) => fs.readdirSync(path.join(env.root, 'storage', d)).sort());

  /** `nothingEscaped` looks outside the store first, so an escape is reported as one. */
  async function expectRefused(archive: string, message: RegExp | string, nothingEscaped?: () => void): Promise<void> {
    const before = storeState();
    const r = await env.pman(['load', '-i', archive]);
    nothingEscaped?.();
    expect(r.exitCode).toBe(125);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    if (typeof message === 'string') expect(lines[0]).toBe(`Error: cannot load "${archive}": ${message}`);
    else expect(lines[0]).toMatch(message);
    expect(storeState()).toEqual(before);
  }

  it('refuses a truncated archive', async () => {
    const cut = path.join(env.dir, 'cut.tar');
    const whole = fs.readFileSync(archives['podman-docker']);
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectRefused(cut, /^Error: cannot load ".*cut\.tar": invalid tar archive: unexpected end of data in entry "[0-9a-f]{64}\.tar" \(the archive is truncated\)$/);
  });

  it('refuses layers that escape with "..", an absolute symlink, or a hard link to a missing file', async () => {
    // A layer is unpacked into <root>/storage/tmp/layer-XXXX/layer/diff, removed on failure. An
    // escape is looked for where it would land and stay: 3 levels up is the store's tmp/, 4 the
    // storage directory, 5 the store's root, 6 this test's directory. The symlink leads to a host
    // directory made for the purpose, with the sub-directory the entry names.
    const landings = [3, 4, 5, 6].map((up) => ({ name: `${'../'.repeat(up)}escaped-${up}`, at: path.join(env.root, 'storage/tmp/layer-X/layer/diff', ...Array(up).fill('..'), `escaped-${up}`) }));
    const linkTarget = path.join(env.dir, 'link-target');
    fs.mkdirSync(path.join(linkTarget, 'cron.d'), { recursive: true });
    const cases = [
      ...landings.map((l, i) => [`dotdot${i}`, [{ name: l.name, data: 'x' }], `unsafe archive entry "${l.name}": the path escapes the extraction root through ".."`] as const),
      ['through-link', [{ name: 'etc', type: 'symlink' as const, linkname: linkTarget }, { name: 'etc/cron.d/x', data: 'x' }], 'unsafe archive entry "etc/cron.d/x": its parent "etc" is a symlink'],
      ['hardlink', [{ name: 'h', type: 'hardlink' as const, linkname: '../../etc/shadow' }], 'unsafe archive entry "h": its hard link target "../../etc/shadow" is outside the extraction root'],
    ] as const;
    for (const [name, members, why] of cases) {
      const built = buildArchive(env.dir, `${name}.tar`, 'docker', [{ layers: [{ members: [...members] }], names: [name] }]);
      await expectRefused(built.file, new RegExp(`^Error: cannot load ".*${name}\\.tar": layer 1 of image 1 \\("[0-9a-f]{64}\\.tar"\\): ${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), () => {
        expect(landings.filter((l) => fs.existsSync(l.at)).map((l) => l.at)).toEqual([]);
        expect(fs.readdirSync(path.join(linkTarget, 'cron.d'))).toEqual([]);
      });
    }
  });

  it('refuses a layer that does not match its digest', async () => {
    const built = buildArchive(env.dir, 'tampered.tar', 'docker25', [{ layers: [{ members: [{ name: 'f', data: 'original' }] }], names: ['t'] }], (files) => {
      const layer = [...files.keys()].find((k) => files.get(k)!.includes(Buffer.from('original')))!;
      files.set(layer, Buffer.from(files.get(layer)!.toString('latin1').replace('original', 'modified'), 'latin1'));
    });
    await expectRefused(built.file, /layer 1 of image 1 \("blobs\/sha256\/[0-9a-f]{64}"\) does not match its digest: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/);
  });

  it('refuses a missing file', async () => {
    const r = await env.pman(['load', '-i', path.join(env.dir, 'none.tar')]);
    expect([r.exitCode, r.stderr]).toEqual([125, `Error: cannot load "${path.join(env.dir, 'none.tar')}": no such file`]);
  });
});
