// Child processes for the benchmarks: one synchronous runner, so a measured command has the
// machine to itself (nothing else runs in this process while it is timed), and every call is
// bounded by a timeout so a hung engine cannot hang the benchmark.
import { spawnSync } from 'node:child_process';

export class BenchError extends Error {}

/** Quotes argv for `sh -c` (used only to build pipelines such as `cmd | wc -c`). */
export function shellQuote(argv) {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/**
 * Runs argv to completion. Returns { code, stdout, stderr, ms }; throws BenchError on a non-zero
 * exit, a signal or a timeout unless allowFail is set. stdout is kept only when capture is set;
 * stdio replaces the default [ignore, ignore-or-pipe, pipe] wholesale.
 */
export function run(argv, { capture = false, allowFail = false, timeoutMs = 120_000, env, stdio } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: stdio ?? ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: env ?? process.env,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const result = { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms };
  if (!allowFail && (r.error || r.status !== 0)) {
    const why = r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs} ms`
      : r.error ? r.error.message
      : r.status === null ? `killed by ${r.signal}`
      : `exit ${r.status}`;
    const tail = result.stderr.trim().split('\n').slice(-5).join('\n  ');
    throw new BenchError(`Cannot run "${shellQuote(argv)}": ${why}${tail ? `\n  ${tail}` : ''}`);
  }
  return result;
}

/** Runs argv and returns its trimmed stdout. */
export function output(argv, opts = {}) {
  return run(argv, { ...opts, capture: true }).stdout.trim();
}

export function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
