// Wrong input through the built bin/pman: boolean flags given a bogus value, and runc refusing
// to create a container, each one line with the reason and podman's exit code.
import { TestEnv } from './harness.js';

const env = TestEnv.forFile();

/** A bind mount runc refuses at create: a file onto the image's /bin directory. */
const BAD_MOUNT = ['-v', '/etc/hostname:/bin'];
const MOUNT_REASON = /^Error: cannot create the container: error during container init: error mounting "\/etc\/hostname" to rootfs at "\/bin": .*not a directory$/;

describe('boolean flags with a value', () => {
  it("read podman's spellings of true and false, refuse others in one line, and leave the container's command alone", async () => {
    const caps = async (value: string) => env.ok(['run', '--rm', `--privileged=${value}`, 'busybox', 'sh', '-c', 'grep CapEff /proc/self/status']);
    const privileged = await caps('T');
    const unprivileged = await caps('0');
    expect(privileged).not.toBe(unprivileged);
    expect(await caps('TRUE')).toBe(privileged);
    expect(await caps('False')).toBe(unprivileged);
    for (const [flag, value] of [['--privileged', 'maybe'], ['--http-proxy', 'maybe'], ['--rm', ''], ['-i', 'yes']]) {
      expect(await env.pman(['run', `${flag}=${value}`, 'busybox', 'true'])).toMatchObject({
        exitCode: 125,
        stdout: '',
        stderr: `Error: invalid value "${value}" for ${flag}: a boolean flag takes true or false`,
      });
    }
    expect(await env.pman(['run', '--no-privileged', 'busybox', 'true'])).toMatchObject({ exitCode: 125, stderr: 'Error: unknown flag --no-privileged: use --privileged=false' });
    // Every command's booleans, podman's --no-* flags included; words after the image are the container's.
    expect(await env.pman(['ps', '--no-trunc=maybe'])).toMatchObject({ exitCode: 125, stderr: 'Error: invalid value "maybe" for --no-trunc: a boolean flag takes true or false' });
    expect(await env.ok(['run', '--rm', 'busybox', 'echo', '--privileged=maybe'])).toBe('--privileged=maybe');
    expect(await env.ok(['ps', '-aq'])).toBe('');
  });
});

describe('values checked at create', () => {
  it('--stop-signal must name a signal (stop would refuse it later), as podman checks', async () => {
    expect(await env.pman(['run', '--rm', '--stop-signal', 'NOPE', 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: invalid --stop-signal "NOPE": use a signal name like SIGTERM, TERM, SIGRTMIN+3 or a number like 15',
    });
    expect(await env.ok(['ps', '-aq'])).toBe('');
    expect(await env.ok(['run', '--rm', '--stop-signal', 'usr1', 'busybox', 'true'])).toBe('');
  });

  it("--env-file is pman's, not Node's (Node 20 reads --env-file among a script's arguments too)", async () => {
    const missing = `${env.dir}/no-such.env`;
    expect(await env.pman(['run', '--rm', '--env-file', missing, 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: `Error: cannot read env file "${missing}": no such file`,
    });
  });
});

describe('runc refusing to create a container', () => {
  it('run prints runc\'s reason in one line and exits 126, as podman does, leaving nothing on the container\'s stderr', async () => {
    const fg = await env.pman(['run', '--rm', ...BAD_MOUNT, 'busybox', 'true']);
    expect(fg.exitCode).toBe(126);
    expect(fg.stderr).toMatch(MOUNT_REASON);
    expect(await env.ok(['ps', '-aq'])).toBe('');

    const bg = await env.pman(['run', '-d', '--name', 'badmount', ...BAD_MOUNT, 'busybox', 'true']);
    expect(bg.exitCode).toBe(126);
    expect(bg.stderr).toMatch(MOUNT_REASON);
    try {
      expect(await env.pman(['logs', 'badmount'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      // start: 125 for every runtime failure, as podman's.
      for (const start of [['start', 'badmount'], ['start', '-a', 'badmount']]) {
        const r = await env.pman(start);
        expect(r.exitCode).toBe(125);
        expect(r.stderr).toMatch(MOUNT_REASON);
      }
    } finally {
      await env.ok(['rm', '-f', 'badmount']);
    }
  });

  it('start of a container whose command is missing exits 125 (run: 127), naming the command', async () => {
    await env.ok(['create', '--name', 'nocmd', 'busybox', 'nosuchcmd']);
    try {
      const r = await env.pman(['start', 'nocmd']);
      expect(r).toMatchObject({
        exitCode: 125,
        stderr: 'Error: exec: "nosuchcmd": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found',
      });
    } finally {
      await env.ok(['rm', '-f', 'nocmd']);
    }
  });
});
