// The container configuration options of create/run (storage, resources, security, network,
// metadata, init, restart) checked against the host and turned into record fields, before
// anything is created; then, once the record exists, the storage it needs is prepared (volumes
// created and filled from the image, U ownership). docs/configuration.md describes every option.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { cgroupVersion } from '../cgroup/cgroup.js';
import { capabilitySets, hostCapabilities } from '../oci/capabilities.js';
import { DEFAULT_CAPS, type HostDevice } from '../oci/spec-security.js';
import { loadSeccompProfile } from '../oci/seccomp-profile.js';
import type { SeccompProfile } from '../oci/seccomp-default.js';
import { hostDevices } from '../oci/host-devices.js';
import { groupIdsOf } from '../oci/user.js';
import type { ResolvedUser } from '../oci/spec.js';
import type { ContainerConfig, ContainerRecord, MountConfig } from '../state/container-record.js';
import { resolveContainer } from '../state/containers.js';
import { newId } from '../state/ids.js';
import { checkDuplicateDestinations, parseMountFlag, parseTmpfsFlag, parseVolumeFlag, parseVolumesFrom } from './parse/mounts.js';
import { parseResources, type ResourceFlags } from './parse/resources.js';
import { probeHostCgroup, withResourceExtras, type ResourceExtraFlags } from './parse/resources-extra.js';
import { parseSecretFlags } from './parse/secrets.js';
import { resolveSecretRequests } from './secret-mounts.js';
import { checkRootlessResources } from '../rootless/unsupported.js';
import { parseSecurity, type SecurityFlags } from './parse/security.js';
import { containerIdMaps, type IdMapFlags } from './idmaps.js';
import { resolveJoin } from '../network/join.js';
import { defaultNetworkMode, parseNetwork, type NetworkFlags } from './parse/network.js';
import { isUserMode } from '../network/user-mode/options.js';
import { checkUserModeUsable, defaultUserMode } from '../network/user-mode/usable.js';
import { parseAnnotations, readLabelFile } from './parse/metadata.js';
import { parseRestartPolicy } from './parse/restart.js';
import type { HealthFlags } from './parse/health.js';

/** The configuration flags of create/run, as typed options (lib/commands/create-config-flags.ts). */
export interface ConfigOptions {
  /** The caller's working directory, for relative host paths. */
  cwd: string;
  volumes: string[];
  mounts: string[];
  tmpfs: string[];
  volumesFrom: string[];
  readOnly: boolean;
  readOnlyTmpfs: boolean;
  /** --image-volume: bind (default), tmpfs or ignore. */
  imageVolume?: string;
  resources: ResourceFlags;
  /** --device*, --blkio-*, --cpu-period/-quota/-rt-*, --memory-swappiness, --cgroup-conf. */
  resourceExtras?: ResourceExtraFlags;
  /** --secret, as given (docs/secrets.md). */
  secrets?: string[];
  /** --uidmap, --gidmap, --subuidname, --subgidname (docs/userns.md). */
  idMaps?: IdMapFlags;
  security: Omit<SecurityFlags, 'rootless' | 'cwd'>;
  network: NetworkFlags;
  envHost: boolean;
  labelFiles: string[];
  annotations: string[];
  init: boolean;
  initPath?: string;
  restart?: string;
  /** --health-* and --no-healthcheck, merged over the image's HEALTHCHECK by create.ts. */
  health?: HealthFlags;
}

export function emptyConfigOptions(cwd = '/'): ConfigOptions {
  return {
    cwd,
    volumes: [],
    mounts: [],
    tmpfs: [],
    volumesFrom: [],
    readOnly: false,
    readOnlyTmpfs: true,
    resources: { ulimits: [] },
    security: { capAdd: [], capDrop: [], securityOpts: [], groupAdd: [] },
    network: { dns: [], dnsSearch: [], dnsOptions: [], addHosts: [] },
    envHost: false,
    labelFiles: [],
    annotations: [],
    init: false,
  };
}

/** Everything create.ts needs beyond the record fields. */
export interface PreparedConfig {
  fields: Partial<ContainerConfig>;
  /** Labels from --label-file (before -l, which wins). */
  fileLabels: string[];
  /** The user's seccomp profile, read now so a bad file fails before anything exists. */
  seccompProfile?: SeccompProfile;
  initPath?: string;
  hostDevices?: HostDevice[];
  /** Group IDs from --group-add, added to the process's groups. */
  extraGids: number[];
  /** Volumes -v /path asked for: created anonymous. */
  anonymousVolumes: string[];
}

const INIT_CANDIDATES = ['/usr/bin/catatonit', '/usr/libexec/podman/catatonit', '/usr/local/bin/catatonit', '/usr/bin/tini', '/usr/local/bin/tini'];

function findInit(given: string | undefined): string {
  if (given !== undefined) {
    if (!path.isAbsolute(given) || !fs.existsSync(given)) throw new InvalidArgumentError(`invalid --init-path "${given}": no such file (give an absolute path)`);
    return given;
  }
  const found = INIT_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new InvalidArgumentError(`--init needs catatonit (or tini) on the host: install the catatonit package or pass --init-path`);
  return found;
}

