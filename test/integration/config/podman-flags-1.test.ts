// podman's run/create flags of #20, part 1, proven from inside real containers: namespaces,
// /dev/shm, sysctls, time zone, umask, environment, /etc files, systemd mode, attach streams,
// pid files, --timeout, --requires, --sdnotify conmon, --rootfs, and the refusals' messages.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxTarball, PMAN_BIN, TestEnv, until } from '../harness.js';

const env = TestEnv.forFile();

const run = async (args: string[], script: string) => {
  const r = await env.pman(['run', '--rm', '--network', 'none', ...args, 'busybox', '/bin/sh', '-c', script]);
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout.split('\n');
};

const nsOf = (pid: number | 'self', kind: string) => fs.readlinkSync(`/proc/${pid}/ns/${kind}`);

describe('namespaces', () => {
  it('--pid, --ipc and --uts host share the host namespaces and name; --cgroupns private gets its own', async () => {
    const out = await run(['--pid', 'host', '--ipc', 'host', '--uts', 'host', '--cgroupns', 'private'], 'readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; readlink /proc/self/ns/cgroup; hostname; cat /etc/hostname');
    expect(out).toEqual([nsOf('self', 'pid'), nsOf('self', 'ipc'), nsOf('self', 'uts'), expect.stringMatching(/^cgroup:\[\d+\]$/), os.hostname(), os.hostname()]);
    expect(out[3]).not.toBe(nsOf('self', 'cgroup'));
  });

  it('container:NAME joins a container started first, as --requires starts its containers', async () => {
    await env.ok(['create', '--name', 'owner', '--network', 'none', '--hostname', 'ownerhost', 'busybox', 'sleep', '300']);
    await env.ok(['create', '--name', 'needed', '--network', 'none', 'busybox', 'sleep', '300']);
    try {
      const out = await run(['--requires', 'needed', '--pid', 'container:owner', '--ipc', 'container:owner', '--uts', 'container:owner'], 'cat /proc/1/cmdline | tr "\\0" " "; echo; hostname; cat /etc/hostname; readlink /proc/self/ns/ipc');
      const ownerPid = Number((await env.ok(['inspect', '--format', '{{.State.Pid}}', 'owner'])).trim());
      expect(out).toEqual(['sleep 300 ', 'ownerhost', 'ownerhost', nsOf(ownerPid, 'ipc')]);
      expect((await env.ok(['ps', '--format', '{{.Names}} {{.State}}', '--filter', 'name=needed'])).trim()).toBe('needed running');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'owner', 'needed']);
    }
  });
});

