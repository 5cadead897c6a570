// Interactive I/O through terminal <-> pman <-> shim <-> container, in a real pty (node-pty),
// and the pipe, binary, flow-control, multi-client and signal cases.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { encodeFrame, Frame, FrameDecoder } from '../../lib/shim/protocol.js';
import { PMAN_BIN, sleep, TestEnv, until } from './harness.js';
import { exerciseShell, ptyCommandThen, ptyPman } from './pty.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

/**
 * Types a probe line until the container (cat -v) echoes it: then pman is attached and its terminal
 * is raw, so the control keys typed next reach pman unchanged (a cooked terminal eats ctrl-q).
 */
async function attached(t: ReturnType<typeof ptyPman>): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const mark = t.output().length;
    t.write(`probe${i}\r`);
    try {
      await t.waitFor(new RegExp(`probe${i}\\r\\n[\\s\\S]*probe${i}`), 1000, mark);
      return;
    } catch {
      /* not attached yet */
    }
  }
  throw new Error(`never attached: ${JSON.stringify(t.output())}`);
}

const state = async (name: string) => (await env.pman(['inspect', '--format', '{{.State.Status}}', name])).stdout;
const PROMPT = /\/ # /;

describe('run -it in a real terminal', () => {
  it('gives a real pty with job control, Ctrl+C, resize and the shell exit status', async () => {
    await exerciseShell(ptyPman(env, ['run', '-it', '--rm', 'busybox', 'sh']), { ttyName: /\/dev\/pts\/0/, size: [80, 24], resize: [132, 50], exitCode: 7 });
  });

  it('Ctrl+D ends the shell and pman exits 0', async () => {
    const t = ptyPman(env, ['run', '-it', '--rm', 'busybox', 'sh']);
    await t.waitFor(PROMPT);
    t.write('\x04');
    expect((await t.exited).exitCode).toBe(0);
  });

  it('sets the initial size before the process starts and delivers SIGWINCH', async () => {
    const t = ptyPman(env, ['run', '-it', '--rm', 'busybox', 'sh', '-c', 'stty size; trap "echo WINCH; stty size" WINCH; echo ready; while true; do sleep 0.1; done'], { cols: 91, rows: 33 });
    await t.waitFor(/33 91\r\nready/);
    t.resize(100, 40);
    await t.waitFor(/WINCH\r\n40 100/);
    t.write('\x03');
    await t.exited;
  });

  it('restores the terminal (raw mode off) after pman exits', async () => {
    const r = await ptyCommandThen(env, 'pman run -it --rm busybox sh -c "exit 3"');
    expect([r.status, r.modes]).toEqual([3, ['icanon', 'echo']]);
  });

  it('restores the terminal when pman fails', async () => {
    const r = await ptyCommandThen(env, 'pman run -it --rm busybox nosuchcmd');
    expect([r.status, r.modes]).toEqual([127, ['icanon', 'echo']]);
  });

  it('-t without a terminal on stdin works (no raw mode, no crash)', async () => {
    const r = await env.pman(['run', '-t', '--rm', 'busybox', 'sh', '-c', 'tty; echo hi'], { stdin: 'ignore' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('/dev/pts/0\r\nhi');
  });
});

describe('pipes and binary data', () => {
  it('echo hi | run -i cat prints hi; EOF closes the container stdin', async () => {
    const r = await env.pman(['run', '-i', '--rm', 'busybox', 'cat'], { input: 'hi\n' });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'hi' });
  });

  it('round-trips 100 MB of random bytes losslessly', async () => {
    const file = path.join(env.dir, 'rand');
    fs.writeFileSync(file, crypto.randomBytes(100 * 1024 * 1024));
    const want = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const { stdout } = await execa('sh', ['-c', `${PMAN_BIN} ${env.args(['run', '-i', '--rm', 'busybox', 'cat']).join(' ')} < ${file} | sha256sum`]);
    expect(stdout.split(' ')[0]).toBe(want);
    fs.rmSync(file);
  }, 120_000);

  it('delivers input sent before the container reads it', async () => {
    const r = await env.pman(['run', '-i', '--rm', 'busybox', 'sh', '-c', 'sleep 1; cat'], { input: 'early input\n' });
    expect(r.stdout).toBe('early input');
  });

  it('a reader that stops reading blocks the container, which then goes on with nothing lost or reordered', async () => {
    // Back-pressure end to end: this test's reader does not read until the container's PID 1 (seq,
    // 15 MB, far more than the shim's 4 MiB high-water mark and every pipe and socket buffer on
    // the way) sleeps in a pipe write; then every line must arrive, in order.
    const p = spawn(PMAN_BIN, env.args(['run', '--rm', '--name', 'blocked', 'busybox', 'seq', '1', '2000000']), { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.pause();
    const exited = new Promise<number | null>((res) => p.on('close', res));
    try {
      const pid = await until(async () => Number((await env.pman(['inspect', '--format', '{{.State.Pid}}', 'blocked'])).stdout) || 0);
      const wchan = () => {
        try {
          return fs.readFileSync(`/proc/${pid}/wchan`, 'utf8');
        } catch {
          return 'gone';
        }
      };
      expect(await until(() => wchan().includes('pipe_write'))).toBe(true);
      let next = 1;
      let rest = '';
      let wrong = '';
      p.stdout.setEncoding('utf8').on('data', (d: string) => {
        const lines = (rest + d).split('\n');
        rest = lines.pop()!;
        for (const l of lines) if (l !== String(next++) && !wrong) wrong = `line ${next - 1}: ${JSON.stringify(l)}`;
      });
      p.stdout.resume();
      expect(await exited).toBe(0);
      expect([wrong, next - 1, rest]).toEqual(['', 2000000, '']);
    } finally {
      p.kill('SIGKILL');
    }
  }, 120_000);

  // Completeness at a size no buffer holds (order at a size that makes the shim stop reading is
  // checked above, and losslessly by the 100 MB round trip).
  it('a foreground run receives every byte of 1 GiB, in order', async () => {
    const { stdout } = await execa('sh', ['-c', `${PMAN_BIN} ${env.args(['run', '--rm', 'busybox', 'sh', '-c', "'head -c 1073741824 /dev/zero; echo END'"]).join(' ')} | tail -c 4; ${PMAN_BIN} ${env.args(['run', '--rm', 'busybox', 'sh', '-c', "'head -c 1073741824 /dev/zero'"]).join(' ')} | wc -c`]);
    expect(stdout).toBe('END\n1073741824');
  }, 300_000);

  it('with nobody attached the container is never blocked and the log gets everything', async () => {
    await env.ok(['run', '-d', '--name', 'unattended', 'busybox', 'sh', '-c', 'seq 1 300000']);
    expect(await env.ok(['wait', 'unattended'])).toBe('0');
    const logs = await env.ok(['logs', 'unattended']);
    const lines = logs.split('\n');
    expect(lines).toHaveLength(300000);
    expect(lines[299999]).toBe('300000');
  }, 60_000);
});

describe('attach and detach', () => {
  it('attaches to run -d -it, detaches with ctrl-p ctrl-q and re-attaches', async () => {
    await env.ok(['run', '-d', '-it', '--name', 'shell', 'busybox', 'sh']);
    const a = ptyPman(env, ['attach', 'shell']);
    await sleep(300);
    a.write('\r');
    await a.waitFor(PROMPT);
    a.write('echo first-$((40+2))\r');
    await a.waitFor(/first-42/);
    a.write('\x10\x11');
    expect((await a.exited).exitCode).toBe(0);
    expect(await state('shell')).toBe('running');
    const b = ptyPman(env, ['attach', 'shell']);
    await sleep(300);
    b.write('echo second-$((40+3))\r');
    await b.waitFor(/second-43/);
    b.write('exit 5\r');
    expect((await b.exited).exitCode).toBe(5);
    expect(await state('shell')).toBe('exited');
    const logs = await env.ok(['logs', 'shell']);
    expect(logs).toMatch(/first-42[\s\S]*second-43/);
  });

  it('honours --detach-keys and forwards a lone prefix key with the next key', async () => {
    await env.ok(['run', '-d', '-it', '--name', 'catv', 'busybox', 'cat', '-v']);
    const a = ptyPman(env, ['attach', '--detach-keys', 'ctrl-a,d', 'catv']);
    await attached(a);
    a.write('\x01x\x10y\r');
    await a.waitFor(/\^Ax\^Py/);
    a.write('\x01d');
    expect((await a.exited).exitCode).toBe(0);
    expect(await state('catv')).toBe('running');
  });

  it('--detach-keys "" disables detaching', async () => {
    // -ixon: the container's own terminal would otherwise take ctrl-q as XON.
    await env.ok(['run', '-d', '-it', '--name', 'nodetach', 'busybox', 'sh', '-c', 'stty -ixon; cat -v']);
    const a = ptyPman(env, ['attach', '--detach-keys=', 'nodetach']);
    await attached(a);
    a.write('\x10\x11z\r');
    await a.waitFor(/\^P\^Qz/);
    a.kill('SIGKILL');
    await a.exited;
    expect(await state('nodetach')).toBe('running');
  });

  it('rejects an invalid --detach-keys value', async () => {
    const r = await env.pman(['run', '--detach-keys', 'ctrl-!', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/invalid detach key "ctrl-!"/);
  });

  it('detaching from a foreground run -it leaves the container running', async () => {
    const t = ptyPman(env, ['run', '-it', '--name', 'fgdetach', 'busybox', 'sh']);
    await t.waitFor(PROMPT);
    t.write('\x10\x11');
    expect((await t.exited).exitCode).toBe(0);
    expect(await state('fgdetach')).toBe('running');
  });

  it('several clients see the same output and input from any reaches the container', async () => {
    await env.ok(['run', '-d', '-i', '--name', 'multi', 'busybox', 'sh', '-c', 'while read l; do echo "got:$l"; done']);
    const c1 = execa(PMAN_BIN, env.args(['attach', 'multi']), { reject: false, stdin: 'pipe' });
    const c2 = execa(PMAN_BIN, env.args(['attach', '--no-stdin', 'multi']), { reject: false });
    let o1 = '';
    let o2 = '';
    c1.stdout!.on('data', (d: Buffer) => (o1 += d));
    c2.stdout!.on('data', (d: Buffer) => (o2 += d));
    await sleep(1000);
    c1.stdin!.write('from-one\n');
    expect(await until(() => o1.includes('got:from-one') && o2.includes('got:from-one'))).toBe(true);
    const c3 = execa(PMAN_BIN, env.args(['attach', 'multi']), { reject: false, stdin: 'pipe' });
    await sleep(1000);
    c3.stdin!.write('from-three\n');
    expect(await until(() => o1.includes('got:from-three') && o2.includes('got:from-three'))).toBe(true);
    c3.stdin!.end();
    await env.ok(['rm', '-f', '-t', '0', 'multi']);
    await Promise.all([c1, c2, c3]);
  });

  it('input to a container started without -i is refused clearly', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'noinput', 'busybox', 'sh', '-c', 'echo up; sleep 1000'])).trim();
    const a = execa(PMAN_BIN, env.args(['attach', 'noinput']), { reject: false, stdin: 'pipe' });
    let err = '';
    a.stderr!.on('data', (d: Buffer) => (err += d));
    expect(await until(() => err.includes('was not started with -i'))).toBe(true);
    a.kill('SIGKILL');
    await a;
    // A client that sends input anyway is told it was discarded.
    const sock = net.connect(path.join(env.runroot, 'containers', id, 'attach'));
    const dec = new FrameDecoder('shim');
    const notices: string[] = [];
    sock.on('data', (d: Buffer) => dec.push(d).forEach((f) => f.type === Frame.Notice && notices.push(f.payload.toString())));
    sock.write(encodeFrame(Frame.Hello, { version: 1, kind: 'attach', stdin: true, stdout: true, stderr: true }));
    sock.write(encodeFrame(Frame.Stdin, Buffer.from('data\n')));
    expect(await until(() => notices.some((n) => n.includes('input is discarded')))).toBe(true);
    sock.destroy();
  });

  it('attach to a stopped container is a clear error', async () => {
    await env.ok(['create', '--name', 'notrunning', 'busybox', 'true']);
    const r = await env.pman(['attach', 'notrunning']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/not running/);
  });

  it('start -a -i attaches input and output of a created container', async () => {
    await env.ok(['create', '-i', '--name', 'startai', 'busybox', 'sh', '-c', 'read x; echo "read:$x"; exit 9']);
    const r = await env.pman(['start', '-a', '-i', 'startai'], { input: 'hello\n' });
    expect(r.exitCode).toBe(9);
    expect(r.stdout).toBe('read:hello');
  });
});

