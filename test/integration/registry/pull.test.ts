// pman pull against a real docker-registry on loopback (plain HTTP), seeded with skopeo: tags and
// digests, docker:// names (pull, run, create), OCI and Docker schema 2, gzip/zstd/plain layers,
// manifest lists, progress output, skipped and resumed transfers, redirects, and each kind of bad
// input failing cleanly.
import fs from 'node:fs';
import path from 'node:path';
import { RegistryFixture, storeContents } from './rig/fixture.js';
import { buildLayout, skopeoCopy, smallTar, type BuiltLayout } from './rig/images.js';
import { startRegistry, type Registry } from './rig/registry-server.js';
import { startBreakingProxy, startFakeRegistry, startStaticServer } from './rig/servers.js';
import { htpasswdLine } from './rig/certs.js';

let fx: RegistryFixture;
let reg: Registry;
let plain: BuiltLayout;
let zstd: BuiltLayout;
let multi: BuiltLayout;
let layered: BuiltLayout;

beforeAll(async () => {
  fx = await RegistryFixture.create({ image: false });
  reg = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'reg') }));
  const bb = fx.busybox();
  plain = buildLayout(path.join(fx.dir, 'oci-plain'), 'latest', [{ os: 'linux', architecture: 'amd64', layers: [{ tar: bb, compression: 'gzip' }], cmd: ['echo', 'hello from the registry'] }]);
  skopeoCopy(plain, `${reg.host}/test/busybox:latest`);
  skopeoCopy(plain, `${reg.host}/test/busybox:v2s2`, { format: 'v2s2' });
  zstd = buildLayout(path.join(fx.dir, 'oci-zstd'), 'latest', [
    { os: 'linux', architecture: 'amd64', layers: [{ tar: bb, compression: 'zstd' }, { tar: smallTar('etc/zstd-marker', 'zstd layer\n'), compression: 'zstd' }] },
  ]);
  skopeoCopy(zstd, `${reg.host}/test/zstd:latest`);
  multi = buildLayout(path.join(fx.dir, 'oci-multi'), 'latest', [
    { os: 'linux', architecture: 'amd64', layers: [{ tar: bb, compression: 'gzip' }] },
    { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ tar: smallTar('arch', 'arm64\n'), compression: 'gzip' }] },
    { os: 'linux', architecture: 'arm', variant: 'v7', layers: [{ tar: smallTar('arch', 'armv7\n'), compression: 'gzip' }] },
  ]);
  skopeoCopy(multi, `${reg.host}/test/multi:latest`);
  layered = buildLayout(path.join(fx.dir, 'oci-layered'), 'latest', [
    {
      os: 'linux',
      architecture: 'amd64',
      layers: [
        { tar: bb, compression: 'gzip' },
        ...[1, 2, 3, 4].map((i) => ({ tar: smallTar(`layer${i}`, `content of layer ${i}\n`.repeat(1000 * i)), compression: (i % 2 ? 'gzip' : 'none') as 'gzip' | 'none' })),
      ],
    },
  ]);
  skopeoCopy(layered, `${reg.host}/test/layered:5`);
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

const ID_LINE = /^[0-9a-f]{64}$/;