function bindSourceExists(m: MountConfig, flag: string): void {
  if (m.type !== 'bind') return;
  try {
    fs.statSync(m.source);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (err as Error).message;
    throw new InvalidArgumentError(`invalid ${flag}: bind source "${m.source}" ${why}`);
  }
}

/** Mounts copied from --volumes-from containers (binds and volumes), with an optional forced mode. */
function mountsFrom(ctx: Context, specs: string[], taken: Set<string>): MountConfig[] {
  const out: MountConfig[] = [];
  for (const spec of specs) {
    const { ref, mode } = parseVolumesFrom(spec);
    let src: ContainerRecord;
    try {
      src = resolveContainer(ctx, ref);
    } catch (err) {
      if (err instanceof NotFoundError) throw new InvalidArgumentError(`invalid --volumes-from "${spec}": no container "${ref}"`);
      throw err;
    }
    for (const m of src.config.mounts ?? []) {
      if (m.type === 'tmpfs' || taken.has(m.destination)) continue;
      let options = m.options;
      if (mode) options = [...options.filter((o) => o !== 'ro' && o !== 'rw'), ...(mode === 'ro' ? ['ro'] : [])];
      out.push({ ...m, options });
      taken.add(m.destination);
    }
  }
  return out;
}

/** Resolves --group-add names with the image's /etc/group. */
export interface PrepareFacts {
  user: ResolvedUser;
  /** The image's /etc/group, for --group-add names. */
  groupText: string;
  /** --rm: podman refuses it together with a restart policy. */
  autoRemove: boolean;
  /** The image's VOLUME paths. */
  imageVolumes?: string[];
  /** The parent cgroup of the container's (--cgroup-parent or its pod's), when not pman's /pman. */
  cgroupParent?: string;
}

const IMAGE_VOLUME_MODES = ['bind', 'tmpfs', 'ignore'];

/**
 * Mounts for the image's VOLUME paths that no option mounts already: a new anonymous volume each
 * (filled from the image by copy-up), a tmpfs, or nothing, as podman's --image-volume says.
 */
function imageVolumeMounts(paths: string[], mode: string | undefined, taken: Set<string>): MountConfig[] {
  const m = mode ?? 'bind';
  if (!IMAGE_VOLUME_MODES.includes(m)) throw new InvalidArgumentError(`invalid --image-volume "${m}": use bind, tmpfs or ignore`);
  if (m === 'ignore') return [];
  const out: MountConfig[] = [];
  for (const p of paths) {
    const destination = path.posix.normalize(p).replace(/(.)\/$/, '$1');
    if (!destination.startsWith('/') || destination === '/' || taken.has(destination)) continue;
    taken.add(destination);
    out.push(m === 'tmpfs' ? { type: 'tmpfs', source: 'tmpfs', destination, options: [] } : { type: 'volume', source: '', destination, options: [] });
  }
  return out;
}

/**
 * The checks of the options that need nothing from the image, made before an image is pulled, so
 * a mistyped flag is reported at once rather than after a download (or a failed one).
 * prepareConfig makes them again with the image's facts.
 */
export function checkOptionsBeforePull(ctx: Context, o: ConfigOptions): void {
  for (const v of o.volumes) parseVolumeFlag(v, o.cwd);
  for (const v of o.mounts) parseMountFlag(v, o.cwd);
  for (const v of o.tmpfs) parseTmpfsFlag(v);
  parseResources(o.resources);
  parseSecurity({ ...o.security, rootless: ctx.rootless, cwd: o.cwd });
  containerIdMaps(ctx, o.idMaps, o.security.userns);
  parseNetwork({ ...o.network, network: o.network.network ?? defaultNetworkMode(ctx.rootless) }, () => undefined, ctx.rootless ? defaultUserMode() : undefined);
  parseRestartPolicy(o.restart);
}