describe('signals and terminal loss', () => {
  it('proxies signals sent to a foreground pman run to the container', async () => {
    const p = execa(PMAN_BIN, env.args(['run', '--rm', '--name', 'sigs', 'busybox', 'sh', '-c', 'trap "echo got-usr1" USR1; trap "echo got-term; exit 3" TERM; echo ready; while true; do sleep 0.1; done']), { reject: false });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    await until(() => out.includes('ready'));
    p.kill('SIGUSR1');
    await until(() => out.includes('got-usr1'));
    p.kill('SIGTERM');
    const r = await p;
    expect(r.exitCode).toBe(3);
    expect(String(r.stdout)).toBe('ready\ngot-usr1\ngot-term');
  });

  it('--sig-proxy=false leaves the container alone when pman is signalled', async () => {
    const p = execa(PMAN_BIN, env.args(['run', '--sig-proxy=false', '--name', 'noproxy', 'busybox', 'sh', '-c', 'trap "echo got-term" TERM; echo ready; while true; do sleep 0.1; done']), { reject: false });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    await until(() => out.includes('ready'));
    p.kill('SIGTERM');
    await p;
    expect(await state('noproxy')).toBe('running');
    expect(await env.ok(['logs', 'noproxy'])).toBe('ready');
  });

  it('closing the terminal never kills the shim; output keeps going to the log', async () => {
    const t = ptyPman(env, ['run', '-it', '--name', 'hangup', 'busybox', 'sh', '-c', 'trap "" HUP; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.1; done']);
    await t.waitFor(/tick-3/);
    t.hangup();
    await t.exited;
    const before = (await env.ok(['logs', 'hangup'])).split('\n').length;
    await sleep(1000);
    expect(await state('hangup')).toBe('running');
    expect((await env.ok(['logs', 'hangup'])).split('\n').length).toBeGreaterThan(before);
  });
});

