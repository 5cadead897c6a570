// Security options proven from inside real containers: capability sets in /proc/self/status,
// privileged mode, no_new_privs, the default and user seccomp profiles, masked paths, groups.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

// Nothing here is about networking: no bridge to wire for each run (docs/networking.md, Tests).
const run = (args: string[], script: string) => env.pman(['run', '--rm', '--network', 'none', ...args, 'busybox', 'sh', '-c', script]);
const status = async (args: string[], field: string) => {
  const r = await run(args, `grep '^${field}:' /proc/self/status | cut -f2`);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return r.stdout;
};

describe('capabilities', () => {
  it('are podman\'s default set', async () => {
    expect(await status([], 'CapEff')).toBe('00000000800405fb');
    expect(await status([], 'CapBnd')).toBe('00000000800405fb');
  });

  it('follow --cap-add and --cap-drop, ALL included', async () => {
    expect(await status(['--cap-add', 'NET_ADMIN', '--cap-drop', 'chown'], 'CapEff')).toBe('00000000800415fa');
    expect(await status(['--cap-drop', 'ALL'], 'CapEff')).toBe('0000000000000000');
    expect(await status(['--cap-drop', 'ALL', '--cap-add', 'KILL'], 'CapEff')).toBe('0000000000000020');
  });

  it('are only the added ones, as ambient, for a non-root user', async () => {
    expect(await status(['-u', '1000'], 'CapEff')).toBe('0000000000000000');
    expect(await status(['-u', '1000', '--cap-add', 'NET_ADMIN'], 'CapAmb')).toBe('0000000000001000');
  });
});

describe('--privileged', () => {
  it('lifts seccomp and the masks, shares the host devices and allows mounting', async () => {
    const r = await run(['--privileged'], "grep '^Seccomp:' /proc/self/status; ls /dev/kmsg; mount -t tmpfs none /tmp && echo mounted");
    expect(r.stdout).toBe('Seccomp:\t0\n/dev/kmsg\nmounted');
  });
});

describe('no-new-privileges', () => {
  it('sets no_new_privs on the container process', async () => {
    expect(await status([], 'NoNewPrivs')).toBe('0');
    expect(await status(['--security-opt', 'no-new-privileges'], 'NoNewPrivs')).toBe('1');
  });
});

describe('seccomp', () => {
  it('filters by default: no user namespaces, no mounts, no keyring', async () => {
    const r = await run([], "grep '^Seccomp:' /proc/self/status; unshare -U true; echo unshare=$?; mount -t tmpfs none /tmp; echo mount=$?");
    expect(r.stdout).toBe('Seccomp:\t2\nunshare=1\nmount=1');
    expect(r.stderr).toMatch(/unshare\(0x10000000\): Operation not permitted/);
  });

  it('lets CAP_SYS_ADMIN through to what it guards', async () => {
    expect((await run(['--cap-add', 'SYS_ADMIN'], 'mount -t tmpfs none /tmp && echo mounted')).stdout).toBe('mounted');
  });

  it('admits only the native ABI, and the 32-bit one only for an image built for it', async () => {
    // A static i386 program of 12 instructions' worth: exit(42) through int 0x80.
    const code = Buffer.from([0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80]);
    const base = 0x08048000;
    const elf = Buffer.alloc(52 + 32 + code.length);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]).copy(elf, 0); // ELF, 32-bit, little-endian
    elf.writeUInt16LE(2, 16); // executable
    elf.writeUInt16LE(3, 18); // i386
    elf.writeUInt32LE(1, 20);
    elf.writeUInt32LE(base + 84, 24); // entry
    elf.writeUInt32LE(52, 28); // program headers
    elf.writeUInt16LE(52, 40);
    elf.writeUInt16LE(32, 42);
    elf.writeUInt16LE(1, 44);
    for (const [i, v] of [1, 0, base, base, elf.length, elf.length, 5, 0x1000].entries()) elf.writeUInt32LE(v, 52 + 4 * i);
    code.copy(elf, 84);
    const prog = path.join(env.dir, 'exit42-i386');
    fs.writeFileSync(prog, elf, { mode: 0o755 });
    const mount = ['-v', `${prog}:/exit42:ro`];

    // busybox here is an amd64 image: an i386 syscall is a bad architecture for its filter (SIGSYS).
    expect((await env.pman(['run', '--rm', ...mount, 'busybox', '/exit42'])).exitCode).toBe(128 + 31);
    expect((await env.pman(['run', '--rm', ...mount, '--security-opt', 'seccomp=unconfined', 'busybox', '/exit42'])).exitCode).toBe(42);

    const tar = path.join(env.dir, 'i386-rootfs.tar');
    expect((await env.pman(['export', '-o', tar, (await env.ok(['create', 'busybox', 'true'])).trim()])).exitCode).toBe(0);
    await env.ok(['import', '-q', '--arch', '386', tar, 'localhost/busybox-i386']);
    expect(await env.ok(['image', 'inspect', '-f', '{{.Architecture}}', 'localhost/busybox-i386'])).toBe('386');
    const r = await env.pman(['run', '--rm', ...mount, 'localhost/busybox-i386', '/exit42']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(42);
  });

  it('is off with seccomp=unconfined', async () => {
    const r = await run(['--security-opt', 'seccomp=unconfined'], "grep '^Seccomp:' /proc/self/status; unshare -U true && echo unshared");
    expect(r.stdout).toBe('Seccomp:\t0\nunshared');
  });

  it('takes a user profile, in the docker format', async () => {
    const profile = path.join(env.dir, 'no-mkdir.json');
    fs.writeFileSync(
      profile,
      JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] }),
    );
    const r = await run(['--security-opt', `seccomp=${profile}`], 'mkdir /tmp/d; echo mkdir=$?; touch /tmp/f && echo touched');
    expect(r.stdout).toBe('mkdir=1\ntouched');
    const bad = await env.pman(['create', '--name', 'badprof', '--security-opt', `seccomp=${path.join(env.dir, 'missing.json')}`, 'busybox', 'true']);
    expect(bad.stderr).toMatch(/cannot read seccomp profile .*missing\.json/);
    expect((await env.pman(['inspect', 'badprof'])).exitCode).toBe(125);
  });
});

describe('masked and read-only paths', () => {
  it('hide /proc/keys behind /dev/null and keep /proc/sys read-only, unless unmasked', async () => {
    const r = await run([], 'stat -c %F /proc/keys; (echo 1 > /proc/sys/kernel/domainname) 2>&1 | grep -c Read-only');
    expect(r.stdout).toBe('character special file\n1');
    const open = await run(['--security-opt', 'unmask=/proc/keys'], 'stat -c %F /proc/keys');
    expect(open.stdout).toMatch(/^regular/);
  });
});

describe('groups and user namespaces', () => {
  it('adds --group-add groups by name and number, and a named user\'s primary group, as podman 4.3.1', async () => {
    expect((await run(['-u', '1000', '--group-add', 'wheel', '--group-add', '4242'], 'id -G; grep Groups /proc/self/status')).stdout).toBe('1000 10 4242\nGroups:\t10 1000 4242 ');
    expect((await run(['-u', 'root'], 'id')).stdout).toBe('uid=0(root) gid=0(root) groups=0(root),10(wheel)');
  });

  it('accepts --userns=host and refuses keep-id clearly', async () => {
    expect((await run(['--userns', 'host'], 'echo ok')).stdout).toBe('ok');
    const r = await env.pman(['create', '--userns', 'keep-id', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/keep-id only applies to rootless containers/);
  });
});
