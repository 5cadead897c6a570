// Values and exit codes as podman reads them (#20): real-time signals and signal 0, --memory 0,
// `date --iso-8601=ns` times, `network rm` of a missing network, /run/.containerenv.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type TestEnv, until } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

describe('values as podman reads them', () => {
  it('kill -s SIGRTMIN+3 delivers signal 37, kill -s 0 only checks the container runs', async () => {
    await env.ok(['run', '-d', '--name', 'rt', 'busybox', 'sh', '-c', "trap 'echo got-37' 37; trap 'echo got-term' TERM; echo ready; while true; do sleep 0.1; done"]);
    expect(await until(async () => (await env.ok(['logs', 'rt'])).includes('ready'))).toBe(true);
    expect(await env.ok(['kill', '-s', 'SIGRTMIN+3', 'rt'])).toBe('rt');
    expect(await until(async () => (await env.ok(['logs', 'rt'])).includes('got-37'))).toBe(true);
    expect(await env.ok(['kill', '--signal', '0', 'rt'])).toBe('rt');
    expect(await env.ok(['kill', '-s', 'RTMAX-27', 'rt'])).toBe('rt'); // 64 - 27 = 37 again
    expect(await until(async () => (await env.ok(['logs', 'rt'])).split('got-37').length === 3)).toBe(true);
    expect((await env.ok(['inspect', '--format', '{{.State.Status}}', 'rt'])).trim()).toBe('running');
    expect(await env.ok(['logs', 'rt'])).not.toContain('got-term');
    const bad = await env.pman(['kill', '-s', 'SIGRTMIN+31', 'rt']);
    expect(bad).toMatchObject({ exitCode: 125, stderr: 'Error: invalid --signal "SIGRTMIN+31": use a signal name like SIGTERM, TERM, SIGRTMIN+3 or a number like 15' });
  });

  it('--memory 0 means no limit', async () => {
    await env.ok(['create', '--name', 'm0', '--memory', '0', 'busybox', 'true']);
    expect(await env.ok(['inspect', '--format', '{{.HostConfig.Memory}}', 'm0'])).toBe('0');
    expect(await env.ok(['start', '-a', 'm0'])).toBe('');
  });

  it('logs --since and --until read what `date --iso-8601=ns` prints', async () => {
    await env.ok(['run', '--name', 'since', 'busybox', 'echo', 'line']);
    const before = execFileSync('date', ['--iso-8601=ns', '-d', '-1 hour']).toString().trim();
    const after = execFileSync('date', ['--iso-8601=ns', '-d', '+1 hour']).toString().trim();
    expect(before).toMatch(/,\d{9}[+-]\d\d:\d\d$/);
    expect(await env.ok(['logs', '--since', before, 'since'])).toBe('line');
    expect(await env.ok(['logs', '--since', after, 'since'])).toBe('');
    expect(await env.ok(['logs', '--until', before, 'since'])).toBe('');
  });

  it('names and IDs that look like numbers stay text (1e5, 0x1f, 583971198e07): every command finds the container', async () => {
    // Random container IDs are hex: about one in 250 looks like a number (digits, an e, digits).
    for (const name of ['1e5', '0x1f']) {
      await env.ok(['run', '-d', '--name', name, '--network', 'none', 'busybox', 'sh', '-c', 'echo hello; exec sleep 1000']);
      expect(await env.ok(['inspect', '--format', '{{.Name}}', name])).toBe(name);
      expect(await until(async () => ((await env.ok(['logs', name])) === 'hello' ? true : undefined))).toBe(true);
      expect(await env.ok(['exec', name, 'echo', '1e5', '007'])).toBe('1e5 007');
      expect(await env.ok(['top', name, 'pid', 'comm'])).toMatch(/sleep/);
      await env.ok(['rm', '-f', '-t', '0', name]);
      expect((await env.pman(['container', 'exists', name])).exitCode).toBe(1);
    }
  });

  it('network rm of a missing network exits 1, as podman', async () => {
    const r = await env.pman(['network', 'rm', 'nosuchnet']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Error: unable to find network with name or ID "nosuchnet"/);
  });
});