describe('robustness of the attach socket', () => {
  it('is owner-only', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'perm', 'busybox', 'sleep', '1000'])).trim();
    const dir = path.join(env.runroot, 'containers', id);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'attach')).mode & 0o777).toBe(0o600);
  });

  it('a malformed frame closes that client only', async () => {
    const id = (await env.ok(['run', '-d', '-i', '--name', 'garbage', 'busybox', 'sh', '-c', 'while read l; do echo "got:$l"; done'])).trim();
    const good = execa(PMAN_BIN, env.args(['attach', 'garbage']), { reject: false, stdin: 'pipe' });
    let out = '';
    good.stdout!.on('data', (d: Buffer) => (out += d));
    await sleep(800);
    const sock = net.connect(path.join(env.runroot, 'containers', id, 'attach'));
    const dec = new FrameDecoder('shim');
    const frames: number[] = [];
    sock.on('data', (d: Buffer) => dec.push(d).forEach((f) => frames.push(f.type)));
    const closed = new Promise((r) => sock.on('close', r));
    sock.write(encodeFrame(Frame.Hello, { version: 1, kind: 'attach', stdin: true, stdout: true, stderr: true }));
    sock.write(Buffer.from([0x7f, 0, 0, 0, 1, 0]));
    await closed;
    expect(frames).toContain(Frame.Error);
    good.stdin!.write('still-works\n');
    expect(await until(() => out.includes('got:still-works'))).toBe(true);
    expect(await state('garbage')).toBe('running');
    good.stdin!.end();
    await env.ok(['rm', '-f', '-t', '0', 'garbage']);
    await good;
  });

  it('a stalled client is dropped after a bounded backlog; the container, log and others go on', async () => {
    // The foreground run is the flow-controlled primary client: it gets every byte however slow
    // it is. The stalled client is an extra attach client that never reads.
    const reader = execa('sh', ['-c', `${PMAN_BIN} ${env.args(['run', '-i', '--name', 'flood', 'busybox', 'sh', '-c', `'read go; head -c 67108864 /dev/zero | tr "\\0" x; echo; echo DONE'`]).join(' ')} | wc -c`], { reject: false, stdin: 'pipe' });
    expect(await until(async () => (await env.pman(['inspect', '--format', '{{.State.Status}}', 'flood'])).stdout === 'running', 30_000)).toBe(true);
    const id = (await env.ok(['inspect', '--format', '{{.Id}}', 'flood'])).trim();
    const stalled = net.connect(path.join(env.runroot, 'containers', id, 'attach'));
    stalled.pause();
    stalled.write(encodeFrame(Frame.Hello, { version: 1, kind: 'attach', stdin: false, stdout: true, stderr: true }));
    await sleep(500);
    reader.stdin!.write('go\n');
    const r = await reader;
    expect(String(r.stdout).trim()).toBe(String(64 * 1024 * 1024 + 1 + 5));
    expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}}', 'flood'])).toBe('0');
    const logs = await execa('sh', ['-c', `${PMAN_BIN} ${env.args(['logs', 'flood']).join(' ')} | wc -c`]);
    expect(logs.stdout.trim()).toBe(String(64 * 1024 * 1024 + 1 + 5));
    // The documented bound (docs/shim-protocol.md): an attach client other than the primary may
    // fall 8 MiB behind. It is cut off by the chunk that takes its queue past 8 MiB, so it gets more
    // than 8 MiB, and at most that plus the chunk (a 64 KiB read) and what the kernel's socket
    // buffer took before the queue grew (wmem_default, 208 KiB here): 1 MiB of slack is plenty.
    const MiB = 1024 * 1024;
    const dec = new FrameDecoder('shim');
    let bytes = 0;
    const notices: string[] = [];
    stalled.on('data', (d: Buffer) =>
      dec.push(d).forEach((f) => {
        if (f.type === Frame.Stdout) bytes += f.payload.length;
        if (f.type === Frame.Notice) notices.push((JSON.parse(f.payload.toString()) as { message: string }).message);
      }),
    );
    const closed = new Promise((res) => stalled.on('close', res));
    stalled.resume();
    await closed;
    expect(notices).toEqual(['output not read fast enough: more than 8 MiB unread, disconnected']);
    expect(bytes).toBeGreaterThan(8 * MiB);
    expect(bytes).toBeLessThanOrEqual(9 * MiB);
  }, 120_000);
});
