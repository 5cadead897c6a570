// pod start/stop/restart/kill/pause/unpause: the container operation applied to each of the pod's
// containers in podman's order (the infra starts first and stops last).
import type { Context } from '../context.js';
import { InvalidStateError } from '../errors.js';
import { pauseContainer, unpauseContainer } from '../container/pause.js';
import { startDetached } from '../container/start.js';
import { killContainer, stopContainer } from '../container/stop.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isPaused, isRunning, isRunningNotPaused } from '../state/container-status.js';
import type { PodRecord } from '../state/pod-record.js';
import { podContainers, podStatus } from './members.js';

function members(pod: PodRecord, all: ContainerRecord[]): { infra?: ContainerRecord; others: ContainerRecord[] } {
  return { infra: all.find((c) => c.id === pod.infraId), others: all.filter((c) => c.id !== pod.infraId) };
}

export async function startPod(ctx: Context, pod: PodRecord): Promise<void> {
  const { infra, others } = members(pod, await podContainers(ctx, pod));
  if (infra && !isRunning(infra)) await startDetached(ctx, infra);
  const failed: string[] = [];
  for (const c of others) {
    if (isRunning(c)) continue;
    try {
      await startDetached(ctx, c);
    } catch (err) {
      failed.push(`${c.name}: ${(err as Error).message}`);
    }
  }
  if (failed.length) throw new InvalidStateError(`cannot start every container of pod "${pod.name}": ${failed.join('; ')}`);
}

export async function stopPod(ctx: Context, pod: PodRecord, timeout?: number): Promise<void> {
  const { infra, others } = members(pod, await podContainers(ctx, pod));
  await Promise.all(others.map((c) => stopContainer(ctx, c, timeout)));
  if (infra) await stopContainer(ctx, infra, timeout);
}

export async function restartPod(ctx: Context, pod: PodRecord, timeout?: number): Promise<void> {
  await stopPod(ctx, pod, timeout);
  await startPod(ctx, pod);
}

/** Signals every running container of the pod; none running is no error (podman 4.3.1: exit 0). */
export async function killPod(ctx: Context, pod: PodRecord, signal: string): Promise<void> {
  const { infra, others } = members(pod, (await podContainers(ctx, pod)).filter(isRunning));
  await Promise.all(others.map((c) => killContainer(ctx, c, signal)));
  if (infra) await killContainer(ctx, infra, signal);
}

/** Pauses every running container of the pod; none running is no error, as in podman 4.3.1. */
export async function pausePod(ctx: Context, pod: PodRecord): Promise<void> {
  for (const c of (await podContainers(ctx, pod)).filter(isRunningNotPaused)) await pauseContainer(ctx, c);
}

/**
 * Unpauses every paused container of the pod. As podman 4.3.1, a pod that is neither Paused nor
 * Degraded is passed over: false, and the command prints nothing for it (exit 0).
 */
export async function unpausePod(ctx: Context, pod: PodRecord): Promise<boolean> {
  const all = await podContainers(ctx, pod);
  const status = podStatus(all);
  if (status !== 'Paused' && status !== 'Degraded') return false;
  for (const c of all.filter(isPaused)) await unpauseContainer(ctx, c);
  return true;
}