describe('/run/.containerenv and container=', () => {
  it('tells the process its engine, name, id, image and rootless, and follows a rename', async () => {
    await env.ok(['run', '-d', '--name', 'ce-one', 'busybox', 'sleep', '1000']);
    const id = (await env.ok(['inspect', '--format', '{{.Id}}', 'ce-one'])).trim();
    const image = (await env.ok(['inspect', '--format', '{{.Image}}', 'ce-one'])).trim();
    const version = (await env.ok(['version', '--format', '{{.Version}}'])).trim();
    expect(await env.ok(['exec', 'ce-one', 'cat', '/run/.containerenv'])).toBe(
      `engine="pman-${version}"\nname="ce-one"\nid="${id}"\nimage="localhost/busybox:latest"\nimageid="${image}"\nrootless=0`,
    );
    expect(await env.ok(['exec', 'ce-one', 'sh', '-c', 'echo $container'])).toBe('pman');
    const write = await env.pman(['exec', 'ce-one', 'sh', '-c', 'echo x >> /run/.containerenv']);
    expect(write.exitCode).toBe(1);
    expect(write.stderr).toMatch(/Read-only file system/);
    await env.ok(['rename', 'ce-one', 'ce-two']);
    expect(await env.ok(['exec', 'ce-two', 'grep', '^name=', '/run/.containerenv'])).toBe('name="ce-two"');
    // Its mount point is pman's, not the container's: not in diff, export or a committed image
    // (/etc changed by its /etc/mtab link, which diff leaves out as podman's does).
    expect(await env.ok(['diff', 'ce-two'])).toBe('C /etc');
    const tar = path.join(env.dir, 'ce.tar');
    await env.ok(['export', '-o', tar, 'ce-two']);
    expect(execFileSync('tar', ['-tf', tar]).toString().split('\n')).not.toContain('run/.containerenv');
    await env.ok(['commit', 'ce-two', 'ce-image']);
    const saved = path.join(env.dir, 'ce-image.tar');
    await env.ok(['save', '-o', saved, 'ce-image']);
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', saved, 'manifest.json']).toString()) as Array<{ Layers: string[] }>;
    const top = manifest[0].Layers[manifest[0].Layers.length - 1];
    expect(execFileSync('sh', ['-c', `tar -xOf "${saved}" "${top}" | tar -t`]).toString()).not.toMatch(/containerenv|^run\//m);
    await env.ok(['rmi', '-f', 'ce-image']);
  });
});

describe('run/create lifecycle flags', () => {
  it('--cidfile writes the ID before the container runs, and refuses an existing file', async () => {
    const cidfile = path.join(env.dir, 'run.cid');
    // The container reads its own cidfile: it exists before the command starts.
    const out = await env.ok(['run', '--rm', '--cidfile', cidfile, '-v', `${env.dir}:/host:ro`, 'busybox', 'cat', '/host/run.cid']);
    expect(out).toMatch(/^[0-9a-f]{64}$/);
    expect(await env.ok(['run', '--rm', 'busybox', 'true'])).toBe('');
    const again = await env.pman(['create', '--cidfile', cidfile, 'busybox', 'true']);
    expect(again).toMatchObject({ exitCode: 125, stderr: `Error: --cidfile "${cidfile}" already exists: remove it or choose another file` });
    expect(await env.ok(['ps', '-a', '-q'])).toBe('');
    const created = path.join(env.dir, 'create.cid');
    const id = await env.ok(['create', '--cidfile', created, 'busybox', 'true']);
    expect(fs.readFileSync(created, 'utf8')).toBe(id);
  });

  it('--replace removes the container of that name first, running or not', async () => {
    const old = await env.ok(['run', '-d', '--name', 'rep', 'busybox', 'sleep', '1000']);
    const fresh = await env.ok(['create', '--replace', '--name', 'rep', 'busybox', 'echo', 'new']);
    expect(fresh).not.toBe(old);
    expect(await env.ok(['ps', '-a', '--format', '{{.ID}} {{.Names}}', '--no-trunc'])).toBe(`${fresh} rep`);
    expect(await env.pman(['create', '--replace', 'busybox', 'true'])).toMatchObject({ exitCode: 125, stderr: 'Error: --replace needs --name: it replaces the container of that name' });
  });

  it('run --rmi removes the container and then its image as rmi of the name given would: untags one of several names, keeps one in use', async () => {
    await env.ok(['tag', 'busybox', 'rmi-test']);
    await env.ok(['create', '--name', 'keeper', 'rmi-test', 'true']);
    // podman 4.3.1: the name given only goes, whoever uses the image.
    expect(await env.pman(['run', '--rmi', 'rmi-test', 'echo', 'once'])).toEqual({ exitCode: 0, stdout: 'once', stderr: '' });
    expect((await env.pman(['image', 'exists', 'rmi-test'])).exitCode).toBe(1);
    expect((await env.pman(['image', 'exists', 'busybox'])).exitCode).toBe(0);
    await env.ok(['rm', 'keeper']);
    await env.ok(['build', '-q', '-t', 'rmi-only', '-f', '-', env.dir], { input: 'FROM busybox\nLABEL only=1\n' });
    await env.ok(['create', '--name', 'keeper', 'rmi-only', 'true']);
    const kept = await env.pman(['run', '--rmi', '--name', 'rmi-run', 'rmi-only', 'sh', '-c', 'echo twice; exit 3']);
    expect(kept).toMatchObject({ exitCode: 3, stdout: 'twice', stderr: expect.stringContaining('cannot remove image "rmi-only"') });
    expect((await env.pman(['image', 'exists', 'rmi-only'])).exitCode).toBe(0);
    await env.ok(['rm', 'keeper']);
    expect(await env.ok(['run', '--rmi', '--name', 'rmi-run', 'rmi-only', 'echo', 'thrice'])).toBe('thrice');
    expect((await env.pman(['image', 'exists', 'rmi-only'])).exitCode).toBe(1);
    expect((await env.pman(['container', 'exists', 'rmi-run'])).exitCode).toBe(1);
    expect((await env.pman(['image', 'exists', 'busybox'])).exitCode).toBe(0);
  });
});

describe('wait --condition', () => {
  it('waits for a container to reach running or paused, polling at --interval, and prints -1 as podman', async () => {
    await env.ok(['create', '--name', 'wc', 'busybox', 'sleep', '1000']);
    let settled = false;
    const waiting = env.pman(['wait', '--condition', 'running', '--interval', '20ms', 'wc']).finally(() => {
      settled = true;
    });
    // Still waiting while the container is only created: two more pman round trips meanwhile give
    // the wait's process time to have polled, and it must not have returned.
    await env.ok(['ps', '-a']);
    expect((await env.ok(['inspect', '--format', '{{.State.Status}}', 'wc'])).trim()).toBe('created');
    expect(settled).toBe(false);
    await env.ok(['start', 'wc']);
    expect(await waiting).toMatchObject({ exitCode: 0, stdout: '-1' });
    expect(await env.ok(['wait', '--condition', 'running', 'wc'])).toBe('-1');
    const paused = env.pman(['wait', '--condition=paused', '-i', '10ms', 'wc']);
    await env.ok(['pause', 'wc']);
    expect(await paused).toMatchObject({ exitCode: 0, stdout: '-1' });
    await env.ok(['unpause', 'wc']);
    expect(await env.pman(['wait', '--condition', 'bogus', 'wc'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: invalid --condition "bogus": use one of stopped, exited, created, running, paused, healthy, unhealthy',
    });
    await env.ok(['kill', 'wc']);
    expect(await env.ok(['wait', '--condition', 'stopped', 'wc'])).toBe('137');
  });
});
