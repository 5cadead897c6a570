// Which containers use a network: those whose record names it (running or not), as podman counts.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';

export function networkUsers(ctx: Context, name: string, containers: ContainerRecord[] = listContainers(ctx)): ContainerRecord[] {
  return containers.filter((c) => c.config.network?.networks?.[name] !== undefined);
}
