// pman run/create/start against real runc: output, exit codes, image config and flags.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PMAN_BIN, sleep, TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

describe('pman run', () => {
  it('prints the output of a foreground container and exits 0', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'echo', 'hello']);
    expect(r).toEqual({ exitCode: 0, stdout: 'hello', stderr: '' });
  });

  it('keeps stdout and stderr apart and returns the container exit status', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('out');
    expect(r.stderr).toBe('err');
  });

  it('reports a signal death as 128+signal', async () => {
    // PID 1 cannot be killed from inside its own namespace, so the signal comes from outside.
    const fg = env.pman(['run', '--rm', '--name', 'sigdeath', 'busybox', 'sleep', '100']);
    let done: unknown;
    void fg.then((r) => (done = r));
    const up = await until(async () => done !== undefined || (await env.pman(['inspect', '--format', '{{.State.Status}}', 'sigdeath'])).stdout === 'running', 30_000);
    expect({ up, done }).toEqual({ up: true, done: undefined });
    await env.ok(['kill', '-s', 'KILL', 'sigdeath']);
    expect((await fg).exitCode).toBe(137);
  });

  it('exits 127 with one clear line for a command that does not exist', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'nosuchcmd']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nosuchcmd.*not found/);
  });

  it('exits 126 for a command that cannot be executed', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', '/etc/passwd']);
    expect(r.exitCode).toBe(126);
    expect(r.stderr).toMatch(/permission denied/);
  });

  it('removes a --rm container that failed to start', async () => {
    const r = await env.pman(['run', '--rm', '--name', 'failed-rm', 'busybox', 'nosuchcmd']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/nosuchcmd.*not found/);
    const ps = await env.ok(['ps', '-a', '--format', '{{.Names}}']);
    expect(ps.split('\n')).not.toContain('failed-rm');
    expect(await env.pman(['inspect', 'failed-rm'])).toMatchObject({ exitCode: 125, stderr: 'Error: no such object: "failed-rm" is neither a container nor an image' });
  });

  it('lets `> /dev/stdout` work inside the container (real pipes, not sockets)', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'sh', '-c', 'echo via-dev-stdout > /dev/stdout; echo via-dev-stderr > /dev/stderr']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('via-dev-stdout');
    expect(r.stderr).toBe('via-dev-stderr');
  });

  it('delivers the last output written just before exit', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'sh', '-c', 'seq 1 20000; printf no-newline-at-end']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('1');
    expect(lines[19999]).toBe('20000');
    expect(lines[20000]).toBe('no-newline-at-end');
  });

  it('applies -e, --env-file, -w, -u, -h and the default environment', async () => {
    const envFile = path.join(env.dir, 'envfile');
    fs.writeFileSync(envFile, '# test\nFROM_FILE=file\nOVERRIDE=file\n');
    const r = await env.pman(
      ['run', '--rm', '-e', 'A=1', '--env-file', envFile, '-e', 'OVERRIDE=flag', '-w', '/tmp', '-u', 'pmanuser', '-h', 'myhost', 'busybox',
        'sh', '-c', 'echo $A $FROM_FILE $OVERRIDE; pwd; id -u; id -g; hostname; cat /etc/hostname; echo $PATH; echo $HOME'],
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['1 file flag', '/tmp', '1000', '1000', 'myhost', 'myhost', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '/home/pmanuser']);
  });

  it('accepts a numeric uid:gid for -u', async () => {
    const r = await env.pman(['run', '--rm', '-u', '4242:4343', 'busybox', 'sh', '-c', 'id -u; id -g']);
    expect(r.stdout).toBe('4242\n4343');
  });

  it('refuses an unknown user name before creating anything', async () => {
    const r = await env.pman(['run', '--name', 'baduser', '-u', 'nosuchuser', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/cannot resolve user "nosuchuser"/);
    expect((await env.pman(['inspect', 'baduser'])).exitCode).toBe(125);
  });

  it('overrides the entrypoint with a string or a JSON array', async () => {
    expect((await env.pman(['run', '--rm', '--entrypoint', 'echo', 'busybox', 'a', 'b'])).stdout).toBe('a b');
    expect((await env.pman(['run', '--rm', '--entrypoint', '["sh","-c","echo $0"]', 'busybox', 'zero'])).stdout).toBe('zero');
  });

  it('runs with podman-like isolation: own PID 1, loopback and the default network\'s eth0', async () => {
    const r = await env.pman(['run', '--rm', 'busybox', 'sh', '-c', 'echo $$; ls /sys/class/net']);
    expect(r.stdout.split('\n')).toEqual(['1', 'eth0', 'lo']);
  });

  it('fails with exit 125 for an unknown image, naming it', async () => {
    const r = await env.pman(['run', '--rm', 'nosuchimage', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/nosuchimage/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('rejects an unknown flag with exit 125 and no stack trace', async () => {
    const r = await env.pman(['run', '--bogus-flag', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/bogus-flag/);
    expect(r.stderr).not.toMatch(/ at .*\.js:\d+/);
  });

  it('rejects an invalid --log-driver and --stop-timeout value', async () => {
    expect((await env.pman(['run', '--log-driver', 'syslog', 'busybox', 'true'])).stderr).toMatch(/invalid --log-driver "syslog"/);
    expect((await env.pman(['run', '--stop-timeout', 'soon', 'busybox', 'true'])).exitCode).toBe(125);
  });

  it('shows a stack trace only with --log-level debug', async () => {
    const r = await env.pman(['--log-level', 'debug', 'run', '--rm', 'nosuchimage', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/\.c?js:\d+/);
  });
});

describe('pman run -d, create and start', () => {
  it("leaves no fd of its caller open in the container's shim", async () => {
    // fd 13 of pman is a pipe to this test: once pman has exited, nothing may hold its write end
    // (a CI runner waiting for such a pipe would otherwise wait as long as the container runs).
    const extra: Array<'ignore' | 'pipe'> = Array(10).fill('ignore');
    const child = spawn(PMAN_BIN, env.args(['run', '-d', '--name', 'fdleak', 'busybox', 'sleep', '1000']), {
      stdio: ['ignore', 'pipe', 'pipe', ...extra, 'pipe'],
    });
    const pipe = (child.stdio as unknown as Readable[])[13];
    let ended = false;
    pipe.on('end', () => (ended = true));
    pipe.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'fdleak'])).toBe('running');
    expect(await until(() => ended)).toBe(true);
    await env.ok(['rm', '-f', '-t', '0', 'fdleak']);
  });

  it('runs detached, prints the full ID, and the container keeps running', async () => {
    const r = await env.pman(['run', '-d', '--name', 'det', 'busybox', 'sleep', '100']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}$/);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}} {{.State.Running}}', 'det'])).toBe('running true');
    await env.ok(['rm', '-f', '-t', '0', 'det']);
  });

  it('removes a detached --rm container when it exits', async () => {
    // The container exits only once told to, so `wait` has found it before --rm removes it.
    const id = (await env.ok(['run', '-d', '--rm', '--name', 'det-rm', 'busybox', 'sh', '-c', 'while [ ! -e /tmp/go ]; do sleep 0.1; done; exit 3'])).trim();
    const waiting = env.pman(['wait', id]);
    await sleep(300);
    await env.ok(['exec', 'det-rm', 'touch', '/tmp/go']);
    expect((await waiting).stdout).toBe('3');
    const names = await env.ok(['ps', '-a', '--format', '{{.Names}}']);
    expect(names.split('\n')).not.toContain('det-rm');
  });

  it('creates without starting, then starts; start -a attaches to the output', async () => {
    const id = (await env.ok(['create', '--name', 'cr', 'busybox', 'sh', '-c', 'echo started-$HOSTNAME; exit 4'])).trim();
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'cr'])).toBe('created');
    const r = await env.pman(['start', '-a', 'cr']);
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toBe(`started-${id.slice(0, 12)}`);
    // A second start re-runs it; logs keep both runs.
    expect(await env.ok(['start', 'cr'])).toBe('cr');
    expect(await env.ok(['wait', 'cr'])).toBe('4');
    expect(await env.ok(['logs', 'cr'])).toBe(`started-${id.slice(0, 12)}\nstarted-${id.slice(0, 12)}`);
  });

  it('refuses a duplicate name with exit 125 and a message naming it', async () => {
    await env.ok(['create', '--name', 'dup', 'busybox', 'true']);
    const r = await env.pman(['create', '--name', 'dup', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/name "dup" is already in use/);
  });

  it('refuses an invalid container name', async () => {
    const r = await env.pman(['create', '--name', 'bad/name', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/invalid container name "bad\/name"/);
  });

  it('starting a running container succeeds silently and changes nothing, as podman (scripts "make sure it is up")', async () => {
    await env.ok(['run', '-d', '--name', 'twice', 'busybox', 'sleep', '100']);
    const pid = await env.ok(['inspect', '--format', '{{.State.Pid}}', 'twice']);
    const r = await env.pman(['start', 'twice', 'twice']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(await env.ok(['inspect', '--format', '{{.State.Pid}}', 'twice'])).toBe(pid);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'twice'])).toBe('running');
    await env.ok(['rm', '-f', '-t', '0', 'twice']);
  });

  it('with --log-driver none keeps no log and says so', async () => {
    await env.ok(['run', '--name', 'nolog', '--log-driver', 'none', 'busybox', 'echo', 'x']);
    const r = await env.pman(['logs', 'nolog']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/--log-driver none/);
  });
});

