// `pman run`: create, then either start detached, or start in the foreground attached so that no
// output is missed (the shim only runs `runc start` once this client is connected).
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { attachSession, type AttachIO, type AttachResult } from './attach-client.js';
import { createContainer, type CreateOptions } from './create.js';
import { removeContainer } from './remove.js';
import { attachCreated, startCreated, startExtrasDependencies, startPodInfra } from './start.js';
import { expectedShimPid, shimPid, spawnShimWithFds, takeShim } from '../shim/launch.js';
import { updateContainer } from '../state/containers.js';
import { withShim } from '../state/container-status.js';
import { processStartTime } from '../util/proc.js';
import { trace } from '../util/trace.js';

export interface RunOptions extends CreateOptions {
  detach: boolean;
  io: AttachIO;
  detachKeys: Buffer | null;
  sigProxy: boolean;
  /** --preserve-fds: this process's descriptors 3.. for the container (its shim is spawned holding them). */
  preservedFds?: number[];
  /** Called once the container exists, before it starts (run --cidfile writes its file here). */
  onCreated?: (rec: ContainerRecord) => void;
}

export type RunResult = { rec: ContainerRecord; detached: true } | { rec: ContainerRecord; detached: false; result: AttachResult };

export async function runContainer(ctx: Context, opts: RunOptions): Promise<RunResult> {
  trace('run: start');
  // The shim (launched as this process started, see lib/main.ts) is named in the first record. Its
  // pid is known before its connection is (bin/pman's standby shim may still be booting): the
  // container is created meanwhile instead of after. --preserve-fds needs a shim of its own,
  // spawned holding the descriptors (the standby one cannot have them).
  const fdShim = opts.preservedFds?.length ? spawnShimWithFds(opts.preservedFds) : undefined;
  const expected = fdShim ? fdShim.pid : expectedShimPid();
  const taking = fdShim ? Promise.resolve(fdShim) : takeShim();
  taking.catch(() => undefined); // awaited below; a failed create must not leave it unhandled
  let rec = await createContainer(ctx, { ...opts, shimPid: expected ?? shimPid(await taking, opts.name), consoleSize: terminalSize(opts) });
  trace('run: created');
  opts.onCreated?.(rec);
  try {
    const shim = await taking;
    // The expected shim was gone (it exited, or never listened): a new one runs the container.
    if (shim.pid !== rec.state.shimPid) rec = await nameShim(ctx, rec, shimPid(shim, rec.name));
    if (rec.config.pod) await startPodInfra(ctx, rec);
    if (rec.config.extras) await startExtrasDependencies(ctx, rec);
    if (opts.detach) {
      await startCreated(ctx, rec, shim);
      return { rec, detached: true };
    }
    const result = await attachSession(ctx, rec, {
      io: opts.io,
      stdin: opts.interactive,
      tty: opts.tty,
      streams: rec.config.extras?.attach,
      start: true,
      socket: attachCreated(ctx, rec, shim),
      detachKeys: opts.detachKeys,
      sigProxy: opts.sigProxy,
    });
    return { rec, detached: false, result };
  } catch (err) {
    // A container that never ran is not left behind by `run --rm` (podman removes it too).
    if (opts.rm) await removeContainer(ctx, rec.id, { force: true, volumes: true }).catch(() => undefined);
    throw err;
  }
}

async function nameShim(ctx: Context, rec: ContainerRecord, pid: number): Promise<ContainerRecord> {
  return updateContainer(ctx, rec.id, (r) => {
    r.state = withShim(r.state, { shimPid: pid, shimStartTime: processStartTime(pid) });
  });
}

/** A foreground -t container starts with the size of our terminal (it follows later resizes). */
function terminalSize(opts: RunOptions): { rows: number; cols: number } | undefined {
  const out = opts.io.stdout;
  return opts.tty && !opts.detach && out.isTTY && out.rows > 0 && out.columns > 0 ? { rows: out.rows, cols: out.columns } : undefined;
}
