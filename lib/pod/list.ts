// pod ls: every pod with its containers, filtered as podman's `pod ps --filter` does.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';
import type { PodRecord } from '../state/pod-record.js';
import { listPods } from '../state/pods.js';
import { podContainers, podStatus } from './members.js';

export interface PodListing {
  pod: PodRecord;
  containers: ContainerRecord[];
}

type Filter = (p: PodListing) => boolean;

// podman 4.3.1's values ("dead" is accepted and matches no pod, as there).
const POD_STATUSES = ['stopped', 'running', 'paused', 'exited', 'dead', 'created', 'degraded'];
const CTR_STATUSES = ['created', 'running', 'paused', 'exited'];

function regex(key: string, value: string): RegExp {
  try {
    return new RegExp(value);
  } catch {
    throw new InvalidArgumentError(`invalid ${key} filter "${value}": not a valid regular expression`);
  }
}

export function parsePodFilter(spec: string): Filter {
  const eq = spec.indexOf('=');
  const keys = 'name, id, label, status, ctr-names, ctr-ids, ctr-status, ctr-number, network, until';
  if (eq <= 0) throw new InvalidArgumentError(`invalid --filter "${spec}": use KEY=VALUE (${keys})`);
  const key = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  switch (key) {
    case 'name': {
      const re = regex(key, value);
      return (p) => re.test(p.pod.name);
    }
    case 'id':
      return (p) => p.pod.id.startsWith(value);
    case 'label': {
      const i = value.indexOf('=');
      const k = i < 0 ? value : value.slice(0, i);
      return (p) => k in p.pod.labels && (i < 0 || p.pod.labels[k] === value.slice(i + 1));
    }
    case 'status':
      if (!POD_STATUSES.includes(value)) throw new InvalidArgumentError(`invalid status filter "${value}": use one of ${POD_STATUSES.join(', ')}`);
      return (p) => podStatus(p.containers).toLowerCase() === value;
    case 'ctr-names': {
      const re = regex(key, value);
      return (p) => p.containers.some((c) => re.test(c.name));
    }
    case 'ctr-ids':
      return (p) => p.containers.some((c) => c.id.startsWith(value));
    case 'ctr-status':
      if (!CTR_STATUSES.includes(value)) throw new InvalidArgumentError(`invalid ctr-status filter "${value}": use one of ${CTR_STATUSES.join(', ')}`);
      return (p) => p.containers.some((c) => c.state.status === value);
    case 'ctr-number':
      if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`invalid ctr-number filter "${value}": use a number`);
      return (p) => p.containers.length === Number(value);
    case 'until': {
      // Pods created before that moment, as podman's.
      const t = parseUntil(value);
      return (p) => Date.parse(p.pod.created) < t;
    }
    case 'network':
      return (p) => p.containers.some((c) => c.id === p.pod.infraId && Object.keys(c.config.network?.networks ?? {}).includes(value));
    default:
      throw new InvalidArgumentError(`invalid --filter "${spec}": unknown key "${key}"; use ${keys}`);
  }
}

export async function listPodsFiltered(ctx: Context, filters: string[]): Promise<PodListing[]> {
  const checks = filters.map(parsePodFilter);
  const all = listContainers(ctx);
  const out: PodListing[] = [];
  for (const pod of listPods(ctx).sort((a, b) => b.created.localeCompare(a.created))) {
    const listing = { pod, containers: await podContainers(ctx, pod, all) };
    // Filters of different keys must all match, as in podman (the same key repeated: any).
    const byKey = new Map<string, Filter[]>();
    filters.forEach((f, i) => byKey.set(f.split('=')[0], [...(byKey.get(f.split('=')[0]) ?? []), checks[i]]));
    if ([...byKey.values()].every((fs) => fs.some((f) => f(listing)))) out.push(listing);
  }
  return out;
}

const POD_SORTS = ['created', 'id', 'name', 'number', 'status'];

/** `pod ps --sort`: created (newest first, the listing's own order), or ascending ID, name, number of containers, status word. */
export function sortPods<T extends PodListing>(pods: T[], key: string | undefined): T[] {
  if (key === undefined || key === 'created') return pods;
  if (!POD_SORTS.includes(key)) throw new InvalidArgumentError(`invalid --sort "${key}": use one of ${POD_SORTS.join(', ')}`);
  const by = (p: T): string | number => (key === 'id' ? p.pod.id : key === 'name' ? p.pod.name : key === 'status' ? podStatus(p.containers) : p.containers.length);
  return [...pods].sort((a, b) => (by(a) < by(b) ? -1 : by(a) > by(b) ? 1 : 0));
}