describe('the container environment', () => {
  it('applies --shm-size, --sysctl, --tz, --umask, --unsetenv and --env-merge', async () => {
    const out = await run(
      ['--shm-size', '3m', '--sysctl', 'kernel.msgmax=12345', '--sysctl', 'net.ipv4.ip_forward=1', '--tz', 'Asia/Tokyo', '--umask', '0027', '--unsetenv', 'HOSTNAME', '--env-merge', 'PATH=${PATH}:/opt/x'],
      'df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2; cat /proc/sys/kernel/msgmax /proc/sys/net/ipv4/ip_forward; date +%Z; umask; env | grep -c ^HOSTNAME=; echo "$PATH"; echo "$container"',
    );
    expect(out).toEqual(['3072', '12345', '1', 'JST', '0027', '0', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/x', 'pman']);
  });

  it('--unsetenv-all leaves only the variables given', async () => {
    // The environment pid 1 started with (the shell exports a PATH of its own); no PATH either, so
    // the command is given by its path; HOME is runc's (from /etc/passwd, as always when unset).
    const out = await run(['--unsetenv-all', '-e', 'ONLY=1'], '/bin/tr "\\0" "\\n" < /proc/1/environ | /bin/grep -v ^HOME= | /bin/sort');
    expect(out).toEqual(['ONLY=1']);
  });

  it('--no-hosts mounts no /etc/hosts; --chrootdirs mounts the /etc files under the directory too', async () => {
    const out = await run(['--no-hosts', '--hostname', 'jailed', '--chrootdirs', '/jail'], 'grep -c " /etc/hosts " /proc/self/mountinfo; cat /jail/etc/hostname; grep -c " /jail/etc/resolv.conf " /proc/self/mountinfo; grep -c " /jail/etc/hosts " /proc/self/mountinfo; echo end');
    expect(out).toEqual(['0', 'jailed', '1', '0', 'end']);
  });

  it('--passwd-entry adds the --user UID to /etc/passwd; --hostuser adds a host user', async () => {
    const host = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('daemon:'))!;
    const out = await run(['--user', '4321:55', '--passwd-entry', '$USERNAME:x:$UID:$GID:$NAME:$HOME:/bin/false', '--hostuser', 'daemon'], 'tail -2 /etc/passwd; whoami');
    expect(out).toEqual(['4321:x:4321:55:4321:/:/bin/false', host, '4321']);
  });

  it('--systemd always mounts tmpfs on /run, /run/lock, /tmp and /var/log/journal; an init command stops with SIGRTMIN+3', async () => {
    const out = await run(['--systemd', 'always'], 'for d in /run /run/lock /tmp /var/log/journal; do grep " $d tmpfs " /proc/mounts | cut -d" " -f2,3; done');
    expect(out).toEqual(['/run tmpfs', '/run/lock tmpfs', '/tmp tmpfs', '/var/log/journal tmpfs']);
    const id = (await env.ok(['create', '--network', 'none', 'busybox', '/sbin/init'])).trim();
    const plain = (await env.ok(['create', '--network', 'none', 'busybox', '/bin/sleep', '1'])).trim();
    try {
      expect((await env.ok(['inspect', '--format', '{{.Config.StopSignal}}', id, plain])).trim().split('\n')).toEqual(['SIGRTMIN+3', 'SIGTERM']);
    } finally {
      await env.pman(['rm', '-f', id, plain]);
    }
  });
});

describe('the container process', () => {
  it('-a attaches only the named streams, for run and for a later start -a', async () => {
    const r = await env.pman(['run', '--rm', '--network', 'none', '-a', 'stderr', 'busybox', 'sh', '-c', 'echo out; echo err >&2']);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, '', 'err']);
    const id = (await env.ok(['create', '--network', 'none', '-a', 'stdout', 'busybox', 'sh', '-c', 'echo out; echo err >&2'])).trim();
    try {
      const s = await env.pman(['start', '-a', id]);
      expect([s.exitCode, s.stdout, s.stderr]).toEqual([0, 'out', '']);
    } finally {
      await env.pman(['rm', '-f', id]);
    }
  });

  it('--pidfile and --conmon-pidfile name pid 1 and the shim; --timeout kills the container with exit code 255', async () => {
    const pidfile = path.join(env.dir, 'ctr.pid');
    const shimfile = path.join(env.dir, 'shim.pid');
    const id = (await env.ok(['run', '-d', '--network', 'none', '--pidfile', pidfile, '--conmon-pidfile', shimfile, '--timeout', '3', 'busybox', 'sleep', '300'])).trim();
    try {
      const [pid, shim] = (await env.ok(['inspect', '--format', '{{.State.Pid}} {{.State.ConmonPid}}', id])).trim().split(' ');
      expect([fs.readFileSync(pidfile, 'utf8'), fs.readFileSync(shimfile, 'utf8')]).toEqual([pid, shim]);
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\x00300\x00');
      await until(async () => (await env.ok(['inspect', '--format', '{{.State.Status}}', id])).trim() === 'exited', 60_000);
      expect((await env.ok(['inspect', '--format', '{{.State.ExitCode}}', id])).trim()).toBe('255');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', id]);
    }
  });

  it('--sdnotify conmon tells NOTIFY_SOCKET READY=1 and the shim as MAINPID once the container runs', async () => {
    // A datagram receiver of our own (Node has no unix datagram sockets): python, bound before pman runs.
    const sock = path.join(env.dir, 'notify.sock');
    const receiver = execa('python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.bind(sys.argv[1]); print("bound", flush=True); s.settimeout(60); print(s.recv(4096).decode())', sock], { reject: false });
    try {
      await until(() => fs.existsSync(sock));
      const r = await execa(PMAN_BIN, env.args(['run', '-d', '--network', 'none', '--sdnotify', 'conmon', 'busybox', 'sleep', '300']), { env: { NOTIFY_SOCKET: sock }, reject: false });
      expect([r.exitCode, r.stderr]).toEqual([0, '']);
      const shim = (await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', r.stdout.trim()])).trim();
      const got = await receiver;
      expect(got.stdout).toBe(`bound\nREADY=1\nMAINPID=${shim}`);
    } finally {
      receiver.kill();
      await env.pman(['rm', '-af', '-t', '0']);
    }
  });
});

