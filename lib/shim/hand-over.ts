// Handing a container to a launched shim, inside the record update that names it (the caller
// holds the container's lock): `pman start` (lib/container/start.ts) and the restart policy.
import fs from 'node:fs';
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { withShim } from '../state/container-status.js';
import { containerRunDir } from '../state/paths.js';
import { processStartTime } from '../util/proc.js';
import { sendOptions, shimOptions, shimPid, type ShimHandle, type StartHow } from './launch.js';

/** Names `shim` in `rec` (being updated), gives it a fresh runtime directory and its options. */
export function handOver(ctx: Context, rec: ContainerRecord, shim: ShimHandle, how: StartHow): void {
  // Whatever a previous shim left there must not be in the new one's way.
  const runDir = containerRunDir(ctx, rec.id);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  rec.state = withShim(rec.state, { shimPid: shimPid(shim, rec.name), shimStartTime: processStartTime(shim.pid) });
  sendOptions(shim, shimOptions(ctx, rec, how));
}
