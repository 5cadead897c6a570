// `pman restart`: stop, then start again. Between the two the container is exited, so the record
// says that a restart is under way (state.restarting, with this process's identity): `pman logs
// -f` keeps following through it instead of ending at the stop.
import type { Context } from '../context.js';
import { processStartTime } from '../util/proc.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainer, updateContainer } from '../state/containers.js';
import { startDetached } from './start.js';
import { containerEvents } from '../events/events-file.js';
import { stopContainer } from './stop.js';

export async function restartContainer(ctx: Context, rec: ContainerRecord, timeoutSec?: number): Promise<ContainerRecord> {
  const marker = { pid: process.pid, startTime: processStartTime(process.pid) };
  await updateContainer(ctx, rec.id, (r) => {
    r.state.restarting = marker;
  });
  try {
    await stopContainer(ctx, loadContainer(ctx, rec.id), timeoutSec);
    const started = await startDetached(ctx, loadContainer(ctx, rec.id));
    containerEvents(ctx, started, ['restart']);
    return started;
  } finally {
    await updateContainer(ctx, rec.id, (r) => {
      delete r.state.restarting;
    }).catch(() => undefined); // removed meanwhile
  }
}
