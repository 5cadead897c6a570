// A pod's containers and the status derived from them (a pod has no status of its own on disk).
import type { Context } from '../context.js';
import { reconcile } from '../container/reconcile.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';
import type { PodRecord } from '../state/pod-record.js';

export type PodStatus = 'Created' | 'Running' | 'Degraded' | 'Paused' | 'Exited';

/** The pod's containers, infra first, each reconciled (a dead shim is noticed here). */
export async function podContainers(ctx: Context, pod: PodRecord, all: ContainerRecord[] = listContainers(ctx)): Promise<ContainerRecord[]> {
  const mine = all.filter((c) => c.config.pod === pod.id).sort((a, b) => Number(b.id === pod.infraId) - Number(a.id === pod.infraId) || a.created.localeCompare(b.created));
  return Promise.all(mine.map((c) => reconcile(ctx, c)));
}

/**
 * podman's derivation: all created = Created, all running = Running, some running = Degraded, all
 * paused = Paused; otherwise (none running) Exited, or Created for a pod without containers.
 */
export function podStatus(containers: ContainerRecord[]): PodStatus {
  const n = containers.length;
  const count = (s: string) => containers.filter((c) => c.state.status === s).length;
  if (n === 0 || count('created') === n) return 'Created';
  if (count('running') === n) return 'Running';
  if (count('running') > 0) return 'Degraded';
  if (count('paused') === n) return 'Paused';
  if (count('paused') > 0) return 'Degraded';
  return 'Exited';
}
