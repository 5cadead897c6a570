// One health probe: the check's command run in the container as its own process runs (user,
// environment, working directory), as an exec session the shim keeps to itself (no client, never
// listed, no exec events); its output kept up to a bound, its process group killed at the timeout.
// Loaded only with lib/shim/health-monitor.ts, by shims whose container has a check.
import type { WaitResult } from '../native/native.js';
import type { ExecManager } from './exec-manager.js';

/** The result of a health probe run as an exec session. */
export interface ProbeResult {
  exitCode: number;
  output: Buffer;
  timedOut: boolean;
}

/** Runs `args` as a probe: output kept up to `keepBytes`, killed after `timeoutMs`. */
export async function runProbe(exec: ExecManager, args: string[], timeoutMs: number, keepBytes: number): Promise<ProbeResult> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let timedOut = false;
  let done: (status: WaitResult) => void = () => {};
  const finished = new Promise<WaitResult>((resolve) => (done = resolve));
  const output = (chunk: Buffer) => {
    if (kept >= keepBytes) return;
    chunks.push(chunk.subarray(0, keepBytes - kept));
    kept += Math.min(chunk.length, keepBytes - kept);
  };
  const session = await exec.startOwn(args, { output, done });
  // Once reaped, the process is gone even if its outputs are still draining: no timeout then.
  const timer = setTimeout(() => {
    if (session.status) return;
    timedOut = true;
    killGroup(session.pid);
  }, timeoutMs);
  try {
    const end = await finished;
    return { exitCode: end.code, output: Buffer.concat(chunks), timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILL to a probe and whatever it started in its process group (runc makes it a session leader). */
function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* no such group, or already gone */
    }
  }
}