describe('pman pull from a plain-HTTP loopback registry', () => {
  it('pulls by tag, prints the image ID, and the image runs', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', `${reg.host}/test/busybox`], { root: store });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${plain.images[0].configDigest.slice(7)}`);
    expect(r.stderr).toContain(`Trying to pull ${reg.host}/test/busybox:latest...`);
    expect(r.stderr).toContain(`Copying blob ${plain.images[0].layerDigests[0].slice(7, 19)} done`);
    // Not a terminal: plain lines, no carriage returns or escape codes.
    expect(r.stderr).not.toMatch(/[\r\x1b]/);
    const run = await fx.pman(['run', '--rm', `${reg.host}/test/busybox`], { root: store });
    expect(run.stdout).toBe('hello from the registry');
    const images = await fx.ok(['images', '--digests', '--format', '{{.Repository}}:{{.Tag}} {{.Digest}}'], { root: store });
    expect(images.trim()).toBe(`${reg.host}/test/busybox:latest ${plain.images[0].manifestDigest}`);
  });

  it('docker://REF is the registry image REF for pull, run and create, as in podman', async () => {
    const id = plain.images[0].configDigest.slice(7);
    const store = await fx.freshStore();
    expect((await fx.ok(['pull', '-q', `docker://${reg.host}/test/busybox`], { root: store })).trim()).toBe(id);
    expect((await fx.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'], { root: store })).trim()).toBe(`${reg.host}/test/busybox:latest`);
    const other = await fx.freshStore();
    expect((await fx.ok(['run', '--rm', `docker://${reg.host}/test/busybox:v2s2`], { root: other })).trim()).toBe('hello from the registry');
    const ctr = (await fx.ok(['create', '--pull', 'always', `docker://${reg.host}/test/busybox`], { root: store })).trim();
    expect((await fx.ok(['inspect', '--format', '{{.ImageName}} {{.Image}}', ctr], { root: store })).trim()).toBe(`${reg.host}/test/busybox:latest ${id}`);
    await fx.ok(['rm', ctr], { root: store });
  });

  it('prints only the image ID with --quiet', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', `${reg.host}/test/busybox:latest`], { root: store });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toMatch(ID_LINE);
  });

  it('pulls by digest', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', `${reg.host}/test/busybox@${plain.images[0].manifestDigest}`], { root: store });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${plain.images[0].configDigest.slice(7)}`);
  });

  it('pulls a Docker schema 2 image (as skopeo --format v2s2 pushed it)', async () => {
    const store = await fx.freshStore();
    const id = await fx.ok(['pull', '-q', `${reg.host}/test/busybox:v2s2`], { root: store });
    const inspect = JSON.parse(await fx.ok(['image', 'inspect', id.trim()], { root: store }));
    expect(inspect[0].Config.Cmd).toEqual(['echo', 'hello from the registry']);
  });

  it('skips layers already in the store on a second pull', async () => {
    const store = await fx.freshStore();
    await fx.ok(['pull', '-q', `${reg.host}/test/busybox`], { root: store });
    const again = await fx.pman(['pull', `${reg.host}/test/layered:5`], { root: store });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain(`Copying blob ${layered.images[0].layerDigests[0].slice(7, 19)} skipped: already exists`);
    expect(again.stderr).toMatch(/5 layers, 4 downloaded .* 1 already present/);
  });

  it('pulls a five-layer image with mixed compression and stacks the layers in order', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', `${reg.host}/test/layered:5`], { root: store });
    expect(r.exitCode).toBe(0);
    expect(storeContents(store).layers).toHaveLength(5);
    const out = await fx.ok(['run', '--rm', `${reg.host}/test/layered:5`, 'sh', '-c', 'head -c 19 /layer1; wc -c < /layer4'], { root: store });
    expect(out).toBe(`content of layer 1\n${'content of layer 4\n'.length * 4000}`);
  });

  it('pulls zstd-compressed layers', async () => {
    const store = await fx.freshStore();
    await fx.ok(['pull', '-q', `${reg.host}/test/zstd`], { root: store });
    expect(await fx.ok(['run', '--rm', `${reg.host}/test/zstd`, 'cat', '/etc/zstd-marker'], { root: store })).toBe('zstd layer');
  });

  it('chooses the host platform from a manifest list, another with --arch or --platform', async () => {
    const store = await fx.freshStore();
    const ref = `${reg.host}/test/multi`;
    expect(await fx.ok(['pull', '-q', ref], { root: store })).toBe(`${multi.images[0].configDigest.slice(7)}`);
    expect(await fx.ok(['pull', '-q', '--arch', 'arm64', ref], { root: store })).toBe(`${multi.images[1].configDigest.slice(7)}`);
    expect(await fx.ok(['pull', '-q', '--platform', 'linux/arm/v7', ref], { root: store })).toBe(`${multi.images[2].configDigest.slice(7)}`);
    // v8 falls back to the v7 image when there is no arm/v8 entry.
    expect(await fx.ok(['pull', '-q', '--platform', 'linux/arm/v8', ref], { root: store })).toBe(`${multi.images[2].configDigest.slice(7)}`);
  });

  it('fails cleanly for a platform the manifest list does not have', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '--platform', 'linux/s390x', `${reg.host}/test/multi`], { root: store });
    expect(r.exitCode).toBe(125);
    expect(r.stderr.trim().split('\n').pop()).toBe(
      `Error: cannot pull "${reg.host}/test/multi": no image for platform linux/s390x in the manifest list of ${reg.host}/test/multi (available: linux/amd64, linux/arm64/v8, linux/arm/v7)`,
    );
    expect(storeContents(store).images).toEqual([]);
  });
});

