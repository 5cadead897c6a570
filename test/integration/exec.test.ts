// pman exec through the container's shim, against real runc.
import { execa } from 'execa';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PMAN_BIN, sleep, TestEnv, until } from './harness.js';
import { exerciseShell, ptyCommandThen, ptyPman } from './pty.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
  await env.ok(['run', '-d', '--name', 'box', '-h', 'boxhost', '-e', 'CTR_VAR=ctr', '--group-add', '4242', 'busybox', 'sh', '-c', 'echo marker > /tmp/from-ctr; exec sleep 100000']);
});
afterAll(async () => {
  await env.cleanup();
});

const shimChildren = async () => {
  const shim = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'box']));
  const kids = fs.readFileSync(`/proc/${shim}/task/${shim}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return kids.map((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
    } catch {
      return 'gone';
    }
  });
};

describe('pman exec', () => {
  it('runs in the container namespaces: hostname, PID 1, filesystem, environment', async () => {
    const r = await env.pman(['exec', 'box', 'sh', '-c', 'hostname; cat /proc/1/cmdline | tr "\\0" " "; cat /tmp/from-ctr; echo $CTR_VAR']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'boxhost\nsleep 100000 marker\nctr' });
  });

  it('returns the process exit status and keeps stderr apart', async () => {
    const r = await env.pman(['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
    expect(r).toMatchObject({ exitCode: 4, stdout: 'out', stderr: 'err' });
  });

  it('exits 127 for a missing command and 126 for a non-executable one', async () => {
    const missing = await env.pman(['exec', 'box', 'nosuchcmd']);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toMatch(/nosuchcmd.*not found/);
    const noexec = await env.pman(['exec', 'box', '/etc/passwd']);
    expect(noexec.exitCode).toBe(126);
    expect(noexec.stderr).toMatch(/permission denied/);
  });

  it("exits 125 for pman's own errors: unknown container, not running, no command, bad flag", async () => {
    const unknown = await env.pman(['exec', 'nosuch', 'true']);
    expect(unknown.exitCode).toBe(125);
    expect(unknown.stderr).toMatch(/no container with name or ID "nosuch"/);
    await env.ok(['create', '--name', 'idle', 'busybox', 'true']);
    const idle = await env.pman(['exec', 'idle', 'true']);
    expect(idle.exitCode).toBe(125);
    expect(idle.stderr).toMatch(/cannot exec in container "idle": it is not running/);
    expect((await env.pman(['exec', 'box'])).exitCode).toBe(125);
    expect((await env.pman(['exec', '--bogus', 'box', 'true'])).exitCode).toBe(125);
    expect((await env.pman(['exec', '-w', 'relative', 'box', 'true'])).stderr).toMatch(/absolute path/);
  });

  it('applies -e, --env-file, -w and -u (name and uid:gid)', async () => {
    const envFile = path.join(env.dir, 'exec-env');
    fs.writeFileSync(envFile, 'FROM_FILE=yes\n');
    const r = await env.pman(['exec', '-e', 'A=1', '--env-file', envFile, '-w', '/tmp', '-u', 'pmanuser', 'box', 'sh', '-c', 'echo $A $FROM_FILE $CTR_VAR; pwd; id -u; id -g; echo $HOME']);
    expect(r.stdout).toBe('1 yes ctr\n/tmp\n1000\n1000\n/home/pmanuser');
    expect((await env.pman(['exec', '-u', '123:456', 'box', 'sh', '-c', 'id -u; id -g'])).stdout).toBe('123\n456');
    const bad = await env.pman(['exec', '-u', 'nobody-here', 'box', 'true']);
    expect(bad.exitCode).toBe(125);
    expect(bad.stderr).toMatch(/cannot resolve user "nobody-here"/);
  });

  it('gives supplementary groups as podman 4.3.1: --group-add without -u, /etc/group only for a named user', async () => {
    // busybox's /etc/group lists root in wheel (10). The container's own process has both.
    const groups = async (...flags: string[]) => (await env.ok(['exec', ...flags, 'box', 'sh', '-c', 'grep Groups /proc/self/status'])).replace(/^Groups:\s*/, '').trim();
    expect(await groups()).toBe('4242');
    expect(await groups('-u', 'root')).toBe('10');
    expect(await groups('-u', '0:0')).toBe('');
    expect((await env.ok(['exec', 'box', 'sh', '-c', 'grep Groups /proc/1/status'])).replace(/^Groups:\s*/, '').trim()).toBe('10 4242');
  });

  it('--privileged gives the process every capability', async () => {
    const cap = async (...flags: string[]) => (await env.ok(['exec', ...flags, 'box', 'sh', '-c', 'grep CapEff /proc/self/status'])).split(/\s+/)[1];
    const normal = BigInt(`0x${await cap()}`);
    const priv = BigInt(`0x${await cap('--privileged')}`);
    expect(priv > normal).toBe(true);
    expect(priv & (1n << 21n)).toBe(1n << 21n); // CAP_SYS_ADMIN
    expect(normal & (1n << 21n)).toBe(0n);
  });

  it('round-trips binary data with -i and delivers EOF', async () => {
    const file = path.join(env.dir, 'exec-rand');
    fs.writeFileSync(file, crypto.randomBytes(20 * 1024 * 1024));
    const want = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const { stdout } = await execa('sh', ['-c', `${PMAN_BIN} ${env.args(['exec', '-i', 'box', 'sh', '-c', "'cat; echo EOF-SEEN >&2'"]).join(' ')} < ${file} 2>/dev/null | sha256sum`]);
    expect(stdout.split(' ')[0]).toBe(want);
    const r = await env.pman(['exec', '-i', 'box', 'sh', '-c', 'cat >/dev/null; echo EOF-SEEN'], { input: 'abc' });
    expect(r.stdout).toBe('EOF-SEEN');
  });

  it('-t without a terminal gives the process a pty', async () => {
    const r = await env.pman(['exec', '-t', 'box', 'sh', '-c', 'tty; exit 3'], { stdin: 'ignore' });
    expect(r).toMatchObject({ exitCode: 3, stderr: '' });
    expect(r.stdout).toMatch(/^\/dev\/pts\/\d+$/);
    expect(await env.pman(['exec', '-t', 'box', 'tty'], { stdin: 'ignore' })).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^\/dev\/pts\/\d+$/), stderr: '' });
  });

  it('-d returns at once, the process runs on, and inspect lists the session', async () => {
    const r = await env.pman(['exec', '-d', 'box', 'sh', '-c', 'sleep 3; touch /tmp/detached-done']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}$/);
    const sessions = JSON.parse(await env.ok(['inspect', '--format', '{{json .ExecSessions}}', 'box'])) as Array<{ ID: string; Command: string[]; Pid: number; Running: boolean }>;
    const s = sessions.find((x) => x.ID === r.stdout);
    expect(s).toMatchObject({ Command: ['sh', '-c', 'sleep 3; touch /tmp/detached-done'], Running: true });
    expect(s!.Pid).toBeGreaterThan(0);
    expect(await until(async () => (await env.pman(['exec', 'box', 'test', '-e', '/tmp/detached-done'])).exitCode === 0, 30_000, 200)).toBe(true);
    expect(await until(async () => !(await env.ok(['inspect', '--format', '{{json .ExecIDs}}', 'box'])).includes(r.stdout))).toBe(true);
  });

  it('does not write exec output to the container log', async () => {
    await env.ok(['exec', 'box', 'echo', 'exec-output-not-logged']);
    expect(await env.ok(['logs', 'box'])).not.toContain('exec-output-not-logged');
  });

  it('20 concurrent execs each get their own output and exit code', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => env.pman(['exec', 'box', 'sh', '-c', `seq 1 ${1000 + i} | tail -n 1; exit ${i}`])));
    results.forEach((r, i) => {
      expect(r.exitCode).toBe(i);
      expect(r.stdout).toBe(String(1000 + i));
    });
  }, 120_000);

  it("joins the container's cgroups, and the shim's cgroup warm-up leaves the shim where it was", async () => {
    const shim = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'box']));
    const before = fs.readFileSync(`/proc/${shim}/cgroup`, 'utf8');
    // Overlapping sessions share the shim's one warm-up (lib/cgroup/attach-warmup.ts).
    const views = await Promise.all([1, 2, 3].map(() => env.ok(['exec', 'box', 'sh', '-c', 'cat /proc/self/cgroup; echo ==; cat /proc/1/cgroup'])));
    for (const v of views) {
      const [own, init] = v.split('\n==\n');
      expect(own).toContain('pids:');
      expect(own).toBe(init);
    }
    expect(fs.readFileSync(`/proc/${shim}/cgroup`, 'utf8')).toBe(before);
  });

  it('a client that disconnects mid-exec leaves no zombie and no stuck shim', async () => {
    const p = execa(PMAN_BIN, env.args(['exec', '-i', 'box', 'sh', '-c', 'cat > /dev/null; echo eof > /tmp/got-eof']), { reject: false, stdin: 'pipe' });
    await sleep(800);
    p.kill('SIGKILL');
    await p;
    expect(await until(async () => (await env.pman(['exec', 'box', 'cat', '/tmp/got-eof'])).stdout === 'eof')).toBe(true);
    expect(await until(async () => !(await shimChildren()).includes('Z'))).toBe(true);
    // The shim still serves new sessions.
    expect((await env.pman(['exec', 'box', 'echo', 'alive'])).stdout).toBe('alive');
  });

  it('a terminal exec whose client disappears gets SIGHUP', async () => {
    const t = ptyPman(env, ['exec', '-it', 'box', 'sh', '-c', 'trap "echo hup > /tmp/got-hup; exit 1" HUP; echo ready; while true; do sleep 0.1; done']);
    await t.waitFor(/ready/);
    process.kill(t.pid, 'SIGKILL');
    await t.exited;
    expect(await until(async () => (await env.pman(['exec', 'box', 'cat', '/tmp/got-hup'])).stdout === 'hup')).toBe(true);
    expect(await until(async () => !(await shimChildren()).includes('Z'))).toBe(true);
  });
});

describe('pman exec -it in a real terminal', () => {
  it('behaves like run -it: job control, Ctrl+C, resize, exit status', async () => {
    await exerciseShell(ptyPman(env, ['exec', '-it', 'box', 'sh']), { ttyName: /\/dev\/pts\/\d+/, size: [80, 24], resize: [120, 40], exitCode: 6 });
  });

  it('detach keys end the client and leave the process running; the terminal is restored', async () => {
    const r = await ptyCommandThen(env, 'pman exec -it box sh -c "echo started; sleep 7; touch /tmp/after-detach"', async (t) => {
      await t.waitFor(/started/);
      t.write('\x10\x11');
    });
    expect([r.status, r.modes]).toEqual([0, ['icanon', 'echo']]);
    expect(await until(async () => (await env.pman(['exec', 'box', 'test', '-e', '/tmp/after-detach'])).exitCode === 0, 15_000, 300)).toBe(true);
  });
});

describe('exec when the container stops', () => {
  it('sessions end with a clear status instead of hanging', async () => {
    await env.ok(['run', '-d', '--name', 'short', 'busybox', 'sleep', '100000']);
    const p = execa(PMAN_BIN, env.args(['exec', 'short', 'sh', '-c', 'echo running; sleep 1000']), { reject: false });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    await until(() => out.includes('running'));
    await env.ok(['stop', '-t', '0', 'short']);
    const r = await p;
    expect(r.exitCode).toBe(137);
    expect(String(r.stderr)).toMatch(/stopped while the exec session was running/);
  });
});

describe('pman exec --preserve-fds', () => {
  it("passes the caller's descriptors 3.. into the process, with the session's user and environment, and its exit status back", async () => {
    const input = path.join(env.dir, 'fd3-input');
    const output = path.join(env.dir, 'fd4-output');
    fs.writeFileSync(input, 'from fd 3\n');
    const pman = [PMAN_BIN, ...env.args([])].map((a) => `'${a}'`).join(' ');
    const script = `${pman} exec --preserve-fds 2 -u 1000 -e EV=given box sh -c 'id -u; echo $EV $CTR_VAR; cat <&3; echo to fd 4 >&4; exit 7' 3<'${input}' 4>'${output}'`;
    const r = await execa('sh', ['-c', script], { reject: false });
    expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: 7, stdout: '1000\ngiven ctr\nfrom fd 3', stderr: '' });
    expect(fs.readFileSync(output, 'utf8')).toBe('to fd 4\n');
    // Descriptors that were not given are refused (Node's own would be found there).
    expect(await env.pman(['exec', '--preserve-fds', '1', 'box', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: --preserve-fds 1: file descriptor 3 was not given to pman; open descriptors 3 to 3 for it (e.g. "3<file")',
    });
    expect(await env.pman(['exec', '--preserve-fds', '1', '-d', 'box', 'true'])).toMatchObject({ exitCode: 125 });
  });
});

