// A pod's member containers join the namespaces of its infra container (docs/pods.md). The paths
// of the infra's namespaces change each time the infra starts (its pid), so a member's config.json
// gets them when the member starts (refreshPodNamespaces), after the infra is running. A bridge
// infra's network namespace is the file pman bind-mounted for it, the same path every run.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, InvalidStateError } from '../errors.js';
import { netnsPath } from '../network/network-paths.js';
import { SHARE_TYPES } from '../oci/spec-identity.js';
import { parseSpec, serializeSpec } from '../oci/spec.js';
import { writeFileAtomic } from '../state/atomic.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { loadContainer } from '../state/containers.js';
import type { PodRecord } from '../state/pod-record.js';
import { loadPod, resolvePod } from '../state/pods.js';
import { containerDir } from '../state/paths.js';

export interface PodMember {
  pod: PodRecord;
  infra?: ContainerRecord;
}

/** The pod and infra of a member container; undefined for a container outside pods and for an infra. */
export function podOf(ctx: Context, rec: ContainerRecord): PodMember | undefined {
  if (!rec.config.pod || rec.config.infra) return undefined;
  const pod = loadPod(ctx, rec.config.pod);
  return { pod, infra: pod.infraId ? loadContainer(ctx, pod.infraId) : undefined };
}

/**
 * The one place a container joins another's namespaces by path (OCI type -> path): the infra's
 * bind-mounted network namespace when it has one, else /proc/<its pid>/ns/<type>.
 */
export function joinNamespaces(ctx: Context, owner: ContainerRecord, share: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of share) {
    const type = SHARE_TYPES[s];
    out[type] = type === 'network' && owner.config.network?.mode === 'bridge' ? netnsPath(ctx, owner.id) : `/proc/${owner.state.pid}/ns/${s}`;
  }
  return out;
}

/** The namespaces a member's bundle joins (empty for a pod without infra). */
export function memberNamespaces(ctx: Context, m: PodMember): Record<string, string> {
  return m.infra ? joinNamespaces(ctx, m.infra, m.pod.share) : {};
}

/** A member sharing the pod's network uses the infra's /etc/hosts and /etc/resolv.conf (one file for all). */
export function memberEtcFiles(ctx: Context, m: PodMember): { hosts: string; resolvConf: string } | undefined {
  if (!m.infra || !m.pod.share.includes('net')) return undefined;
  const dir = containerDir(ctx, m.infra.id);
  return { hosts: path.join(dir, 'hosts'), resolvConf: path.join(dir, 'resolv.conf') };
}

/** What a new member of `podRef` takes from its pod: its ID, and the pod's host name when UTS is shared. */
export function joinPod(ctx: Context, podRef: string, networkGiven: boolean): { pod: PodRecord; hostname?: string } {
  const pod = resolvePod(ctx, podRef);
  if (networkGiven && pod.infraId && pod.share.includes('net')) {
    throw new InvalidArgumentError(`cannot join pod "${pod.name}" with network options: the pod shares its network, set --network, -p and --dns on "pman pod create" instead`);
  }
  const infra = pod.infraId ? loadContainer(ctx, pod.infraId) : undefined;
  return { pod, hostname: infra && pod.share.includes('uts') ? infra.config.hostname : undefined };
}

/**
 * Adds a member's name to the pod's shared /etc/hosts (as podman does), with the infra's own
 * address, so members reach each other by name.
 */
export function addMemberHost(ctx: Context, m: PodMember, name: string): void {
  const files = memberEtcFiles(ctx, m);
  if (!files) return;
  const text = fs.readFileSync(files.hosts, 'utf8');
  const own = text.split('\n').find((l) => l.endsWith(` ${m.infra!.name}`));
  const ip = own?.split('\t')[0] ?? '127.0.1.1';
  // Appended in place: running members have this very file (its inode) bind-mounted.
  fs.appendFileSync(files.hosts, `${text.endsWith('\n') || text === '' ? '' : '\n'}${ip}\t${name}\n`);
}

/** Rewrites a member's config.json with the namespace paths of its pod's running infra. */
export function refreshPodNamespaces(ctx: Context, rec: ContainerRecord): void {
  const m = podOf(ctx, rec);
  if (!m?.infra) return;
  if (!isRunning(m.infra) || m.infra.state.pid <= 0) {
    throw new InvalidStateError(`cannot start container "${rec.name}": the infra container of pod "${m.pod.name}" is not running; start the pod first`);
  }
  const file = path.join(containerDir(ctx, rec.id), 'config.json');
  const spec = parseSpec(fs.readFileSync(file, 'utf8')) as { linux: { namespaces: Array<{ type: string; path?: string }> } };
  const joined = memberNamespaces(ctx, m);
  spec.linux.namespaces = spec.linux.namespaces.map((n) => (joined[n.type] ? { type: n.type, path: joined[n.type] } : n));
  writeFileAtomic(file, serializeSpec(spec as unknown as Record<string, unknown>), 0o600);
}
