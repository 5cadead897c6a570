// A pod's containers and the status derived from them (a pod has no status of its own on disk).
import type { Context } from '../context.js';
import { reconcile } from '../container/reconcile.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';
import type { PodRecord } from '../state/pod-record.js';

export type PodStatus = 'Created' | 'Running' | 'Degraded' | 'Paused' | 'Exited' | 'Stopped' | 'Errored';

/** The pod's containers, infra first, each reconciled (a dead shim is noticed here). */
export async function podContainers(ctx: Context, pod: PodRecord, all: ContainerRecord[] = listContainers(ctx)): Promise<ContainerRecord[]> {
  const mine = all.filter((c) => c.config.pod === pod.id).sort((a, b) => Number(b.id === pod.infraId) - Number(a.id === pod.infraId) || a.created.localeCompare(b.created));
  return Promise.all(mine.map((c) => reconcile(ctx, c)));
}

/**
 * podman 4.3.1's derivation: all running = Running, some running = Degraded, all paused = Paused,
 * all exited = Exited, some exited = Stopped, some unreadable = Errored, otherwise (created ones,
 * or created and paused ones) Created; a pod without containers is Created.
 */
export function podStatus(containers: ContainerRecord[]): PodStatus {
  const n = containers.length;
  const count = (s: string) => containers.filter((c) => c.state.status === s).length;
  const [running, paused, exited, created] = [count('running'), count('paused'), count('exited'), count('created')];
  if (n > 0 && running === n) return 'Running';
  if (running > 0) return 'Degraded';
  if (n > 0 && paused === n) return 'Paused';
  if (n > 0 && exited === n) return 'Exited';
  if (exited > 0) return 'Stopped';
  if (running + paused + exited + created < n) return 'Errored';
  return 'Created';
}
