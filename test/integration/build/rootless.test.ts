// pman build as an ordinary user with subordinate IDs: RUN in the user's namespace, COPY with
// --chown, ownership inside the image correct (and mapped to the subordinate range on the host),
// whiteouts written rootless (user.overlay xattrs), the cache, and nothing left behind.
import fs from 'node:fs';
import path from 'node:path';
import { RootlessEnv, USER1 } from '../rootless/rootless-env.js';

const env = RootlessEnv.forFile(USER1);

const FILE = `FROM busybox AS build
RUN mkdir -p /out && echo built > /out/f && chown 1000:1000 /out/f && mkdir /gone && touch /gone/x
RUN rm -rf /gone
FROM busybox
COPY --from=build /out/f /app/f
COPY --chown=1000:100 ctx.txt /app/ctx.txt
RUN echo worker:x:2000:2000::/home/worker:/bin/sh >> /etc/passwd && chown -R worker /app && rm /bin/vi
USER worker
CMD ["sh", "-c", "id -u; stat -c '%u:%g %n' /app/f /app/ctx.txt; ls /bin/vi 2>&1; true"]
`;

describe('rootless pman build', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(env.base, 'ctx');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Containerfile'), FILE);
    fs.writeFileSync(path.join(dir, 'ctx.txt'), 'from the context\n');
    for (const f of ['', 'Containerfile', 'ctx.txt']) fs.chownSync(path.join(dir, f), env.uid, env.gid);
  });

  it('builds and runs the image with the ownership the steps gave', async () => {
    const out = await env.ok(['build', '-t', 'rl', dir]);
    expect(out).toContain('COMMIT rl');
    const r = await env.ok(['run', '--rm', 'rl']);
    expect(r).toBe('2000\n2000:1000 /app/f\n2000:100 /app/ctx.txt\nls: /bin/vi: No such file or directory');
  });

  it('stores the files under the user\'s subordinate IDs on the host', async () => {
    const found: number[] = [];
    const layers = path.join(env.root, 'storage/layers');
    for (const l of fs.readdirSync(layers)) {
      const f = path.join(layers, l, 'diff/app/ctx.txt');
      if (fs.existsSync(f)) found.push(fs.statSync(f).uid);
    }
    expect(found).toContain((USER1.subStart as number) + 1999);
  });

  it('reuses the cache and leaves no build container behind', async () => {
    const out = await env.ok(['build', '-t', 'rl', dir]);
    expect(out.split('\n').filter((l) => l.startsWith('--> Using cache'))).toHaveLength(7);
    expect((await env.ok(['ps', '-a', '-q'])).trim()).toBe('');
  });

  it('runs RUN steps without a network unless --network says otherwise, although a rootless container gets slirp4netns by default', async () => {
    const nets = path.join(env.base, 'nets');
    fs.mkdirSync(nets);
    fs.writeFileSync(path.join(nets, 'Containerfile'), 'FROM busybox\nRUN ls /sys/class/net > /nets\n');
    for (const f of ['', 'Containerfile']) fs.chownSync(path.join(nets, f), env.uid, env.gid);
    await env.ok(['build', '-t', 'nets', nets]);
    expect(await env.ok(['run', '--rm', 'nets', 'cat', '/nets'])).toBe('lo');
    expect(await env.ok(['run', '--rm', 'nets', 'ls', '/sys/class/net'])).toBe('lo\ntap0');
  });
});