describe('pman pull short names', () => {
  it('resolves an alias and the unqualified-search registries from registries.conf', async () => {
    const store = await fx.freshStore();
    fx.registriesConf(`unqualified-search-registries = ["127.0.0.1:1", "${reg.host}"]\n[aliases]\n"bb" = "${reg.host}/test/busybox"\n`);
    try {
      expect(await fx.ok(['pull', '-q', 'bb'], { root: store })).toBe(`${plain.images[0].configDigest.slice(7)}`);
      // The first search registry is unreachable: the next one is tried.
      const r = await fx.pman(['pull', 'test/zstd'], { root: store });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain('Trying to pull 127.0.0.1:1/test/zstd:latest...');
      expect(r.stderr).toContain(`Trying to pull ${reg.host}/test/zstd:latest...`);
    } finally {
      fx.registriesConf('unqualified-search-registries = []\n');
    }
  });

  it('says so when a short name has no alias and there are no search registries', async () => {
    const r = await fx.pman(['pull', 'nosuchalias']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/^Error: short name "nosuchalias" did not resolve to an alias and no unqualified-search registries are defined in .*registries\.conf": use a fully qualified name such as docker\.io\/library\/nosuchalias$/);
  });

  it('never pulls localhost/ names from the network', async () => {
    const r = await fx.pman(['pull', 'localhost/busybox']);
    expect(r).toMatchObject({ exitCode: 125, stderr: 'Error: cannot pull "localhost/busybox": localhost/ images are local only and never pulled from a registry' });
  });
});

describe('pman pull transfers', () => {
  it('resumes an interrupted blob download with a Range request', async () => {
    const proxy = fx.onCleanup(await startBreakingProxy(`http://${reg.host}`, { breaks: 1, cutAt: 100_000 }));
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', `${proxy.host}/test/busybox`], { root: store });
    expect(r.exitCode).toBe(0);
    expect(proxy.cuts()).toBe(1);
    expect(proxy.ranges).toEqual(['bytes=100000-']);
    expect(r.stdout).toBe(`${plain.images[0].configDigest.slice(7)}`);
  });

  it('follows blob redirects without sending the registry credentials to the other host', async () => {
    const dir = path.join(fx.dir, 'reg-redirect');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'htpasswd'), `${htpasswdLine('ruser', 'rpass')}\n`);
    const statics = fx.onCleanup(await startStaticServer(path.join(dir, 'data')));
    const r2 = fx.onCleanup(await startRegistry({ dir, htpasswd: path.join(dir, 'htpasswd'), redirectTo: statics.url }));
    skopeoCopy(plain, `${r2.host}/test/busybox:latest`, { creds: 'ruser:rpass' });
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', '--creds', 'ruser:rpass', `${r2.host}/test/busybox`], { root: store });
    expect(r.exitCode).toBe(0);
    const blobGets = statics.requests.filter((q) => q.path.includes(plain.images[0].layerDigests[0].slice(7)));
    expect(blobGets.length).toBeGreaterThan(0);
    for (const q of statics.requests) expect(q.headers.authorization).toBeUndefined();
  });
});

