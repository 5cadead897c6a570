// A single-stage build with every instruction, against real runc: the file tree and config of
// the result, podman's step output, -q and --iidfile.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { imageConfig, inImage, makeContext, noContainers } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const FILE = `
# a comment
ARG GREETING=hello
ENV APP=/srv/app \\
    MODE="fast mode"
WORKDIR $APP
RUN echo "$GREETING from $MODE" > greeting && mkdir -p /data && echo one > /data/1
COPY --chmod=0750 run.sh ./bin/
COPY conf /etc/app/
USER 1000:1000
EXPOSE 8080 53/udp
LABEL org.example.version="\${VERSION:-1.0}" maintainer=me
VOLUME /data
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh"]
CMD ["-c", "cat greeting"]
`;

describe('pman build, one stage', () => {
  let ctxDir: string;
  let out: string;
  let id: string;

  beforeAll(async () => {
    ctxDir = makeContext(env, 'single', { 'Containerfile': `FROM busybox\n${FILE}`, 'run.sh': '#!/bin/sh\necho run\n', 'conf/a.conf': 'a=1\n', 'conf/sub/b.conf': 'b=2\n' });
    out = await env.ok(['build', '-t', 'app:1', '--iidfile', path.join(env.dir, 'iid'), ctxDir]);
    id = out.trim().split('\n').pop() as string;
  });

  it('prints the steps, the RUN output, COMMIT and the image ID as podman does', () => {
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('STEP 1/14: FROM busybox');
    expect(lines).toContain('STEP 2/14: ARG GREETING=hello');
    expect(lines).toContain('STEP 6/14: COPY --chmod=0750 run.sh ./bin/');
    expect(lines.filter((l) => /^--> [0-9a-f]{11}$/.test(l))).toHaveLength(12);
    expect(lines.slice(-4, -1)).toEqual(['COMMIT app:1', `--> ${id.slice(0, 11)}`, 'Successfully tagged localhost/app:1']);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(path.join(env.dir, 'iid'), 'utf8')).toBe(`sha256:${id}`);
  });

  it('runs the image with the file tree the steps made', async () => {
    expect(await env.ok(['run', '--rm', 'app:1'])).toBe('hello from fast mode');
    const tree = await inImage(env, 'app:1', "cd /srv/app && stat -c '%A %u %g' bin/run.sh; cat /etc/app/a.conf /etc/app/sub/b.conf /data/1; id -u");
    expect(tree).toMatch(/^-rwxr-x--- 0 0\n/);
    expect(tree).toContain('a=1\nb=2\none\n1000');
  });

  it('writes the config the instructions set', async () => {
    const c = await imageConfig(env, 'app:1');
    expect(c.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP=/srv/app', 'MODE=fast mode']);
    expect(c.WorkingDir).toBe('/srv/app');
    expect(c.User).toBe('1000:1000');
    expect(c.ExposedPorts).toEqual({ '8080/tcp': {}, '53/udp': {} });
    expect(c.Labels).toEqual({ 'org.example.version': '1.0', maintainer: 'me' });
    expect(c.Volumes).toEqual({ '/data': {} });
    expect(c.StopSignal).toBe('SIGINT');
    expect(c.Entrypoint).toEqual(['/bin/sh']);
    expect(c.Cmd).toEqual(['-c', 'cat greeting']);
  });

  it('records one layer per RUN and COPY and empty layers for the rest in the history', async () => {
    const h = await env.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Size}}', 'app:1']);
    const rows = h.trim().split('\n');
    expect(rows[rows.length - 1]).toMatch(/ADD file:/); // the imported base
    expect(rows).toHaveLength(13);
    const withLayer = rows.slice(0, -1).filter((r) => !r.endsWith('|0 B'));
    expect(withLayer).toHaveLength(3);
    expect(rows.some((r) => r.startsWith('/bin/sh -c echo "$GREETING from $MODE" > greeting'))).toBe(true);
  });

  it('leaves no build container behind and lists only the tagged image by name', async () => {
    expect(await noContainers(env)).toBe(true);
    expect(await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=app'])).toBe('localhost/app:1');
  });

  it('prints only the ID with -q, and RUN output is not shown', async () => {
    const r = await env.pman(['build', '-q', '--no-cache', ctxDir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds Containerfile before Dockerfile and reads -f FILE and -f - (standard input)', async () => {
    const dir = makeContext(env, 'names', { Containerfile: 'FROM busybox\nLABEL from=containerfile\n', Dockerfile: 'FROM busybox\nLABEL from=dockerfile\n', 'other.txt': 'FROM busybox\nLABEL from=other\n' });
    await env.ok(['build', '-t', 'which:1', dir]);
    expect((await imageConfig(env, 'which:1')).Labels).toEqual({ from: 'containerfile' });
    await env.ok(['build', '-t', 'which:2', '-f', path.join(dir, 'other.txt'), dir]);
    expect((await imageConfig(env, 'which:2')).Labels).toEqual({ from: 'other' });
    await env.ok(['build', '-t', 'which:3', '-f', '-', dir], { input: 'FROM busybox\nLABEL from=stdin\n' });
    expect((await imageConfig(env, 'which:3')).Labels).toEqual({ from: 'stdin' });
    fs.rmSync(path.join(dir, 'Containerfile'));
    await env.ok(['build', '-t', 'which:4', dir]);
    expect((await imageConfig(env, 'which:4')).Labels).toEqual({ from: 'dockerfile' });
  });

  it('is also `pman image build`', async () => {
    const dir = makeContext(env, 'group', { Containerfile: 'FROM busybox\nLABEL via=image-build\n' });
    await env.ok(['image', 'build', '-t', 'grp', dir]);
    expect((await imageConfig(env, 'grp')).Labels).toEqual({ via: 'image-build' });
  });
});
