// The image pman builds runs in podman (pman save | podman load), and podman building the same
// file from the same base gives the same file tree (names, kinds, modes, owners, sizes, link
// targets) and the same config.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { Podman, PODMAN_RUN } from '../image/podman.js';
import { makeContext } from './build-env.js';

let env: TestEnv;
let podman: Podman;
beforeAll(async () => {
  env = await TestEnv.create();
  podman = Podman.in(env);
});
afterAll(async () => {
  await podman.cleanup();
  await env.cleanup();
});

const FILE = `FROM localhost/busybox AS build
WORKDIR /src
COPY src/ ./
RUN mkdir -p /out/bin && cp tool.sh /out/bin/tool && chmod 0755 /out/bin/tool && echo built > /out/stamp && chown 7:8 /out/stamp && rm -f /bin/vi

FROM localhost/busybox
ARG VERSION=1.0
ENV APP_HOME=/opt/app VERSION=$VERSION
WORKDIR $APP_HOME
COPY --from=build /out/ ./
COPY --chown=1000:1000 conf/ /etc/app/
COPY --chown=5 conf/app.conf /etc/app5.conf
COPY --chown=nobody conf/app.conf /etc/app-nobody.conf
RUN mkdir -p /var/lib/app && chown 1000:1000 /var/lib/app && ln -s /opt/app/bin/tool /usr/bin/tool && rm -rf /home
USER 1000
EXPOSE 8080
LABEL org.example.title="demo app" org.example.version=$VERSION
VOLUME ["/var/lib/app"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tool"]
CMD ["--serve"]
`;

/** Every path of the image but the kernel's and the runtime's, with kind, mode, owner, size and link target. */
const LISTING = `find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /etc/hosts -o -path /etc/hostname -o -path /etc/resolv.conf -o -path /run \\) -prune -o -print | sort | while read -r p; do if [ -L "$p" ]; then echo "$p link $(readlink "$p")"; elif [ -d "$p" ]; then stat -c '%n dir %a %u:%g' "$p"; else stat -c '%n %F %a %u:%g %s' "$p"; fi; done`;

const CONFIG_KEYS = ['Env', 'Entrypoint', 'Cmd', 'WorkingDir', 'User', 'ExposedPorts', 'Volumes', 'StopSignal'];

function pick(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) if (config[k] !== undefined) out[k] = config[k];
  const labels = { ...((config.Labels as Record<string, string>) ?? {}) };
  delete labels['io.buildah.version'];
  out.Labels = labels;
  return out;
}

describe('pman build and podman', () => {
  let ctxDir: string;
  beforeAll(async () => {
    ctxDir = makeContext(env, 'interop', { Containerfile: FILE, 'src/tool.sh': '#!/bin/sh\necho "tool $*"\n', 'conf/app.conf': 'port=8080\n', 'conf/sub/extra.conf': 'x=1\n' });
    fs.chmodSync(path.join(ctxDir, 'src/tool.sh'), 0o700);
    await env.ok(['build', '-t', 'interop:pman', ctxDir]);
    // The same base in podman's store, then podman's own build of the same file.
    const base = path.join(env.dir, 'busybox.tar');
    await env.ok(['save', '-o', base, 'busybox']);
    await podman.ok(['load', '-i', base]);
    const built = await podman.run(['build', '--runtime', 'runc', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '-t', 'localhost/interop:podman', ctxDir]);
    if (built.exitCode !== 0) throw new Error(`podman build failed: ${built.stderr}`);
    const archive = path.join(env.dir, 'interop.tar');
    await env.ok(['save', '-o', archive, 'interop:pman']);
    await podman.ok(['load', '-i', archive]);
  });

  it('runs the image pman built in podman', async () => {
    const r = await podman.runIn('localhost/interop:pman', []);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('tool --serve');
    expect(r.exitCode).toBe(0);
  });

  it('has the same file tree as podman build of the same file', async () => {
    // Both listed by podman run, so what a runtime adds at run time (/etc/mtab …) is the same on both sides.
    const list = (image: string) => podman.ok(['run', '--rm', ...PODMAN_RUN, '--user', '0', '--entrypoint', 'sh', image, '-c', LISTING]);
    const mine = await list('localhost/interop:pman');
    const theirs = await list('localhost/interop:podman');
    expect(mine.split('\n').length).toBeGreaterThan(250);
    expect(mine).toBe(theirs);
  });

  it('has the same config as podman build of the same file', async () => {
    const mine = JSON.parse(await env.ok(['image', 'inspect', 'interop:pman'])) as Array<{ Config: Record<string, unknown> }>;
    const theirs = JSON.parse(await podman.ok(['image', 'inspect', 'localhost/interop:podman'])) as Array<{ Config: Record<string, unknown> }>;
    expect(pick(mine[0].Config)).toEqual(pick(theirs[0].Config));
  });
});
