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

/** Starts `sh -c SCRIPT` in a pty, with `pman` on the script's PATH pointing at this env. */
export function ptyShell(env: TestEnv, script: string, opts: { cols?: number; rows?: number } = {}): PtySession {
  const pmanCmd = `${PMAN_BIN} ${env.args([]).join(' ')}`;
  return spawnPty('/bin/sh', ['-c', script.replace(/\bpman\b/g, pmanCmd)], opts);
}

export function ptyPman(env: TestEnv, args: string[], opts: { cols?: number; rows?: number } = {}): PtySession {
  return spawnPty(PMAN_BIN, env.args(args), opts);
}

export function spawnPty(file: string, args: string[], opts: { cols?: number; rows?: number }): PtySession {
  const p = pty.spawn(file, args, { cols: opts.cols ?? 80, rows: opts.rows ?? 24, env: { ...process.env, TERM: 'xterm' } as Record<string, string> });
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
