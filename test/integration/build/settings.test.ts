// The rest of the instructions and flags: SHELL, HEALTHCHECK and ONBUILD (kept in the docker
// format, dropped in oci), MAINTAINER, --label, --network, --pull=never, --layers=false.
import { TestEnv } from '../harness.js';
import { configBlob, imageConfig, inImage, makeContext, storedManifest } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

describe('build settings', () => {
  it('runs shell-form RUN and CMD with the SHELL instruction', async () => {
    const dir = makeContext(env, 'shell', { Containerfile: 'FROM busybox\nSHELL ["/bin/sh", "-xc"]\nRUN echo shelled > /s\nCMD echo $0 $-\n' });
    const out = await env.ok(['build', '-t', 'shell', '--format', 'docker', dir]);
    expect(out).toContain('shelled');
    expect((await imageConfig(env, 'shell')).Cmd).toEqual(['/bin/sh', '-xc', 'echo $0 $-']);
    expect(((await configBlob(env, 'shell')).config as Record<string, unknown>).Shell).toEqual(['/bin/sh', '-xc']);
    expect((await imageConfig(env, 'shell')).Shell).toEqual(['/bin/sh', '-xc']);
  });

  it('keeps HEALTHCHECK, SHELL and ONBUILD only in the docker format', async () => {
    const file = 'FROM busybox\nHEALTHCHECK --interval=10s --retries=2 CMD ["true"]\nONBUILD RUN echo triggered > /onbuild\nMAINTAINER someone\n';
    const dir = makeContext(env, 'docker-format', { Containerfile: file });
    await env.ok(['build', '-t', 'hc-docker', '--format', 'docker', dir]);
    const inspect = JSON.parse(await env.ok(['image', 'inspect', 'hc-docker'])) as Array<Record<string, unknown>>;
    const config = (await configBlob(env, 'hc-docker')).config as Record<string, unknown>;
    expect(config.Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 10e9, Retries: 2 });
    expect(config.OnBuild).toEqual(['RUN echo triggered > /onbuild']);
    expect(inspect[0].Author).toBe('someone');
    // image inspect shows them: Healthcheck where podman does, OnBuild (and Shell) in Config as docker does
    expect(inspect[0].Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 10e9, Retries: 2 });
    expect((inspect[0].Config as Record<string, unknown>).OnBuild).toEqual(['RUN echo triggered > /onbuild']);
    // and the stored manifest is docker's schema 2, with docker's media types throughout
    const manifest = await storedManifest(env, 'hc-docker');
    expect(inspect[0].ManifestType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(new Set(manifest.layers.map((l) => l.mediaType))).toEqual(new Set(['application/vnd.docker.image.rootfs.diff.tar']));
    await env.ok(['build', '-t', 'hc-oci', dir]);
    const oci = (await configBlob(env, 'hc-oci')).config as Record<string, unknown>;
    expect(oci.Healthcheck).toBeUndefined();
    expect(oci.OnBuild).toBeUndefined();
    const ociInspect = (JSON.parse(await env.ok(['image', 'inspect', 'hc-oci'])) as Array<Record<string, unknown>>)[0];
    expect(ociInspect.Healthcheck).toBeUndefined();
    expect((ociInspect.Config as Record<string, unknown>).OnBuild).toBeUndefined();
    expect(ociInspect.ManifestType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect((await storedManifest(env, 'hc-oci')).layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar')).toBe(true);
  });

  it('runs ONBUILD triggers when the image is a base, and does not pass them on', async () => {
    const dir = makeContext(env, 'child', { Containerfile: 'FROM hc-docker\nRUN cat /onbuild\n' });
    const out = await env.ok(['build', '-t', 'child', '--format', 'docker', dir]);
    expect(out).toContain('ONBUILD RUN echo triggered > /onbuild');
    expect(out).toContain('triggered');
    expect(((await configBlob(env, 'child')).config as Record<string, unknown>).OnBuild).toBeUndefined();
  });

  it('adds --label values to the image', async () => {
    const dir = makeContext(env, 'label', { Containerfile: 'FROM busybox\nLABEL a=file\nRUN true\n' });
    await env.ok(['build', '-t', 'label', '--label', 'b=flag', '--label', 'a=flag-wins?', dir]);
    expect((await imageConfig(env, 'label')).Labels).toEqual({ a: 'file', b: 'flag' });
  });

  it('gives RUN no network by default and the host network with --network host', async () => {
    const dir = makeContext(env, 'net', { Containerfile: 'FROM busybox\nRUN ls /sys/class/net | sort | tr "\\n" " " > /nets\n' });
    await env.ok(['build', '-t', 'net-none', dir]);
    expect(await inImage(env, 'net-none', 'cat /nets')).toBe('lo ');
    await env.ok(['build', '--no-cache', '--network', 'host', '-t', 'net-host', dir]);
    expect((await inImage(env, 'net-host', 'cat /nets')).split(' ').length).toBeGreaterThan(2);
  });

  it('with --pull=never refuses a base image that is not local', async () => {
    const dir = makeContext(env, 'pull', { Containerfile: 'FROM example.invalid/none:1\n' });
    const r = await env.pman(['build', '--pull=never', dir]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('building at STEP "FROM example.invalid/none:1"');
  });

  it('with --layers=false uses and records no cache', async () => {
    const dir = makeContext(env, 'nolayers', { Containerfile: 'FROM busybox\nRUN echo x\n' });
    await env.ok(['build', '--layers=false', dir]);
    const out = await env.ok(['build', '--layers=false', dir]);
    expect(out).not.toContain('Using cache');
  });
});
