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
import { podContainers } from './members.js';

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

/** Signals every running container of the pod; a pod with none running is an error, as in podman. */
export async function killPod(ctx: Context, pod: PodRecord, signal: string): Promise<void> {
  const running = (await podContainers(ctx, pod)).filter(isRunning);
  if (running.length === 0) throw new InvalidStateError(`cannot kill pod "${pod.name}": no container of it is running`);
  const { infra, others } = members(pod, running);
  await Promise.all(others.map((c) => killContainer(ctx, c, signal)));
  if (infra) await killContainer(ctx, infra, signal);
}

export async function pausePod(ctx: Context, pod: PodRecord, pause: boolean): Promise<void> {
  const all = await podContainers(ctx, pod);
  const targets = all.filter(pause ? isRunningNotPaused : isPaused);
  if (targets.length === 0) throw new InvalidStateError(`cannot ${pause ? 'pause' : 'unpause'} pod "${pod.name}": no container of it is ${pause ? 'running' : 'paused'}`);
  for (const c of targets) await (pause ? pauseContainer(ctx, c) : unpauseContainer(ctx, c));
}
