// Helpers for the `pman logs` tests: byte-exact runs (Buffers, nothing stripped) and a follower
// (`pman logs -f`) running in the background whose output can be watched while the test acts.
import { execa } from 'execa';
import path from 'node:path';
import { PMAN_BIN, type TestEnv, until } from '../harness.js';

export interface RawResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** Runs pman and returns its output as bytes, exactly as written. */
export async function raw(env: TestEnv, args: string[]): Promise<RawResult> {
  const r = await execa(PMAN_BIN, env.args(args), { reject: false, encoding: 'buffer', stripFinalNewline: false, timeout: 120_000 });
  return { exitCode: r.exitCode ?? -1, stdout: Buffer.from(r.stdout as Uint8Array), stderr: Buffer.from(r.stderr as Uint8Array) };
}

/** Runs pman logs with the given flags and returns stdout and stderr as text (nothing stripped). */
export async function logs(env: TestEnv, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await raw(env, ['logs', ...args]);
  return { exitCode: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

export interface Follower {
  /** What the follower printed on stdout so far. */
  out(): string;
  err(): string;
  /** True once the follower exited on its own. */
  ended(): boolean;
  /** Resolves when it exits (fails the test if that takes longer than timeoutMs). */
  done(timeoutMs?: number): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  stop(): void;
}

/** Starts `pman logs -f ARGS` in the background. */
export function follow(env: TestEnv, args: string[]): Follower {
  const p = execa(PMAN_BIN, env.args(['logs', '-f', ...args]), { reject: false, buffer: false, encoding: 'buffer' });
  let out = '';
  let err = '';
  let ended = false;
  p.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = p.then((r) => {
    ended = true;
    return r.exitCode ?? -1;
  });
  return {
    out: () => out,
    err: () => err,
    ended: () => ended,
    async done(timeoutMs = 30_000) {
      const finished = await until(() => ended, timeoutMs);
      if (!finished) {
        p.kill('SIGKILL');
        throw new Error(`pman logs -f did not end within ${timeoutMs} ms; it printed ${JSON.stringify(out.slice(-300))}`);
      }
      return { exitCode: await exit, stdout: out, stderr: err };
    },
    stop: () => p.kill('SIGKILL'),
  };
}

/** The container's log file and its ID. */
export async function logPath(env: TestEnv, name: string): Promise<string> {
  const id = (await env.ok(['inspect', '--format', '{{.Id}}', name])).trim();
  return path.join(env.root, 'containers', id, 'ctr.log');
}

/** Numbers of the lines `1..n` printed by `seq`, checked to be one run without gaps: returns [first, last]. */
export function numberedRun(text: string): [number, number] {
  const nums = text.split('\n').filter(Boolean).map(Number);
  const first = nums[0] ?? NaN;
  const gap = nums.findIndex((n, i) => n !== first + i);
  if (gap >= 0) throw new Error(`line ${gap} is ${nums[gap]}, expected ${first + gap} (a line lost, repeated or split)`);
  return [first, nums.at(-1) ?? NaN];
}