describe('pman run --preserve-fds', () => {
  it("gives the container the caller's descriptors 3.., foreground and detached; create refuses them", async () => {
    const input = path.join(env.dir, 'fds-input');
    const output = path.join(env.dir, 'fds-output');
    fs.writeFileSync(input, 'from fd 3\n');
    const pman = [PMAN_BIN, ...env.args([])].map((a) => `'${a}'`).join(' ');
    const sh = (line: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('sh', ['-c', line], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    // Nothing beyond them: the container's own descriptors are 0-2, 3, 4 and ls's directory.
    const fg = await sh(`${pman} run --rm --network none --preserve-fds 2 busybox sh -c 'cat <&3; echo to fd 4 >&4; ls /proc/self/fd | tr "\\n" " "; exit 5' 3<'${input}' 4>'${output}'`);
    expect(fg).toEqual({ code: 5, out: 'from fd 3\n0 1 2 3 4 5 ' });
    expect(fs.readFileSync(output, 'utf8')).toBe('to fd 4\n');

    const bg = await sh(`${pman} run -d --name pfd --network none --preserve-fds 1 busybox sh -c 'cat <&3 > /got; exec sleep 1000' 3<'${input}'`);
    try {
      expect(bg.code).toBe(0);
      expect(await until(async () => (await env.pman(['exec', 'pfd', 'cat', '/got'])).stdout === 'from fd 3')).toBe(true);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'pfd']);
    }
    expect(await env.pman(['create', '--preserve-fds', '1', 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: --preserve-fds is not supported by pman create: pman passes descriptors to the process that starts with them, with pman run (and pman exec)',
    });
  });
});

