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

const run = (args: string[], script: string) => env.pman(['run', '--rm', ...args, 'busybox', 'sh', '-c', script]);
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
  it('adds --group-add groups by name and number', async () => {
    expect((await run(['-u', '1000', '--group-add', 'wheel', '--group-add', '4242'], 'id -G')).stdout).toBe('1000 10 4242');
  });

  it('accepts --userns=host and refuses keep-id clearly', async () => {
    expect((await run(['--userns', 'host'], 'echo ok')).stdout).toBe('ok');
    const r = await env.pman(['create', '--userns', 'keep-id', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/keep-id only applies to rootless containers/);
  });
});
