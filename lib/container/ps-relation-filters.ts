// `ps --filter` keys that relate a container to something else in the store, as podman 4.3.1 reads
// them: before=/since= another container (by name or ID; created before/after it), until= a
// moment, pod= a pod, network= a network (by name or ID; a pod or network that does not exist
// matches nothing, as in podman), restart-policy= (`none` matches the containers made without
// --restart, `no` those made with `--restart no`, as podman 4.3.1 tells them apart).
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import { loadNetwork } from '../network/networks.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolveContainer } from '../state/containers.js';
import { resolvePod } from '../state/pods.js';

export const RELATION_KEYS = ['before', 'since', 'until', 'pod', 'network', 'restart-policy'];

const POLICIES = ['none', 'no', 'on-failure', 'always', 'unless-stopped'];

/** The other object named, or undefined when there is none (podman's pod=/network= skip it). */
function orNone<T>(find: () => T): T | undefined {
  try {
    return find();
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** The filter for one of RELATION_KEYS; a container named by before=/since= must exist. */
export function relationFilter(ctx: Context, key: string, value: string): (r: ContainerRecord) => boolean {
  const created = (r: ContainerRecord) => Date.parse(r.created);
  switch (key) {
    case 'before': {
      const t = created(resolveContainer(ctx, value));
      return (r) => created(r) < t;
    }
    case 'since': {
      const t = created(resolveContainer(ctx, value));
      return (r) => created(r) > t;
    }
    case 'until': {
      const t = parseUntil(value);
      return (r) => created(r) < t;
    }
    case 'pod': {
      const pod = orNone(() => resolvePod(ctx, value));
      return (r) => pod !== undefined && r.config.pod === pod.id;
    }
    case 'network': {
      const net = orNone(() => loadNetwork(ctx, value));
      return (r) => net !== undefined && Object.hasOwn(r.config.network?.networks ?? {}, net.name);
    }
    case 'restart-policy':
      if (!POLICIES.includes(value)) throw new InvalidArgumentError(`invalid restart-policy filter "${value}": use one of ${POLICIES.join(', ')}`);
      return (r) => (r.config.restartPolicy?.name ?? 'none') === value;
    default:
      throw new InvalidArgumentError(`invalid --filter "${key}=${value}": not a relation filter`);
  }
}
