// The OCI bundle of a container: config.json plus the per-container /etc files it bind-mounts
// (hostname, hosts, resolv.conf), written at create time from the record.
import fs from 'node:fs';
import path from 'node:path';
import { pmanVersion } from '../project.js';
import { InvalidArgumentError } from '../errors.js';
import type { Context } from '../context.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { generateSpec, hostHardLimits, serializeSpec, type ResolvedUser } from '../oci/spec.js';
import { rootlessSpec } from '../oci/spec-rootless.js';
import { usernsSpec } from '../oci/spec-userns.js';
import { giveToMappedRoot, idmappedBinds } from '../oci/idmap.js';
import { applyResourceExtras } from '../oci/spec-resources-extra.js';
import { applySecrets } from './secret-mounts.js';
import { ownMapping } from '../rootless/id-map.js';
import { hostsFile, resolvConf } from '../oci/spec-identity.js';
import { joinedNetnsPath } from '../network/join.js';
import { bridgeEtc } from '../oci/spec-network.js';
import { userModeEtc } from '../oci/spec-user-mode.js';
import { isUserMode } from '../network/user-mode/options.js';
import { memberEtcFiles, memberNamespaces, podOf } from './pod-member.js';
import { writeFileAtomic } from '../state/atomic.js';
import { bundleDurability } from '../state/volatile.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerDir, usernsPath } from '../state/paths.js';
import { netnsPath } from '../network/network-paths.js';
import { volumeDataDir } from '../volume/volumes.js';
import type { PreparedConfig } from './host-config.js';
import { applyExtrasSpec } from './extras-spec.js';
import { letUsernsThrough } from './idmaps.js';
import { applySpecHooks } from '../oci/spec-hooks.js';

function readHostFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return ''; // the host has none: the container's starts empty
  }
}

export interface BundleExtras {
  prepared?: PreparedConfig;
  imageArchitecture?: string;
  consoleSize?: { rows: number; cols: number };
}

/** podman's /run/.containerenv: what a process can learn of the container it runs in. */
export function containerEnv(ctx: Context, rec: ContainerRecord): string {
  const q = (v: string) => JSON.stringify(v);
  return `engine=${q(`pman-${pmanVersion()}`)}\nname=${q(rec.name)}\nid=${q(rec.id)}\nimage=${q(rec.imageName)}\nimageid=${q(rec.image)}\nrootless=${ctx.rootless ? 1 : 0}\n`;
}

export function writeBundle(ctx: Context, rec: ContainerRecord, user: ResolvedUser, { prepared, imageArchitecture, consoleSize }: BundleExtras = {}): void {
  const dir = containerDir(ctx, rec.id);
  const etc = { hostname: path.join(dir, 'hostname'), hosts: path.join(dir, 'hosts'), resolvConf: path.join(dir, 'resolv.conf'), containerEnv: path.join(dir, 'containerenv') };
  const durable = bundleDurability(rec);
  writeFileAtomic(etc.hostname, `${rec.config.hostname}\n`, 0o644, durable);
  writeFileAtomic(etc.containerEnv, containerEnv(ctx, rec), 0o644, durable);
  const member = rec.config.pod ? podOf(ctx, rec) : undefined;
  const shared = member && memberEtcFiles(ctx, member);
  const mode = rec.config.network?.mode;
  const bridge =
    mode === 'bridge' ? bridgeEtc(ctx, rec, readHostFile('/etc/resolv.conf')) : isUserMode(mode) ? userModeEtc(ctx, rec, mode, readHostFile('/etc/resolv.conf')) : undefined;
  const joined = rec.config.network?.container;
  if (shared) {
    // A pod member sharing the pod's network uses the infra's files (one for all).
    Object.assign(etc, shared);
  } else if (joined) {
    // The container whose network it joins lends its /etc/hosts and /etc/resolv.conf (as podman).
    etc.hosts = path.join(containerDir(ctx, joined), 'hosts');
    etc.resolvConf = path.join(containerDir(ctx, joined), 'resolv.conf');
  } else {
    writeFileAtomic(etc.hosts, bridge?.hosts ?? hostsFile(rec, readHostFile('/etc/hosts')), 0o644, durable);
    writeFileAtomic(etc.resolvConf, bridge?.resolvConf ?? resolvConf(rec, readHostFile('/etc/resolv.conf')), 0o644, durable);
  }
  const rootfs = rootfsPaths(ctx, rec.id);
  for (const d of [rootfs.upper, rootfs.work, rootfs.merged]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  // As podman 4.3.1's run: a named user's (--user, the image's USER) primary group is among its
  // groups too (`id` says groups=0(root),10(wheel) for -u root), and --group-add's always are.
  const primary = rec.config.user ? [user.gid] : [];
  const additionalGids = [...new Set([...primary, ...user.additionalGids, ...(prepared?.extraGids ?? [])])];
  const spec = generateSpec({
    rec,
    rootfs: rootfs.merged,
    user: { ...user, additionalGids },
    etcFiles: etc,
    hostLimits: hostHardLimits(),
    volumePath: (name) => volumeDataDir(ctx, name),
    initPath: prepared?.initPath,
    seccompProfile: prepared?.seccompProfile,
    hostDevices: prepared?.hostDevices,
    imageArchitecture,
    consoleSize,
    netnsPath: bridge?.netns ?? joinedNetnsPath(ctx, rec),
    joinedNamespaces: member ? memberNamespaces(ctx, member) : undefined,
  });
  if (rec.config.extras) applyExtrasSpec(ctx, spec, rec);
  applySecrets(ctx, applyResourceExtras(spec, rec, ctx.rootless), rec);
  if (ctx.rootless) rootlessSpec(spec, rec, ownMapping());
  if (rec.config.idMaps) {
    if (rec.config.extras?.rootfs && !rec.config.extras.rootfsOverlay) {
      throw new InvalidArgumentError('cannot give a container ID maps with --rootfs DIR used as it is: its files would not be mapped; use --rootfs DIR:O (an overlay over it, mapped like image layers)');
    }
    usernsSpec(spec, rec.config.idMaps, usernsPath(ctx, rec.id), netnsPath(ctx, rec.id), idmappedBinds(dir, rec.config.mounts));
    for (const file of new Set([etc.hostname, etc.containerEnv, etc.hosts, etc.resolvConf])) if (path.dirname(file) === dir) giveToMappedRoot(file, rec.config.idMaps);
    letUsernsThrough(ctx, rec.id);
  }
  applySpecHooks(ctx, spec, (rec.config.mounts?.length ?? 0) > 0, dir);
  writeFileAtomic(path.join(dir, 'config.json'), serializeSpec(spec), 0o600, durable);
}
