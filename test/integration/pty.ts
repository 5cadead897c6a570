// Drives bin/pman inside a real pseudo-terminal (node-pty): type keys, resize, read the screen.
import { createRequire } from 'node:module';
import { PMAN_BIN, type TestEnv } from './harness.js';

const require = createRequire(import.meta.url);
const pty = require('node-pty') as typeof import('node-pty');

export interface PtySession {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Everything the terminal showed so far. */
  output(): string;
  /** Waits until the output (after `from`) matches; throws with the screen on timeout. */
  waitFor(re: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(signal?: string): void;
  /** Closes the terminal (the master side), as closing a terminal window does. */
  hangup(): void;
  pid: number;
}

export interface PtyOptions {
  cols?: number;
  rows?: number;
  /** Extra environment variables. */
  vars?: Record<string, string>;
}

/** Starts `sh -c SCRIPT` in a pty, with `pman` on the script's PATH pointing at this env. */
export function ptyShell(env: TestEnv, script: string, opts: PtyOptions = {}): PtySession {
  const pmanCmd = `${PMAN_BIN} ${env.args([]).join(' ')}`;
  return spawnPty('/bin/sh', ['-c', script.replace(/\bpman\b/g, pmanCmd)], opts);
}

export function ptyPman(env: TestEnv, args: string[], opts: PtyOptions = {}): PtySession {
  return spawnPty(PMAN_BIN, env.args(args), opts);
}

export function spawnPty(file: string, args: string[], opts: PtyOptions): PtySession {
  const p = pty.spawn(file, args, { cols: opts.cols ?? 80, rows: opts.rows ?? 24, env: { ...process.env, TERM: 'xterm', ...opts.vars } as Record<string, string> });
  let out = '';
  const listeners = new Set<() => void>();
  p.onData((d) => {
    out += d;
    listeners.forEach((l) => l());
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => p.onExit((e) => resolve(e)));
  return {
    pid: p.pid,
    write: (d) => p.write(d),
    resize: (c, r) => p.resize(c, r),
    output: () => out,
    kill: (sig) => p.kill(sig),
    hangup: () => (p as unknown as { destroy(): void }).destroy(),
    exited,
    waitFor(re, timeoutMs = 30_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.slice(from).match(re);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${re} in terminal output: ${JSON.stringify(out.slice(-2000))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * What `run -it` and `exec -it` of busybox sh must both give, driven through the session `t` at
 * its initial size: a real pty (tty names `ttyName`, the size is the terminal's), job control
 * (Ctrl+C ends the foreground job, not the shell), a resize reaching the shell, and the shell's
 * exit status as pman's. Each step waits for what proves the previous one happened.
 */
export async function exerciseShell(
  t: PtySession,
  o: { ttyName: RegExp; size: [cols: number, rows: number]; resize: [cols: number, rows: number]; exitCode: number; beforeExit?: (t: PtySession) => Promise<void> },
): Promise<void> {
  await t.waitFor(/# /);
  t.write('tty; stty size\r');
  await t.waitFor(new RegExp(`${o.ttyName.source}\\r\\n${o.size[1]} ${o.size[0]}\\r\\n`));
  expect(t.output()).not.toMatch(/can't access tty/);
  // Ctrl+C once the foreground job has printed (a shell's echo of the typed line starts with "sh -c").
  let mark = t.output().length;
  t.write("sh -c 'echo job-started; exec sleep 100'\r");
  await t.waitFor(/\r\njob-started\r\n/, 30_000, mark);
  t.write('\x03');
  t.write('echo ALIVE-$?\r');
  await t.waitFor(/ALIVE-130/, 30_000, mark);
  // The shell sees the new size once pman's Resize has reached the pty: it waits for it.
  mark = t.output().length;
  const [cols, rows] = o.resize;
  t.resize(cols, rows);
  t.write(`until [ "$(stty size)" = "${rows} ${cols}" ]; do sleep 0.1; done; echo RESIZED-$(stty size | tr " " x)\r`);
  await t.waitFor(new RegExp(`RESIZED-${rows}x${cols}`), 30_000, mark);
  await o.beforeExit?.(t);
  t.write(`exit ${o.exitCode}\r`);
  expect((await t.exited).exitCode).toBe(o.exitCode);
}

/**
 * Runs `command` (a shell command line; `pman` in it is this env's) in a pty shell and reports, as
 * the shell saw them after it: its exit status, and the terminal's canonical and echo modes (pman
 * must leave them as it found them). `during` acts on the session while the command runs.
 */
export async function ptyCommandThen(env: TestEnv, command: string, during?: (t: PtySession) => Promise<void>): Promise<{ status: number; modes: string[]; output: string }> {
  // The shell waits for a line after its last output: a pty's last bytes can be lost to the
  // reader when its process exits right after writing them.
  const t = ptyShell(env, `${command}; echo rc=$?; stty -a | grep -o " -\\?icanon \\| -\\?echo "; echo END; read _`);
  let ended = false;
  void t.exited.then(() => (ended = true));
  try {
    await during?.(t);
    const m = await t.waitFor(/rc=(\d+)\r?\n([\s\S]*)END/);
    t.write('\r');
    await t.exited;
    return { status: Number(m[1]), modes: m[2].split(/\s+/).filter(Boolean), output: t.output() };
  } finally {
    if (!ended) t.kill('SIGKILL');
  }
}
