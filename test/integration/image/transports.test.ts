// Image transports where podman takes an image name: push to docker-archive:/oci-archive:, pull
// (and run) from docker-archive:, oci-archive: and oci:, with skopeo as the reference that reads
// what pman writes and writes what pman reads; containers-storage: and dir: refused with a reason;
// policy.json per transport.
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

  it("containers-storage: and dir: are refused with what to do instead; a missing archive is named", async () => {
    let r = await env.pman(['pull', 'containers-storage:docker.io/library/busybox']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/^Error: containers-storage: names podman's own image store, which pman does not share: .*docker-archive:FILE$/);
    r = await env.pman(['run', '--rm', `dir:${env.dir}`, 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('the dir: transport is not supported');
    r = await env.pman(['pull', `docker-archive:${path.join(env.dir, 'none.tar')}`]);
    expect(r).toMatchObject({ exitCode: 125, stderr: `Error: cannot pull "docker-archive:${path.join(env.dir, 'none.tar')}": no such file` });
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
