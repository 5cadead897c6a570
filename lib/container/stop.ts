// `pman stop` and `pman kill`: signals go through the OCI runtime to the container's PID 1; stop
// escalates to SIGKILL after the timeout, as podman does.
import type { Context } from '../context.js';
import { InvalidStateError } from '../errors.js';
import { runtimeKill } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { runcRoot } from '../state/paths.js';
import { unpauseContainer } from './pause.js';
import { reconcile } from './reconcile.js';
import { parseSignal, signalNumber } from './parse/signals.js';
import { waitForExit } from './wait.js';
import { containerEvents } from '../events/events-file.js';
import { assertCan, isPaused, isRunning } from '../state/container-status.js';
import { failpoint } from '../util/failpoint.js';
import { processStartTime } from '../util/proc.js';

async function sendSignal(ctx: Context, rec: ContainerRecord, sig: string): Promise<boolean> {
  return runtimeKill({ runtime: rec.config.runtime, root: runcRoot(ctx) }, rec.id, signalNumber(sig));
}

/** Sends a signal to a running container. */
export async function killContainer(ctx: Context, rec0: ContainerRecord, signal: string): Promise<ContainerRecord> {
  const sig = parseSignal(signal);
  const rec = await reconcile(ctx, rec0);
  assertCan(rec, 'kill');
  if (!(await sendSignal(ctx, rec, sig))) {
    const again = await reconcile(ctx, rec);
    if (isRunning(again)) throw new InvalidStateError(`cannot send ${sig} to container "${rec.name}": the runtime refused`);
  }
  containerEvents(ctx, rec, ['kill'], { Attributes: { signal: sig.replace(/^SIG/, '') } });
  return rec;
}

/**
 * Stops a container: its stop signal, then SIGKILL after timeoutSec. A container that is not
 * running is left as it is (like podman). Resolves once the exit is recorded.
 */
export async function stopContainer(ctx: Context, rec0: ContainerRecord, timeoutSec?: number): Promise<void> {
  let rec = await reconcile(ctx, rec0);
  // A stop is final for the restart policy, also while its shim waits to restart the container.
  if (rec.config.restartPolicy && rec.config.restartPolicy.name !== 'no') rec = await updateContainer(ctx, rec.id, (r) => void (r.state.stoppedByUser = true));
  if (!isRunning(rec)) return;
  // A frozen process cannot act on its stop signal: thaw it first.
  if (isPaused(rec)) rec = await unpauseContainer(ctx, rec);
  await updateContainer(ctx, rec.id, (r) => {
    r.state.stopping = { pid: process.pid, startTime: processStartTime(process.pid) };
  });
  try {
    await signalUntilStopped(ctx, rec, timeoutSec ?? rec.config.stopTimeout);
  } finally {
    await updateContainer(ctx, rec.id, (r) => {
      delete r.state.stopping;
    }).catch(() => undefined); // removed meanwhile (stop of a --rm container)
  }
  containerEvents(ctx, rec, ['stop']);
}

async function signalUntilStopped(ctx: Context, rec: ContainerRecord, timeout: number): Promise<void> {
  if (timeout > 0) {
    await sendSignal(ctx, rec, parseSignal(rec.config.stopSignal, 'stop signal'));
    failpoint('stop.after-signal');
    const after = await waitForExit(ctx, rec.id, timeout * 1000);
    if (!after || !isRunning(after)) return;
    ctx.warn(`StopSignal ${rec.config.stopSignal} failed to stop container ${rec.name} in ${timeout} seconds, resorting to SIGKILL`);
  }
  await sendSignal(ctx, rec, 'SIGKILL');
  await waitForExit(ctx, rec.id);
}
