// `pman exec --preserve-fds N`: the caller's descriptors 3..3+N-1 passed into the exec'd process,
// as podman passes them (runc's own --preserve-fds). The container's shim runs ordinary exec
// sessions, but it is not a child of this command and cannot be handed descriptors, so this
// command runs `runc exec` itself, in the foreground: runc inherits the descriptors at the same
// numbers (and stdio directly, a terminal too), passes them on, and exits with the process's
// status. docs/shim-protocol.md ("Exec with --preserve-fds") gives the trade-offs.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { runtimeError, runtimeExit, runtimeMessage, spawnRuntime } from '../oci/runtime.js';
import { serializeSpec } from '../oci/spec.js';
import type { ExecRequest } from '../shim/protocol.js';
import { processSpec } from '../shim/exec-process.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerRunDir, runcRoot } from '../state/paths.js';

/** The descriptors 3..3+n-1 of this process; one that is not open is refused, naming it. */
export function preservedFds(n: number): number[] {
  const fds = Array.from({ length: n }, (_, i) => 3 + i);
  for (const fd of fds) {
    let target = '';
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      /* not open */
    }
    // Node takes the lowest free numbers for its own epoll and eventfd descriptors: one found
    // there was not given by the caller (a pipe of Node's cannot be told from one given).
    if (!target || target.startsWith('anon_inode:[event')) {
      throw new InvalidArgumentError(`--preserve-fds ${n}: file descriptor ${fd} was not given to pman; open descriptors 3 to ${2 + n} for it (e.g. "3<file")`);
    }
  }
  return fds;
}

/** Runs the request with runc exec in the foreground; resolves with the process's exit status. */
export async function execWithFds(ctx: Context, rec: ContainerRecord, req: ExecRequest, fds: number[], interactive: boolean): Promise<number> {
  const dir = path.join(containerRunDir(ctx, rec.id), 'execs');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `fds-${process.pid}-${randomBytes(4).toString('hex')}`;
  const specFile = path.join(dir, `${name}.process.json`);
  const logFile = path.join(dir, `${name}.runc.log`);
  fs.writeFileSync(specFile, serializeSpec(processSpec({ ctx, rec }, req)), { mode: 0o600 });
  const rt = { runtime: rec.config.runtime, root: runcRoot(ctx), logFile };
  try {
    const child = spawnRuntime(rt, 'exec', ['--preserve-fds', String(fds.length), '--process', specFile, rec.id], {
      stdio: [interactive || req.tty ? 0 : 'ignore', 1, 2, ...fds],
    });
    // Terminal signals reach runc in this process group; runc hands them to the process.
    const ignore = () => undefined;
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) process.on(s, ignore);
    const code = await runtimeExit(rt, child);
    // runc's own failure (the command not found …) is in its log; the process's status is not.
    const failed = fs.existsSync(logFile) && /"level":"error"/.test(fs.readFileSync(logFile, 'utf8'));
    if (failed) throw runtimeError('exec in the container', runtimeMessage(rt));
    return code;
  } finally {
    for (const f of [specFile, logFile]) fs.rmSync(f, { force: true });
  }
}