/** Checks every configuration option and computes the record fields; creates nothing. */
export function prepareConfig(ctx: Context, o: ConfigOptions, facts: PrepareFacts): PreparedConfig {
  const fields: Partial<ContainerConfig> = {};
  // Storage.
  const explicit = [
    ...o.volumes.map((v) => ({ m: parseVolumeFlag(v, o.cwd), flag: `--volume "${v}"` })),
    ...o.mounts.map((v) => ({ m: parseMountFlag(v, o.cwd), flag: `--mount "${v}"` })),
    ...o.tmpfs.map((v) => ({ m: parseTmpfsFlag(v), flag: `--tmpfs "${v}"` })),
  ];
  for (const { m, flag } of explicit) {
    if (m.destination === '/') throw new InvalidArgumentError(`invalid ${flag}: cannot mount over the container's root "/"`);
    bindSourceExists(m, flag);
  }
  const mounts = explicit.map((e) => e.m);
  checkDuplicateDestinations(mounts);
  const taken = new Set(mounts.map((m) => m.destination));
  mounts.push(...mountsFrom(ctx, o.volumesFrom, taken));
  mounts.push(...imageVolumeMounts(facts.imageVolumes ?? [], o.imageVolume, taken));
  const anonymousVolumes: string[] = [];
  for (const m of mounts) {
    if (m.type === 'volume' && m.source === '') {
      m.source = newId(); // anonymous: a fresh volume of its own
      anonymousVolumes.push(m.source);
    }
    if (m.type === 'tmpfs' && m.options.includes('U') && !m.options.some((x) => x.startsWith('uid=') || x.startsWith('gid='))) {
      m.options = [...m.options, `uid=${facts.user.uid}`, `gid=${facts.user.gid}`];
    }
  }
  if (mounts.length) fields.mounts = mounts;
  if (o.volumesFrom.length) fields.volumesFrom = o.volumesFrom;
  if (o.readOnly) {
    fields.readOnly = true;
    fields.readOnlyTmpfs = o.readOnlyTmpfs;
  }
  // Resources.
  const probe = facts.cgroupParent === undefined ? undefined : () => probeHostCgroup(undefined, facts.cgroupParent);
  const { resources, devices } = withResourceExtras(parseResources(o.resources), o.resourceExtras, ctx.warn, probe);
  if (devices) fields.devices = devices;
  if (o.secrets?.length) fields.secrets = resolveSecretRequests(ctx, parseSecretFlags(o.secrets));
  if (resources) {
    // Rootless containers get no cgroup: refuse the first limit given, naming its flag.
    if (ctx.rootless) checkRootlessResources(resources);
    if (resources.oomKillDisable && cgroupVersion() === 2) {
      ctx.warn('--oom-kill-disable has no effect on cgroup v2 (the kernel has no switch for it there); ignoring it');
      delete resources.oomKillDisable;
    }
    fields.resources = resources;
  }
  // Security.
  const security = parseSecurity({ ...o.security, rootless: ctx.rootless, cwd: o.cwd });
  if (security) fields.security = security;
  const idMaps = containerIdMaps(ctx, o.idMaps, o.security.userns, facts.user, mounts, o.network.network);
  if (idMaps) fields.idMaps = idMaps;
  const missing = (security?.capAdd ?? []).filter((c) => c !== 'ALL' && !hostCapabilities().includes(c));
  if (missing.length) {
    throw new InvalidArgumentError(`cannot add ${missing.join(', ')}: pman itself does not hold ${missing.length > 1 ? 'them' : 'it'} (not in its bounding set), so no container can get ${missing.length > 1 ? 'them' : 'it'}`);
  }
  // Network and identity.
  // Without --network: root's containers join the default bridge, a rootless one gets its
  // user-mode stack (parseNetwork's default).
  const network = parseNetwork({ ...o.network, network: o.network.network ?? defaultNetworkMode(ctx.rootless) }, ctx.warn, ctx.rootless ? defaultUserMode() : undefined);
  resolveJoin(ctx, network);
  if (network && isUserMode(network.mode)) checkUserModeUsable(ctx, network.mode, o.network.network !== undefined);
  if (network) fields.network = network;
  const annotations = parseAnnotations(o.annotations);
  if (annotations) fields.annotations = annotations;
  // Process.
  let initPath: string | undefined;
  if (o.init) {
    initPath = findInit(o.initPath);
    fields.init = true;
  }
  const restart = parseRestartPolicy(o.restart);
  if (restart) {
    if (facts.autoRemove && restart.name !== 'no') throw new InvalidArgumentError(`the --rm option conflicts with --restart ${o.restart}: a container removed at exit cannot be restarted`);
    fields.restartPolicy = restart;
  }
  const prepared: PreparedConfig = {
    fields,
    fileLabels: o.labelFiles.flatMap(readLabelFile),
    initPath,
    extraGids: security?.groupAdd ? groupIdsOf(security.groupAdd, facts.groupText) : [],
    anonymousVolumes,
  };
  if (security?.seccomp && security.seccomp !== 'unconfined') {
    const caps = capabilitySets({ defaults: security.defaultCaps ?? DEFAULT_CAPS, ...security, uid: facts.user.uid, available: hostCapabilities() });
    prepared.seccompProfile = loadSeccompProfile(security.seccomp, caps.bounding);
  }
  if (security?.privileged) prepared.hostDevices = hostDevices();
  return prepared;
}

/** The host name a container gets without --hostname: the host's with --network host, else its short ID. */
export function defaultHostname(o: ConfigOptions | undefined, shortId: string): string {
  return o?.network.network === 'host' ? os.hostname() : shortId;
}

/** The proxy variables podman passes into a container with --http-proxy (its default). */
const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'ftp_proxy', 'FTP_PROXY', 'no_proxy', 'NO_PROXY'];

/** pman's proxy variables that are set, as KEY=VALUE lines. */
export function proxyEnv(hostEnv: NodeJS.ProcessEnv): string[] {
  return PROXY_VARS.filter((k) => hostEnv[k] !== undefined).map((k) => `${k}=${hostEnv[k]}`);
}

/** pman's own environment as KEY=VALUE lines, for --env-host. */
export function hostEnvList(o: ConfigOptions | undefined, hostEnv: NodeJS.ProcessEnv): string[] {
  if (!o?.envHost) return [];
  return Object.entries(hostEnv)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
}
