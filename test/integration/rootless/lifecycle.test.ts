// Rootless pman as a real unprivileged user with subordinate IDs: the container lifecycle, a
// real terminal, exec, logs, import and load, ownership and ID mapping, and what stays private.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTarball, hostInterfacesAround, sleep, until } from '../harness.js';
import { exerciseShell, spawnPty } from '../pty.js';
import { ownershipImage, whiteoutArchive } from './images.js';
import { procPids, RootlessEnv, USER1 } from './rootless-env.js';

const env = RootlessEnv.forFile(USER1);

const status = async (name: string) => (await env.pman(['inspect', '--format', '{{.State.Status}}', name])).stdout;

describe('rootless lifecycle', () => {
  it('runs a foreground container as root of the user namespace and removes it with --rm', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'sh', '-c', 'id -u; cat /proc/self/uid_map; echo err >&2; exit 3']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe('err');
    const [uid, ...map] = r.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    expect(uid).toBe('0');
    expect(map).toEqual([`0 ${env.uid} 1`, `1 ${USER1.subStart} 65536`]);
    expect((await env.ok(['ps', '-a', '--format', '{{.Names}}'])).trim()).toBe('');
  });

  it('runs detached, lists, logs, execs, stops and removes a container', async () => {
    await env.ok(['run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo started; exec sleep 1000']);
    expect(await env.ok(['ps', '--format', '{{.Names}} {{.Status}}'])).toMatch(/^web Up/);
    await until(async () => (await env.ok(['logs', 'web'])) === 'started');
    expect(await env.ok(['logs', 'web'])).toBe('started');
    const ex = await env.pman(['exec', 'web', 'sh', '-c', 'echo in-exec; id -u; exit 4']);
    expect(ex).toEqual({ exitCode: 4, stdout: 'in-exec\n0', stderr: '' });
    await env.ok(['stop', '-t', '1', 'web']);
    expect(await status('web')).toBe('exited');
    await env.ok(['rm', 'web']);
    expect((await env.ok(['ps', '-a', '--format', '{{.Names}}'])).trim()).toBe('');
  });

  it('attaches to a running container until it exits', async () => {
    // The container runs until told to finish, so attaching never races its exit.
    await env.ok(['run', '-d', '--name', 'att', 'busybox', 'sh', '-c', 'while [ ! -e /tmp/go ]; do echo waiting; sleep 0.2; done; echo late; exit 6']);
    const attached = execa('runuser', env.argv(['attach', '--no-stdin', 'att']), { reject: false, cwd: env.home });
    let out = '';
    attached.stdout!.on('data', (d: Buffer) => (out += d));
    expect(await until(() => out.includes('waiting'))).toBe(true);
    await env.ok(['exec', 'att', 'touch', '/tmp/go']);
    const r = await attached;
    expect(r.exitCode).toBe(6);
    expect(String(r.stderr)).toBe('');
    expect(String(r.stdout)).toMatch(/^(waiting\n)*late$/);
    await env.ok(['rm', 'att']);
  });

  it('gives -it a real terminal, owned by the container\'s root and its tty group', async () => {
    const t = spawnPty('runuser', env.argv(['run', '-it', '--rm', 'busybox', 'sh']), { cols: 91, rows: 33 });
    await exerciseShell(t, {
      ttyName: /\/dev\/pts\/0/,
      size: [91, 33],
      resize: [100, 40],
      exitCode: 5,
      beforeExit: async () => {
        const mark = t.output().length;
        t.write('ls -ln /dev/pts/0\r');
        await t.waitFor(/crw--w----\s+1 0\s+5 /, 30_000, mark);
      },
    });
  });

  it('has only loopback in its own network namespace, and the host network with --network host', async () => {
    expect(await env.ok(['run', '--rm', '--network', 'none', 'busybox', 'ls', '/sys/class/net'])).toBe('lo');
    // Without a network namespace of its own sysfs cannot be mounted: the host's /sys is bound
    // read-only. The namespace is the host's (this test's process); its interfaces are listed.
    const script = 'readlink /proc/self/ns/net; touch /sys/x 2>&1 || true; ls /sys/class/net';
    const { result, stable } = await hostInterfacesAround(() => env.ok(['run', '--rm', '--network', 'host', 'busybox', 'sh', '-c', script]));
    const [ns, touched, ...ifaces] = result.split('\n');
    expect(ns).toBe(fs.readlinkSync('/proc/self/ns/net'));
    expect(touched).toMatch(/Read-only file system/);
    expect(stable.filter((i) => !ifaces.includes(i))).toEqual([]);
  });

  it('refuses a resource limit and --cgroup-parent, naming the flag', async () => {
    const r = await env.pman(['run', '--rm', '--memory', '64m', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/^Error: cannot use --memory in a rootless container: resource limits need a cgroup/);
    // No cgroup to place either (podman's runc fails at start: it cannot mkdir the parent).
    for (const args of [['run', '--rm', '--cgroup-parent', '/mine', 'busybox', 'true'], ['pod', 'create', '--cgroup-parent', '/mine']]) {
      const p = await env.pman(args);
      expect([p.exitCode, p.stderr]).toEqual([125, expect.stringMatching(/^Error: cannot use --cgroup-parent in a rootless container: it places the container's cgroup, and rootless containers get none \(/)]);
    }
    expect(await env.ok(['pod', 'ps', '-q'])).toBe('');
  });
});

describe('rootless images and ownership', () => {
  let owned: string;
  beforeAll(async () => {
    owned = ownershipImage(busyboxTarball(), path.join(env.base, 'owned.tar'));
    await env.ok(['import', owned, 'owned']);
  });

  it('keeps the owners and modes of the image, setuid and setgid included', async () => {
    const out = await env.ok(['run', '--rm', 'owned', 'sh', '-c', 'cd /owned && stat -c "%n %u:%g %a" u1000 nobody setuid sgid-dir sgid-dir/f /home/pmanuser']);
    expect(out.split('\n')).toEqual([
      'u1000 1000:1000 640',
      'nobody 65534:65534 600',
      'setuid 0:0 4755',
      'sgid-dir 1000:65534 2770',
      'sgid-dir/f 1000:65534 644',
      '/home/pmanuser 1000:1000 700',
    ]);
  });

  it('stores image files under the subordinate IDs on the host, in a private store', () => {
    const layers = path.join(env.root, 'storage', 'layers');
    const layer = fs.readdirSync(layers).find((l) => fs.existsSync(path.join(layers, l, 'diff/owned/u1000')));
    const st = fs.statSync(path.join(layers, layer!, 'diff/owned/u1000'));
    expect([st.uid, st.gid]).toEqual([USER1.subStart! + 999, USER1.subStart! + 999]);
    expect(fs.statSync(path.join(layers, layer!, 'diff/owned/setuid')).uid).toBe(env.uid);
    expect(fs.statSync(path.join(env.root, 'storage')).mode & 0o777).toBe(0o700);
  });

  it('runs --user 1000 with the image user and group', async () => {
    expect(await env.ok(['run', '--rm', '--user', '1000', 'busybox', 'id'])).toMatch(/^uid=1000\(pmanuser\) gid=1000\(pmanuser\)/);
    const r = await env.pman(['run', '--rm', '--user', '1000', 'owned', 'sh', '-c', 'cat /owned/u1000; cat /owned/nobody']);
    expect(r.stdout).toBe('mine');
    expect(r.stderr).toMatch(/Permission denied/);
  });

  it('maps files a container creates in its root to the subordinate IDs on the host', async () => {
    const id = (await env.ok(['run', '-d', 'busybox', 'sh', '-c', 'touch /by-root; exec sleep 1000'])).trim();
    await env.ok(['exec', '--user', '1000', id, 'touch', '/tmp/by-1000']);
    const upper = path.join(env.root, 'containers', id, 'upper');
    const byRoot = fs.statSync(path.join(upper, 'by-root'));
    expect([byRoot.uid, byRoot.gid]).toEqual([env.uid, env.gid]);
    const by1000 = fs.statSync(path.join(upper, 'tmp/by-1000'));
    expect([by1000.uid, by1000.gid]).toEqual([USER1.subStart! + 999, USER1.subStart! + 999]);
    await env.ok(['rm', '-f', '-t', '0', id]);
  });

  it("links /etc/mtab to /proc/mounts in the container's layer, owned by the container's root (the user on the host)", async () => {
    const id = (await env.ok(['run', '-d', 'busybox', 'sleep', '1000'])).trim();
    expect(await env.ok(['exec', id, 'stat', '-c', '%N %u:%g', '/etc/mtab'])).toBe("'/etc/mtab' -> '/proc/mounts' 0:0");
    const link = fs.lstatSync(path.join(env.root, 'containers', id, 'upper/etc/mtab'));
    expect([link.isSymbolicLink(), link.uid, link.gid]).toEqual([true, env.uid, env.gid]);
    await env.ok(['rm', '-f', '-t', '0', id]);
  });

  it('loads a layered image whose whiteouts and opaque directories hide lower files', async () => {
    const archive = whiteoutArchive(busyboxTarball(), path.join(env.base, 'whiteouts.tar'));
    expect(await env.ok(['load', '-i', archive])).toMatch(/localhost\/whiteouts:latest/);
    const out = await env.ok(['run', '--rm', 'whiteouts', 'sh', '-c', 'ls /data; ls /opq; rm /data/b; ls -A /data | wc -l']);
    expect(out.split('\n')).toEqual(['b', 'y', '0']);
  });
});

describe('rootless commit', () => {
  it("commits a container's changes, whiteouts and owners included, and removes the image again", async () => {
    await env.ok(['run', '--name', 'changed', 'owned', 'sh', '-c', 'rm /owned/nobody; echo new > /owned/new; chown 1000:65534 /owned/new']);
    await env.ok(['commit', 'changed', 'committed']);
    await env.ok(['rm', 'changed']);
    const out = await env.ok(['run', '--rm', 'committed', 'sh', '-c', 'ls /owned; stat -c "%u:%g" /owned/new /owned/u1000']);
    expect(out.split('\n')).toEqual(['new', 'setuid', 'sgid-dir', 'u1000', '1000:65534', '1000:1000']);
    await env.ok(['rmi', 'committed']);
    expect(await env.ok(['images', '--format', '{{.Repository}}'])).not.toMatch(/committed/);
  });
});

describe('rootless privacy', () => {
  it('keeps state directories 0700 and the attach socket 0600, all owned by the user', async () => {
    const id = (await env.ok(['run', '-d', 'busybox', 'sleep', '1000'])).trim();
    for (const dir of [env.root, path.join(env.root, 'containers'), path.join(env.root, 'storage'), env.runDir, path.join(env.runDir, 'containers', id)]) {
      const st = fs.statSync(dir);
      expect({ dir, mode: (st.mode & 0o777).toString(8), uid: st.uid }).toEqual({ dir, mode: '700', uid: env.uid });
    }
    const sock = fs.statSync(path.join(env.runDir, 'containers', id, 'attach'));
    expect(sock.isSocket()).toBe(true);
    expect((sock.mode & 0o777).toString(8)).toBe('600');
    await env.ok(['rm', '-f', '-t', '0', id]);
  });

  it('runs every process of the user (CLI, shim, runc, container) in one user namespace held by catatonit', async () => {
    const id = (await env.ok(['run', '-d', 'busybox', 'sleep', '1000'])).trim();
    const shim = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', id]));
    const pid = Number(await env.ok(['inspect', '--format', '{{.State.Pid}}', id]));
    const pause = env.pausePid()!;
    expect(fs.readFileSync(`/proc/${pause}/comm`, 'utf8').trim()).toBe('catatonit');
    const ns = (p: number) => fs.readlinkSync(`/proc/${p}/ns/user`);
    expect(ns(shim)).toBe(ns(pause));
    expect(ns(pid)).toBe(ns(pause));
    expect(ns(pause)).not.toBe(fs.readlinkSync('/proc/self/ns/user'));
    expect(fs.statSync(`/proc/${shim}`).uid).toBe(env.uid);
    await env.ok(['rm', '-f', '-t', '0', id]);
    await sleep(0);
  });
});

describe('the shim bin/pman starts ahead of the CLI', () => {
  const standbyOf = (pid: number): string | undefined => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/environ`, 'latin1')
        .split('\0')
        .find((v) => v.startsWith(`_PMAN_STANDBY_LISTEN=${env.runDir}/`));
    } catch {
      return undefined;
    }
  };
  const stat = (pid: number) => {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), pgrp: Number(f[2]), session: Number(f[3]) };
  };

  it('supervises the container, in a session of its own', async () => {
    await env.ok(['run', '-d', '--name', 'ahead', 'busybox', 'sleep', '1000']);
    const init = Number(await env.ok(['inspect', '--format', '{{.State.Pid}}', 'ahead']));
    const shim = stat(init).ppid;
    expect(standbyOf(shim)).toBeDefined();
    // Terminal signals to the command's process group can never reach it.
    expect(stat(shim)).toMatchObject({ pgrp: shim, session: shim });
    await env.ok(['rm', '-f', '-t', '0', 'ahead']);
  });

  it('goes away with a command that did not need it, leaving no socket', async () => {
    const r = await env.pman(['start', 'no-such-container']);
    expect(r.exitCode).toBe(125);
    const left = () => procPids().filter((p) => standbyOf(p) !== undefined);
    await until(() => left().length === 0, 10_000);
    expect(left()).toEqual([]);
    expect(fs.readdirSync(env.runDir).filter((n) => n.startsWith('standby-'))).toEqual([]);
  });
});

// #20 part 2 as an unprivileged user: --device bind-mounts the host node (no mknod in a user
// namespace), the device cgroup flags are refused naming the flag (no cgroup), and secrets live
// in the user's own store and reach the container with their owner and mode.
describe('rootless devices and secrets', () => {
  it('--device gives the container the host node by bind mount; cgroup device flags are refused', async () => {
    const r = await env.pman(['run', '--rm', '--device', '/dev/null:/dev/mynull:rw', 'busybox', 'sh', '-c', 'stat -c "%t:%T %F" /dev/mynull; echo x > /dev/mynull && echo wrote']);
    expect([r.exitCode, r.stdout.split("\n"), r.stderr]).toEqual([0, ["1:3 character special file", "wrote"], ""]);
    const rule = await env.pman(['run', '--rm', '--device-cgroup-rule', 'c 1:3 r', 'busybox', 'true']);
    expect([rule.exitCode, rule.stderr]).toEqual([125, expect.stringContaining('cannot use --device-cgroup-rule in a rootless container')]);
  });

  it('keeps secrets in the user\'s store and mounts them with their uid, gid and mode', async () => {
    await env.ok(['secret', 'create', 'pw', '-'], { input: 'hunter2' });
    try {
      const out = await env.ok(['run', '--rm', '--secret', 'pw,uid=1,gid=2,mode=0440', '--secret', 'pw,type=env,target=PW', 'busybox', 'sh', '-c', 'stat -c "%u %g %a" /run/secrets/pw; cat /run/secrets/pw; echo; echo $PW']);
      expect(out.split('\n')).toEqual(['1 2 440', 'hunter2', 'hunter2']);
    } finally {
      await env.pman(['secret', 'rm', '--all']);
    }
  });
});

describe('rootless OCI hooks', () => {
  it('runs the hooks of --hooks-dir through runc in the user namespace, as podman does rootless', async () => {
    const dir = path.join(env.home, 'hooks.d');
    const program = path.join(env.home, 'hook.sh');
    const out = path.join(env.home, 'hook-state');
    fs.mkdirSync(dir);
    fs.writeFileSync(program, `#!/bin/sh\n{ cat; echo; id -u; } > "${out}.tmp"; mv "${out}.tmp" "${out}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'h.json'), JSON.stringify({ version: '1.0.0', hook: { path: program, env: ['PATH=/usr/bin:/bin'] }, when: { always: true }, stages: ['prestart'] }));
    for (const f of [dir, program, path.join(dir, 'h.json')]) fs.chownSync(f, env.uid, env.gid);
    const id = (await env.ok(['--hooks-dir', dir, 'run', '-d', 'busybox', 'true'])).trim();
    await env.ok(['wait', id]);
    const [state, uid] = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(state)).toMatchObject({ id, status: 'creating', bundle: path.join(env.root, 'containers', id) });
    // Root of the user's namespace: the user outside it (the file the hook wrote is theirs).
    expect(uid).toBe('0');
    expect(fs.statSync(out).uid).toBe(env.uid);
    await env.ok(['rm', id]);
  });
});