describe('pman pull bad input', () => {
  it('run and create check their flags before pulling: a bad flag is reported and nothing is pulled', async () => {
    const store = await fx.freshStore();
    for (const [flags, message] of [
      [['-p', 'abc'], 'Error: invalid -p "abc": ports must be numbers (or START-END ranges) from 1 to 65535'],
      [['--memory', 'lots'], 'Error: invalid --memory "lots": use a size like 512m or 1g (b, k, m, g)'],
    ] as const) {
      for (const verb of ['run', 'create']) {
        const r = await fx.pman([verb, ...flags, `${reg.host}/test/busybox`], { root: store });
        expect([r.exitCode, r.stderr]).toEqual([125, message]);
      }
    }
    expect(await fx.ok(['images', '-q'], { root: store })).toBe('');
  });

  it('reports an unreachable registry', async () => {
    const r = await fx.pman(['pull', '-q', '127.0.0.1:1/x/y']);
    expect(r).toMatchObject({ exitCode: 125, stderr: 'Error: cannot pull "127.0.0.1:1/x/y": cannot reach registry 127.0.0.1:1 at https://127.0.0.1:1: connection refused' });
  });

  it('reports an unknown tag and an unknown repository', async () => {
    const tag = await fx.pman(['pull', '-q', `${reg.host}/test/busybox:nope`]);
    expect(tag.exitCode).toBe(125);
    expect(tag.stderr).toBe(`Error: cannot pull "${reg.host}/test/busybox:nope": ${reg.host}/test/busybox:nope: manifest unknown (no such repository, tag or digest)`);
    const repo = await fx.pman(['pull', '-q', `${reg.host}/no/such`]);
    expect(repo.exitCode).toBe(125);
    expect(repo.stderr).toContain('manifest unknown');
  });

  it('refuses a blob with the wrong digest and stores nothing', async () => {
    const dir = path.join(fx.dir, 'reg-corrupt');
    const bad = fx.onCleanup(await startRegistry({ dir }));
    skopeoCopy(plain, `${bad.host}/test/busybox:latest`);
    const layer = plain.images[0].layerDigests[0];
    const file = bad.blobFile(layer);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 100] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', `${bad.host}/test/busybox`], { root: store });
    expect(r.exitCode).toBe(125);
    const last = r.stderr.trim().split('\n').pop();
    // Either the digest check or the decompressor (gzip CRC) notices first; both refuse the layer.
    expect(last).toMatch(new RegExp(`^Error: cannot pull "${bad.host}/test/busybox": (blob ${layer} from .* has the wrong digest|cannot unpack layer ${layer}: invalid gzip data)`));
    expect(storeContents(store)).toEqual({ layers: [], tmp: [], images: [] });
    expect(fs.readdirSync(path.join(store.root, 'storage/blobs/sha256'))).toEqual([]);
  });

  it('refuses garbage, oversized and unknown manifests with one line each', async () => {
    const fake = fx.onCleanup(
      await startFakeRegistry((_m, p) => {
        if (p.endsWith('/garbage/manifests/latest')) return { status: 200, headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, body: '{"schemaVersion": 2, "layers": [' };
        if (p.endsWith('/huge/manifests/latest')) return { status: 200, headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) };
        if (p.endsWith('/odd/manifests/latest')) return { status: 200, headers: { 'Content-Type': 'application/vnd.example.thing+json' }, body: '{"schemaVersion": 2, "mediaType": "application/vnd.example.thing+json"}' };
        return undefined;
      }),
    );
    const cases: Array<[string, string]> = [
      ['garbage', 'the registry sent something that is not a JSON manifest'],
      ['huge', `the manifest of ${fake.host}/x/huge:latest is larger than 4194304 bytes: refused`],
      ['odd', 'unsupported manifest media type "application/vnd.example.thing+json"'],
    ];
    for (const [name, message] of cases) {
      const r = await fx.pman(['pull', `${fake.host}/x/${name}`]);
      expect(r.exitCode).toBe(125);
      const lines = r.stderr.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('Error:'))).toHaveLength(1);
      expect(lines.pop()).toContain(message);
    }
    expect(storeContents(fx.env).images).toEqual([]);
  });
});
