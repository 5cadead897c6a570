// Image transports where podman takes an image name: push to docker-archive:, oci-archive:, oci:
// (concurrent pushes into one layout too) and dir:, pull (and run) from all four, with skopeo as
// the reference that reads what pman writes and writes what pman reads; containers-storage:NAME
// as pman's own store; other transports refused where a local image is named (image exists,
// inspect, rmi, save, tag) and in save -o/load -i; policy.json per transport.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

let env: TestEnv;
let id: string;
beforeAll(async () => {
  env = await TestEnv.create();
  id = (await env.ok(['images', '-q', '--no-trunc', 'busybox'])).trim().replace(/^sha256:/, '');
});
afterAll(async () => {
  await env.cleanup();
});

const skopeo = (...args: string[]) => execFileSync('skopeo', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const json = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const REF_NAME = 'org.opencontainers.image.ref.name';

async function fresh<T>(fn: (store: TestEnv) => Promise<T>): Promise<T> {
  const store = await TestEnv.create({ image: false });
  try {
    return await fn(store);
  } finally {
    await store.cleanup();
  }
}

describe('image transports', () => {
  it('push writes docker-archive and oci-archive files skopeo reads; pull loads them back with the same ID and name', async () => {
    const dockerTar = path.join(env.dir, 'push.docker.tar');
    const ociTar = path.join(env.dir, 'push.oci.tar');
    await env.ok(['push', 'busybox', `docker-archive:${dockerTar}:localhost/bb:v1`]);
    await env.ok(['push', 'busybox', `oci-archive:${ociTar}`]);
    // skopeo, the reference implementation, reads both and finds the image's config (its ID).
    expect(JSON.parse(skopeo('inspect', '--config', `docker-archive:${dockerTar}`)).rootfs.diff_ids.length).toBeGreaterThan(0);
    expect(skopeo('inspect', '--format', '{{.Digest}}', `oci-archive:${ociTar}`).trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    skopeo('copy', '-q', `oci-archive:${ociTar}`, `oci:${path.join(env.dir, 'from-oci-archive')}:x`);
    await fresh(async (store) => {
      expect((await store.ok(['pull', `docker-archive:${dockerTar}`])).trim()).toBe(id);
      expect((await store.ok(['pull', `oci-archive:${ociTar}`])).trim()).toBe(id);
      expect((await store.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort()).toContain('localhost/bb:v1');
    });
  });

  it('an OCI layout skopeo wrote is pulled and run by oci:DIR[:REF]; a REF not there is an error', async () => {
    const layout = path.join(env.dir, 'layout');
    skopeo('copy', '-q', `docker-archive:${path.join(env.dir, 'push.docker.tar')}`, `oci:${layout}:first`);
    await fresh(async (store) => {
      expect((await store.ok(['pull', `oci:${layout}:first`])).trim()).toBe(id);
      expect((await store.ok(['run', '--rm', `oci:${layout}`, 'echo', 'from a layout'])).trim()).toBe('from a layout');
      const r = await store.pman(['pull', `oci:${layout}:second`]);
      expect(r).toMatchObject({ exitCode: 125, stderr: `Error: "oci:${layout}" has no image named "second"` });
      const file = await store.pman(['pull', `oci:${path.join(env.dir, 'push.oci.tar')}`]);
      expect(file.exitCode).toBe(125);
      expect(file.stderr).toContain('not a directory (for a tar file use oci-archive:)');
    });
  });

  it('push names archives as podman does: docker-archive REF (docker-normalized) then the image\'s name, oci-archive REF as given or none', async () => {
    const dockerTar = path.join(env.dir, 'named.docker.tar');
    const named = path.join(env.dir, 'named.oci.tar');
    const unnamed = path.join(env.dir, 'unnamed.oci.tar');
    await env.ok(['push', 'busybox', `docker-archive:${dockerTar}:foo/bar:v2`]);
    await env.ok(['push', 'busybox', `oci-archive:${named}:foo/bar:v2`]);
    await env.ok(['push', 'busybox', `oci-archive:${unnamed}`]);
    const tarJson = (tar: string, member: string) => JSON.parse(execFileSync('tar', ['-xOf', tar, member]).toString());
    expect(tarJson(dockerTar, 'manifest.json')[0].RepoTags).toEqual(['docker.io/foo/bar:v2', 'localhost/busybox:latest']);
    expect(tarJson(named, 'index.json').manifests.map((m: { annotations?: object }) => m.annotations)).toEqual([{ [REF_NAME]: 'foo/bar:v2' }]);
    expect(tarJson(unnamed, 'index.json').manifests.map((m: { annotations?: object }) => m.annotations)).toEqual([undefined]);
    expect(skopeo('inspect', '--format', '{{.Digest}}', `oci-archive:${named}:foo/bar:v2`).trim()).toBe(skopeo('inspect', '--format', '{{.Digest}}', `oci-archive:${unnamed}`).trim());
  });

  it('push writes dir: images skopeo reads (as stored, --compress, --format v2s2); pull and run read them and skopeo\'s back with the same ID', async () => {
    const stored = path.join(env.dir, 'dir-stored');
    const gz = path.join(env.dir, 'dir-gzip');
    const v2s2 = path.join(env.dir, 'dir-v2s2');
    await env.ok(['push', 'busybox', `dir:${stored}`]);
    await env.ok(['push', '--compress', 'busybox', `dir:${gz}`]);
    await env.ok(['push', '--format', 'v2s2', 'busybox', `dir:${v2s2}`]);
    expect(fs.readFileSync(path.join(stored, 'version'), 'utf8')).toBe('Directory Transport Version: 1.1\n');
    // The stored manifest goes out unchanged: skopeo sees the digest pman has for the image.
    const digest = (await env.ok(['image', 'inspect', '--format', '{{.Digest}}', 'busybox'])).trim();
    expect(skopeo('inspect', '--format', '{{.Digest}}', `dir:${stored}`).trim()).toBe(digest);
    const types = (dir: string) => {
      const m = json(path.join(dir, 'manifest.json'));
      return [m.mediaType, m.config.digest, ...m.layers.map((l: { mediaType: string }) => l.mediaType)];
    };
    expect(types(gz)).toEqual(['application/vnd.oci.image.manifest.v1+json', `sha256:${id}`, 'application/vnd.oci.image.layer.v1.tar+gzip']);
    expect(types(v2s2)).toEqual(['application/vnd.docker.distribution.manifest.v2+json', `sha256:${id}`, 'application/vnd.docker.image.rootfs.diff.tar']);
    expect(fs.readdirSync(gz).sort()).toEqual([json(path.join(gz, 'manifest.json')).layers[0].digest.slice(7), id, 'manifest.json', 'version'].sort());
    // skopeo verifies every blob against its digest while copying; and writes a dir: pman reads.
    const fromSkopeo = path.join(env.dir, 'dir-skopeo');
    skopeo('copy', '-q', `dir:${gz}`, `oci:${path.join(env.dir, 'from-gzip')}:x`);
    skopeo('copy', '-q', `dir:${v2s2}`, `dir:${fromSkopeo}`);
    await fresh(async (store) => {
      for (const dir of [stored, gz, v2s2, fromSkopeo]) expect((await store.ok(['pull', `dir:${dir}`])).trim()).toBe(id);
      expect((await store.ok(['images', '--format', '{{.Repository}}'])).trim()).toBe('<none>');
      expect((await store.ok(['run', '--rm', `dir:${gz}`, 'echo', 'from a dir'])).trim()).toBe('from a dir');
    });
  });

  it('push to oci:DIR[:REF] adds to the layout as skopeo does: a REF replaces its own entry, the others stay', async () => {
    const layout = path.join(env.dir, 'pushed-layout');
    await env.ok(['push', 'busybox', `oci:${layout}:one`]);
    skopeo('copy', '-q', '--format', 'v2s2', `oci:${layout}:one`, `oci:${layout}:other`);
    await env.ok(['push', 'busybox', `oci:${layout}:one`]);
    await env.ok(['push', '--format', 'v2s2', 'busybox', `oci:${layout}:two`]);
    await env.ok(['push', 'busybox', `oci:${layout}`]);
    const index = json(path.join(layout, 'index.json')) as { manifests: Array<{ mediaType: string; annotations?: Record<string, string> }> };
    expect(index.manifests.map((m) => [m.annotations?.[REF_NAME], m.mediaType])).toEqual([
      ['other', 'application/vnd.docker.distribution.manifest.v2+json'],
      ['one', 'application/vnd.oci.image.manifest.v1+json'],
      ['two', 'application/vnd.docker.distribution.manifest.v2+json'],
      [undefined, 'application/vnd.oci.image.manifest.v1+json'],
    ]);
    expect(json(path.join(layout, 'oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const digest = (await env.ok(['image', 'inspect', '--format', '{{.Digest}}', 'busybox'])).trim();
    expect(skopeo('inspect', '--format', '{{.Digest}}', `oci:${layout}:one`).trim()).toBe(digest);
    // (skopeo 1.9 looks up OCI manifests only by ref; it wrote "other" but cannot read it back)
    expect(JSON.parse(skopeo('inspect', '--config', `oci:${layout}:one`)).rootfs.diff_ids).toHaveLength(1);
    await fresh(async (store) => {
      expect((await store.ok(['pull', `oci:${layout}:two`])).trim()).toBe(id);
      // load takes every image of the layout, named by its ref.
      expect((await store.ok(['load', '-i', layout])).split('\n').filter((l) => l.includes('localhost/')).sort()).toEqual([
        'Loaded image: localhost/one:latest',
        'Loaded image: localhost/other:latest',
        'Loaded image: localhost/two:latest',
      ]);
    });
  });

  it('concurrent pushes of different tags into one oci: layout, new and then existing, keep every tag, each readable by skopeo, and leave no lock behind', async () => {
    const layout = path.join(env.dir, 'concurrent-layout');
    const push = (tags: string[]) => Promise.all(tags.map((tag) => env.ok(['push', 'busybox', `oci:${layout}:${tag}`])));
    // Into a directory that does not exist yet (each sees the others' half-made layout), then into the layout made.
    await push(['c0', 'c1', 'c2', 'c3']);
    await push(['d0', 'd1', 'd2', 'd3']);
    const tags = ['c0', 'c1', 'c2', 'c3', 'd0', 'd1', 'd2', 'd3'];
    const index = json(path.join(layout, 'index.json')) as { manifests: Array<{ annotations?: Record<string, string> }> };
    expect(index.manifests.map((m) => m.annotations?.[REF_NAME]).sort()).toEqual(tags);
    const digest = (await env.ok(['image', 'inspect', '--format', '{{.Digest}}', 'busybox'])).trim();
    for (const tag of tags) expect(skopeo('inspect', '--format', '{{.Digest}}', `oci:${layout}:${tag}`).trim()).toBe(digest);
    expect(fs.readdirSync(layout).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('containers-storage:NAME is NAME in pman\'s store wherever an image is named, as podman reads it for its own store', async () => {
    const cs = 'containers-storage:localhost/busybox';
    expect((await env.ok(['pull', cs])).trim()).toBe(id);
    expect((await env.ok(['run', '--rm', cs, 'echo', 'from the store'])).trim()).toBe('from the store');
    const ctr = (await env.ok(['create', cs, 'true'])).trim();
    try {
      expect((await env.ok(['inspect', '--format', '{{.ImageName}} {{.Image}}', ctr])).trim()).toBe(`localhost/busybox:latest ${id}`);
    } finally {
      await env.ok(['rm', ctr]);
    }
    expect((await env.ok(['image', 'inspect', '--format', '{{.Id}}', cs])).trim()).toBe(id);
    expect((await env.pman(['image', 'exists', cs])).exitCode).toBe(0);
    expect((await env.pman(['image', 'exists', 'containers-storage:localhost/absent'])).exitCode).toBe(1);
    // push into the store is a new name (podman copies it in under that name), rmi takes it off.
    await env.ok(['push', 'busybox', 'containers-storage:localhost/copied:v1']);
    expect((await env.ok(['image', 'inspect', '--format', '{{.Id}}', 'localhost/copied:v1'])).trim()).toBe(id);
    expect((await env.ok(['rmi', 'containers-storage:localhost/copied:v1'])).trim()).toBe('Untagged: localhost/copied:v1');
    const saved = path.join(env.dir, 'from-cs.tar');
    await env.ok(['save', '-o', saved, cs]);
    expect(JSON.parse(execFileSync('tar', ['-xOf', saved, 'manifest.json']).toString())[0].RepoTags).toEqual(['localhost/busybox:latest']);
    const r = await env.pman(['run', '--rm', 'containers-storage:[overlay@/var/lib/containers/storage+/run/containers/storage]busybox', 'true']);
    expect(r).toMatchObject({
      exitCode: 125,
      stderr: 'Error: "containers-storage:[overlay@/var/lib/containers/storage+/run/containers/storage]busybox" names a containers/storage store by its paths; pman keeps its own store (--root): name the image without "[…]"',
    });
  });

  it('other transports name no local image (image exists/inspect, rmi, save, tag refuse them); save -o and load -i take paths, not transports; docker-daemon: is refused', async () => {
    const tar = path.join(env.dir, 'push.docker.tar');
    for (const args of [['image', 'exists'], ['image', 'inspect'], ['rmi'], ['save', '-o', path.join(env.dir, 'never.tar')], ['tag']]) {
      const r = await env.pman([...args, `docker-archive:${tar}`, ...(args[0] === 'tag' ? ['x'] : [])]);
      expect(r).toMatchObject({
        exitCode: 125,
        stderr: `Error: unsupported transport "docker-archive" for looking up local images: "docker-archive:${tar}" is not in pman's store; bring it in first with "pman pull docker-archive:${tar}"`,
      });
    }
    expect((await env.pman(['image', 'exists', 'docker://localhost/busybox'])).stderr).toContain('unsupported transport "docker" for looking up local images');
    let r = await env.pman(['save', '-o', `oci-archive:${path.join(env.dir, 'never.tar')}`, 'busybox']);
    expect(r).toMatchObject({ exitCode: 125, stderr: expect.stringMatching(/^Error: invalid -o "oci-archive:.*never\.tar": save writes to a path, not to a transport/) });
    r = await env.pman(['load', '-i', `docker-archive:${tar}`]);
    expect(r).toMatchObject({ exitCode: 125, stderr: `Error: cannot load "docker-archive:${tar}": no such file, and load -i takes a path, not a transport; to load from a transport use "pman pull docker-archive:${tar}"` });
    expect(fs.existsSync(path.join(env.dir, 'never.tar'))).toBe(false);
    // Transports podman has and pman does not: refused by name, with what to use.
    r = await env.pman(['run', '--rm', 'docker-daemon:busybox:latest', 'true']);
    expect(r).toMatchObject({ exitCode: 125, stderr: 'Error: the "docker-daemon" transport is not supported ("docker-daemon:busybox:latest"): pman does not talk to a Docker daemon: use "docker save IMAGE | pman load", or docker-archive:FILE' });
  });

  it('build takes transports in FROM: an archive is loaded, containers-storage: is the local image', async () => {
    const ctx = path.join(env.dir, 'build-from');
    fs.mkdirSync(ctx);
    for (const [from, label] of [[`docker-archive:${path.join(env.dir, 'push.docker.tar')}`, 'archive'], ['containers-storage:localhost/busybox', 'store']]) {
      fs.writeFileSync(path.join(ctx, 'Containerfile'), `FROM ${from}\nLABEL from=${label}\n`);
      await env.ok(['build', '-q', '-t', `from-${label}`, ctx]);
      expect((await env.ok(['image', 'inspect', '--format', '{{.Config.Labels.from}} {{index .RootFS.Layers 0}}', `from-${label}`])).trim()).toBe(
        `${label} ${(await env.ok(['image', 'inspect', '--format', '{{index .RootFS.Layers 0}}', 'busybox'])).trim()}`,
      );
    }
  });

  it('directories that are no image are named and left alone', async () => {
    let r = await env.pman(['pull', `docker-archive:${path.join(env.dir, 'none.tar')}`]);
    expect(r).toMatchObject({ exitCode: 125, stderr: `Error: cannot pull "docker-archive:${path.join(env.dir, 'none.tar')}": no such file` });
    r = await env.pman(['run', '--rm', `dir:${path.join(env.dir, 'none')}`, 'true']);
    expect(r).toMatchObject({ exitCode: 125, stderr: `Error: cannot pull "dir:${path.join(env.dir, 'none')}": no such directory` });
    const precious = path.join(env.dir, 'precious');
    fs.mkdirSync(precious);
    fs.writeFileSync(path.join(precious, 'notes.txt'), 'keep me');
    r = await env.pman(['push', 'busybox', `dir:${precious}`]);
    expect(r).toMatchObject({
      exitCode: 125,
      stderr: `Error: cannot write the image directory "${precious}": it is not empty and holds no dir: image (no "version" file saying "Directory Transport Version: 1.1"); pman does not overwrite it, use an empty or new directory`,
    });
    r = await env.pman(['push', 'busybox', `oci:${precious}`]);
    expect(r).toMatchObject({
      exitCode: 125,
      stderr: `Error: cannot write the OCI layout "${precious}": it is a non-empty directory without an oci-layout file; pman does not write into it, use an empty or new directory`,
    });
    expect(fs.readdirSync(precious)).toEqual(['notes.txt']);
    r = await env.pman(['pull', `dir:${precious}`]);
    expect(r).toMatchObject({
      exitCode: 125,
      stderr: `Error: cannot load "${precious}": it is not an image archive: it has neither manifest.json (docker-archive, dir:) nor index.json (oci-archive, oci:)`,
    });
  });

  it('policy.json applies per transport: a rejected archive is not loaded, by pull or by run', async () => {
    const policy = path.join(env.dir, 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { 'docker-archive': { [env.dir]: [{ type: 'reject' }] } } }));
    const tar = path.join(env.dir, 'push.docker.tar');
    await fresh(async (store) => {
      let r = await store.pman(['pull', '--signature-policy', policy, `docker-archive:${tar}`]);
      expect(r.exitCode).toBe(125);
      expect(r.stderr).toBe(`Error: loading "docker-archive:${tar}" is rejected by the signature policy "${policy}" (transports.docker-archive["${env.dir}"])`);
      r = await store.pman(['run', '--rm', '--signature-policy', policy, `docker-archive:${tar}`, 'true']);
      expect(r.exitCode).toBe(125);
      expect(await store.ok(['images', '-q'])).toBe('');
      // The same file under another transport's (accepting) default.
      expect((await store.ok(['pull', '--signature-policy', policy, `oci-archive:${path.join(env.dir, 'push.oci.tar')}`])).trim()).toBe(id);
    });
  });
});
