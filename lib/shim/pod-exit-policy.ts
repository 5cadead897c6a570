// A pod created with --exit-policy stop stops when its last container exits: the shim of that
// container, having recorded its exit, signals the infra (catatonit exits on SIGTERM; the infra's
// own shim records it). Each exiting member records first and checks after, so of two last
// members exiting at once at least one sees the other exited.
import type { Context } from '../context.js';
import { runtimeKill } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { listContainers } from '../state/containers.js';
import { runcRoot } from '../state/paths.js';
import { loadPod } from '../state/pods.js';

export async function applyPodExitPolicy(ctx: Context, rec: ContainerRecord, log: (m: string) => void): Promise<void> {
  if (!rec.config.pod || rec.config.infra) return;
  const policy = rec.config.restartPolicy?.name;
  if (policy && policy !== 'no') return;
  try {
    const pod = loadPod(ctx, rec.config.pod);
    if (pod.exitPolicy !== 'stop' || !pod.infraId) return;
    const mine = listContainers(ctx).filter((c) => c.config.pod === pod.id);
    const infra = mine.find((c) => c.id === pod.infraId);
    if (!infra || !isRunning(infra)) return;
    if (mine.some((c) => c.id !== pod.infraId && c.id !== rec.id && isRunning(c))) return;
    log(`last container of pod ${pod.name} exited: stopping its infra (exit policy stop)`);
    await runtimeKill({ runtime: infra.config.runtime, root: runcRoot(ctx) }, infra.id, 15);
  } catch (err) {
    log(`pod exit policy: ${(err as Error).message}`);
  }
}