describe('--rootfs', () => {
  it('runs from a directory: with :O its changes stay in the container, without it they land in the directory', async () => {
    const dir = path.join(env.dir, 'rootfs');
    fs.mkdirSync(dir);
    await execa('tar', ['-xf', busyboxTarball(), '-C', dir]);
    const overlaid = await env.pman(['run', '--rm', '--network', 'none', '--rootfs', `${dir}:O`, 'sh', '-c', 'echo o > /overlaid; cat /overlaid']);
    expect([overlaid.exitCode, overlaid.stdout, fs.existsSync(path.join(dir, 'overlaid'))]).toEqual([0, 'o', false]);
    const direct = await env.pman(['run', '--rm', '--network', 'none', '--rootfs', dir, 'sh', '-c', 'echo d > /direct']);
    expect([direct.exitCode, fs.readFileSync(path.join(dir, 'direct'), 'utf8')]).toEqual([0, 'd\n']);
    const id = (await env.ok(['create', '--network', 'none', '--rootfs', `${dir}:O`, 'true'])).trim();
    try {
      expect((await env.ok(['inspect', '--format', '{{.ImageName}}', id])).trim()).toBe(dir);
    } finally {
      await env.pman(['rm', '-f', id]);
    }
    const missing = await env.pman(['create', '--rootfs', path.join(env.dir, 'nosuch'), 'true']);
    expect([missing.exitCode, missing.stderr]).toEqual([125, `Error: invalid --rootfs "${path.join(env.dir, 'nosuch')}": no such directory; give the root file system's directory (PATH or PATH:O)`]);
  });
});

describe('refusals', () => {
  it.each([
    [['--sysctl', 'kernel.panic=1'], 'Error: invalid --sysctl "kernel.panic=1": kernel.panic is not a namespaced sysctl; a container may set only net.*, fs.mqueue.*, kernel.domainname and the IPC kernel.* ones'],
    [['--sysctl', 'kernel.hostname=x'], "Error: invalid --sysctl \"kernel.hostname=x\": kernel.hostname cannot be set as a sysctl; give the container's host name with --hostname"],
    [['--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1'], 'Error: invalid --sysctl "net.ipv4.ip_forward=1": net.ipv4.ip_forward cannot be set with --network host (it would change the host\'s own)'],
    [['--ipc', 'host', '--sysctl', 'kernel.shmmax=1'], 'Error: invalid --sysctl "kernel.shmmax=1": kernel.shmmax cannot be set with --ipc host (it would change the host\'s own)'],
    [['--no-hosts', '--add-host', 'a:10.0.0.1'], 'Error: --no-hosts and --add-host cannot be used together: without /etc/hosts there is nowhere to add the entries'],
    [['--ipc', 'none', '--shm-size', '1m'], 'Error: --shm-size cannot be used with --ipc none: the container has no /dev/shm of its own'],
    [['--pid', 'container:nosuch'], 'Error: invalid --pid "container:nosuch": no container "nosuch"'],
    [['--tz', 'Mars/Olympus'], 'Error: invalid --tz "Mars/Olympus": unknown time zone (no /usr/share/zoneinfo/Mars/Olympus on the host)'],
    [['--tz', '../../etc/passwd'], 'Error: invalid --tz "../../etc/passwd": use local or a zone name such as Europe/Berlin'],
    [['--umask', '0999'], 'Error: invalid --umask "0999": use an octal mask such as 0022 or 027'],
    [['--cgroups', 'split'], "Error: --cgroups split is not supported: it splits the cgroup of systemd's unit that runs podman, and pman runs without systemd's cgroup manager"],
    [['--sdnotify', 'container'], 'Error: --sdnotify container is not supported: pman does not proxy the NOTIFY_SOCKET into containers; use conmon (READY=1 once the container runs) or ignore'],
    [['-a', 'stdio'], 'Error: invalid --attach "stdio": use stdin, stdout or stderr'],
  ])('create %j exits 125: %s', async (args, message) => {
    const r = await env.pman(['create', ...(args.includes('--network') ? [] : ['--network', 'none']), ...args, 'busybox', 'true']);
    expect([r.exitCode, r.stderr]).toEqual([125, message]);
  });
});
