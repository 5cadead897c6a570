// pman push against real docker-registry instances, checked with pman pull and skopeo (interop):
// monolithic and chunked uploads, blobs already there skipped, cross-repository mounts, the
// manifest pushed with its exact bytes; and run/create --pull policies using those images.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RegistryFixture, storeContents } from './rig/fixture.js';
import { buildLayout, skopeoCopy, type BuiltLayout } from './rig/images.js';
import { startRegistry, type Registry } from './rig/registry-server.js';

let fx: RegistryFixture;
let reg: Registry;
let localDigest: string;
let localId: string;

const skopeoDigest = (ref: string) =>
  JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { env: { ...process.env, REGISTRY_AUTH_FILE: path.join(fx.dir, 'none.json') } }).toString()).Digest as string;

beforeAll(async () => {
  fx = await RegistryFixture.create();
  reg = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'reg') }));
  [localId, localDigest] = (await fx.ok(['images', '--no-trunc', '--digests', '--format', '{{.ID}} {{.Digest}}', 'busybox'])).split(' ');
  localId = localId.replace(/^sha256:/, '');
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('pman push', () => {
  it('pushes a commit --squash --format docker image as docker schema 2 with its one layer (skopeo reads the media types)', async () => {
    await fx.ok(['run', '--name', 'docker-format', 'busybox', 'sh', '-c', 'echo d > /d']);
    try {
      await fx.ok(['commit', '--squash', '-f', 'docker', 'docker-format', `${reg.host}/push/docker-format:1`]);
      await fx.ok(['push', '-q', `${reg.host}/push/docker-format:1`]);
      const raw = JSON.parse(
        execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/push/docker-format:1`], { env: { ...process.env, REGISTRY_AUTH_FILE: path.join(fx.dir, 'none.json') } }).toString(),
      ) as { mediaType: string; config: { mediaType: string }; layers: unknown[] };
      expect([raw.mediaType, raw.config.mediaType, raw.layers.length]).toEqual(['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.container.image.v1+json', 1]);
    } finally {
      await fx.pman(['rm', '-f', 'docker-format']);
    }
  });

  it('uploads the blobs and the manifest with its exact bytes (same digest as local)', async () => {
    const r = await fx.pman(['push', 'busybox', `${reg.host}/push/busybox:1`]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Writing manifest to image destination');
    expect(r.stderr).toMatch(/2 blobs uploaded, 0 already there/);
    expect(skopeoDigest(`${reg.host}/push/busybox:1`)).toBe(localDigest);
    const store = await fx.freshStore();
    expect(await fx.ok(['pull', '-q', `${reg.host}/push/busybox:1`], { root: store })).toBe(localId);
    expect(await fx.ok(['run', '--rm', `${reg.host}/push/busybox:1`, 'echo', 'pushed and pulled'], { root: store })).toBe('pushed and pulled');
  });

  it('skips blobs the repository has, and mounts blobs from another repository', async () => {
    await fx.ok(['push', '-q', 'busybox', `${reg.host}/push/busybox:2`]);
    const again = await fx.pman(['push', 'busybox', `${reg.host}/push/busybox:3`]);
    expect(again.stderr).toMatch(/Copying blob [0-9a-f]{12} skipped: already exists/);
    expect(again.stderr).toMatch(/0 blobs uploaded, 2 already there/);
    const other = await fx.pman(['push', 'busybox', `${reg.host}/elsewhere/busybox:1`]);
    expect(other.exitCode).toBe(0);
    expect(other.stderr).toMatch(/Copying blob [0-9a-f]{12} skipped: mounted from another repository/);
    expect(skopeoDigest(`${reg.host}/elsewhere/busybox:1`)).toBe(localDigest);
  });

  it('uploads in chunks when a blob is larger than the chunk size', async () => {
    const fresh = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'reg-chunked') }));
    const r = await fx.pman(['push', '--digestfile', path.join(fx.dir, 'digest'), 'busybox', `${fresh.host}/chunked/busybox:1`], { env: { PMAN_PUSH_CHUNK_SIZE: '65536' } });
    expect(r.exitCode).toBe(0);
    expect(skopeoDigest(`${fresh.host}/chunked/busybox:1`)).toBe(localDigest);
    const store = await fx.freshStore();
    expect(await fx.ok(['pull', '-q', `${fresh.host}/chunked/busybox:1`], { root: store })).toBe(localId);
  });

  it('pushes a pulled image with its original (compressed) layers and manifest', async () => {
    const layout: BuiltLayout = buildLayout(path.join(fx.dir, 'oci'), 'latest', [{ os: 'linux', architecture: 'amd64', layers: [{ tar: fx.busybox(), compression: 'gzip' }] }]);
    skopeoCopy(layout, `${reg.host}/seed/busybox:latest`);
    const store = await fx.freshStore();
    await fx.ok(['pull', '-q', `${reg.host}/seed/busybox`], { root: store });
    const target = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'reg-target') }));
    await fx.ok(['push', '-q', `${reg.host}/seed/busybox`, `docker://${target.host}/copy/busybox:1`], { root: store });
    expect(skopeoDigest(`${target.host}/copy/busybox:1`)).toBe(layout.images[0].manifestDigest);
  });

  it('pushes a --format docker build as a docker schema 2 image that skopeo, podman and pman read', async () => {
    const ctxDir = path.join(fx.dir, 'docker-format');
    fs.mkdirSync(ctxDir);
    fs.writeFileSync(path.join(ctxDir, 'Containerfile'), 'FROM busybox\nRUN echo in-docker-format > /made\nCMD ["cat", "/made"]\n');
    await fx.ok(['build', '-q', '--format', 'docker', '-t', 'dockerfmt', ctxDir]);
    await fx.ok(['push', '-q', 'dockerfmt', `${reg.host}/fmt/docker:1`]);
    const raw = JSON.parse(
      execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/fmt/docker:1`], { env: { ...process.env, REGISTRY_AUTH_FILE: path.join(fx.dir, 'none.json') } }).toString(),
    ) as { mediaType: string; config: { mediaType: string }; layers: Array<{ mediaType: string }> };
    expect(raw.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(raw.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(raw.layers.map((l) => l.mediaType)).toEqual(['application/vnd.docker.image.rootfs.diff.tar', 'application/vnd.docker.image.rootfs.diff.tar']);
    const store = await fx.freshStore();
    expect(await fx.ok(['run', '--rm', `${reg.host}/fmt/docker:1`], { root: store })).toBe('in-docker-format');
  });

  it('builds FROM a registry image as --pull says: missing, never, always, newer', async () => {
    const ref = `${reg.host}/base/img:1`;
    const ctxDir = path.join(fx.dir, 'pull-policy');
    fs.mkdirSync(ctxDir);
    fs.writeFileSync(path.join(ctxDir, 'Containerfile'), `FROM ${ref}\nRUN cat /made 2>/dev/null || echo no-made\n`);
    await fx.ok(['push', '-q', 'busybox', ref]);
    const store = await fx.freshStore();
    const build = (pull: string) => fx.pman(['build', '--no-cache', `--pull=${pull}`, ctxDir], { root: store });
    expect((await build('never')).stderr).toContain(`${ref}`);
    expect((await build('never')).exitCode).toBe(125);
    expect((await build('missing')).stdout).toContain('no-made'); // pulled: the store had nothing
    // the tag moves to an image that has /made
    const ctx2 = path.join(fx.dir, 'pull-policy-new');
    fs.mkdirSync(ctx2);
    fs.writeFileSync(path.join(ctx2, 'Containerfile'), 'FROM busybox\nRUN echo moved-tag > /made\n');
    await fx.ok(['build', '-q', '-t', 'moved', ctx2]);
    await fx.ok(['push', '-q', 'moved', ref]);
    expect((await build('missing')).stdout).toContain('no-made'); // the local copy is used
    expect((await build('never')).stdout).toContain('no-made');
    expect((await build('newer')).stdout).toContain('moved-tag'); // the registry's is newer
    await fx.ok(['push', '-q', 'busybox', ref]);
    expect((await build('always')).stdout).toContain('no-made'); // pulled again, whatever the store has
  });

  it('fails cleanly for a missing image, a local-only destination and an unreachable registry', async () => {
    expect(await fx.pman(['push', 'nosuchimage', `${reg.host}/x/y:1`])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: image "nosuchimage" not found in local storage: import, load or pull it first',
    });
    expect(await fx.pman(['push', 'busybox'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: cannot push to "localhost/busybox:latest": give a destination with a registry, e.g. pman push busybox REGISTRY/NAME:TAG',
    });
    const r = await fx.pman(['push', '-q', 'busybox', '127.0.0.1:1/x/y:1']);
    expect(r).toMatchObject({ exitCode: 125, stderr: 'Error: cannot push to "127.0.0.1:1/x/y:1": cannot reach registry 127.0.0.1:1 at https://127.0.0.1:1: connection refused' });
  });
});

describe('pman run/create --pull', () => {
  it('pulls a missing image by default, and not again once it is there', async () => {
    const store = await fx.freshStore();
    const first = await fx.pman(['run', '--rm', `${reg.host}/push/busybox:1`, 'echo', 'first'], { root: store });
    expect(first).toMatchObject({ exitCode: 0, stdout: 'first' });
    expect(first.stderr).toContain(`Trying to pull ${reg.host}/push/busybox:1...`);
    const second = await fx.pman(['run', '--rm', `${reg.host}/push/busybox:1`, 'echo', 'second'], { root: store });
    expect(second).toMatchObject({ exitCode: 0, stdout: 'second', stderr: '' });
  });

  it('never pulls with --pull=never, and always pulls with --pull=always', async () => {
    const store = await fx.freshStore();
    const never = await fx.pman(['create', '--pull=never', `${reg.host}/push/busybox:1`], { root: store });
    expect(never).toMatchObject({ exitCode: 125, stderr: `Error: image "${reg.host}/push/busybox:1" not found in local storage: import, load or pull it first` });
    expect(storeContents(store).images).toEqual([]);
    const always = await fx.pman(['create', '--pull=always', '-q', `${reg.host}/push/busybox:1`, 'true'], { root: store });
    expect(always.exitCode).toBe(0);
    expect(always.stderr).toBe('');
    const again = await fx.pman(['create', '--pull', 'always', `${reg.host}/push/busybox:1`, 'true'], { root: store });
    expect(again.stderr).toContain('skipped: already exists');
  });

  it('uses the local image with --pull=newer when the registry is unreachable', async () => {
    const store = await fx.freshStore();
    const gone = await startRegistry({ dir: path.join(fx.dir, 'reg-gone') });
    try {
      await fx.ok(['push', '-q', 'busybox', `${gone.host}/gone/busybox:1`]);
      await fx.ok(['pull', '-q', `${gone.host}/gone/busybox:1`], { root: store });
    } finally {
      await gone.stop();
    }
    const r = await fx.pman(['run', '--rm', '--pull=newer', '-q', `${gone.host}/gone/busybox:1`, 'echo', 'offline'], { root: store });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'offline' });
    expect(r.stderr).toMatch(/^WARN: cannot pull .*connection refused; using the local image$/);
  });

  it('rejects an unknown policy', async () => {
    expect(await fx.pman(['create', '--pull=sometimes', 'busybox'])).toMatchObject({ exitCode: 125, stderr: 'Error: invalid --pull "sometimes": use missing, always, never or newer' });
  });
});
