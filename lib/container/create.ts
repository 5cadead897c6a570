// `pman create` (and the first half of `pman run`): turns typed options plus the image config
// into a container record, a reserved name, and an OCI bundle ready for `runc create`.
import path from 'node:path';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError, PmanError } from '../errors.js';
// The read side of the image store only (store.js would also load import, tar and lock code).
import { givenImageName, layerDirs, resolveImage } from '../image/resolve.js';
import { assignContainerNetworks } from '../network/assign.js';
import { readImageFile, resolveUser } from '../oci/user.js';
import { initialState, type ContainerRecord, type LogDriver } from '../state/container-record.js';
import { createContainerRecord, deleteContainerFiles, markCreating, releaseName, reserveName, unmarkCreating } from '../state/containers.js';
import { newId, shortId } from '../state/ids.js';
import { containerDir } from '../state/paths.js';
import { mergeEnv, parseEnvFlag, readEnvFile } from './parse/env.js';
import { randomName } from './names.js';
import { parseSignal } from './parse/signals.js';
import { removeContainerLog } from '../logs/log-files.js';
import { checkLogPath, parseLogOptions } from '../logs/log-options.js';
import { writeBundle } from './bundle.js';
import { checkOptionsBeforePull, defaultHostname, hostEnvList, prepareConfig, proxyEnv, type ConfigOptions } from './host-config.js';
import { withContainerStorage } from './storage-setup.js';
import { hasIdMapFlags } from './parse/idmaps.js';
import { isAutoUserns } from './parse/userns-auto.js';
import { ensureImage, type PullPolicy } from '../registry/ensure-image.js';
import { processStartTime } from '../util/proc.js';
import type { PullOptions } from '../registry/pull.js';
import { withShim } from '../state/container-status.js';
import { imageHealthIrrelevant, resolveHealth } from './parse/health.js';
import { imageHealthcheck } from '../image/health.js';
import { containerEvents } from '../events/events-file.js';
import { failpoint } from '../util/failpoint.js';
import { trace } from '../util/trace.js';
import type { ExtrasFacts, ExtrasOptions, PreparedExtras } from './extras.js';
import { extrasGiven, runsSystemd } from './parse/extras.js';

export interface CreateOptions {
  image: string;
  /** Command override (after the image); empty = image Cmd. */
  command: string[];
  name?: string;
  env: string[];
  envFiles: string[];
  /** containers.conf env: below the image's Env (podman's order). */
  defaultEnv?: string[];
  /** pman's own environment, for `-e NAME` and env-file bare names. */
  hostEnv: NodeJS.ProcessEnv;
  /**
   * Where configuration files are found (CONTAINERS_STORAGE_CONF for --userns=auto), when not
   * hostEnv: the API's service gives containers none of its variables but finds files through them.
   */
  configEnv?: NodeJS.ProcessEnv;
  /** --http-proxy (run/create default true): pman's proxy variables go into the container's environment. */
  httpProxy?: boolean;
  workdir?: string;
  /** undefined = image's; '' = none; a string or a JSON array. */
  entrypoint?: string;
  user?: string;
  hostname?: string;
  labels: string[];
  rm: boolean;
  tty: boolean;
  interactive: boolean;
  logDriver?: string;
  /** --log-opt KEY=VALUE values, as given. */
  logOpts?: string[];
  runtime?: string;
  stopSignal?: string;
  stopTimeout?: number;
  /** --pull and the registry settings for it; without it only local images are used. */
  pull?: { policy: PullPolicy; options: Omit<PullOptions, 'reference'> };
  /** Storage, resources, security, network, init and restart options (host-config.ts). */
  config?: ConfigOptions;
  /** podman's run/create flags of #20, part 1 (lib/container/extras.ts). */
  extras?: ExtrasOptions;
  /** The shim already launched for this container (run): named in its first record. */
  shimPid?: number;
  /** The size of the terminal a -t container starts with (the client's, for run -it). */
  consoleSize?: { rows: number; cols: number };
  /** --pod: the pod to join (name or ID); with infra, the pod's own ID (docs/pods.md). */
  pod?: string;
  infra?: boolean;
  /** Volatile without --rm (lib/state/volatile.ts): a build step's container. */
  volatile?: boolean;
  /** The command line that asked for the container (inspect's Config.CreateCommand). */
  createCommand?: string[];
}

const LOG_DRIVERS: LogDriver[] = ['k8s-file', 'json-file', 'none'];

export function parseLabels(labels: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) {
    const eq = l.indexOf('=');
    const key = eq < 0 ? l : l.slice(0, eq);
    if (!key) throw new InvalidArgumentError(`invalid --label value "${l}": use KEY=VALUE`);
    out[key] = eq < 0 ? '' : l.slice(eq + 1);
  }
  return out;
}

/** --entrypoint takes a plain string (one argument) or a JSON array, like podman. */
export function parseEntrypoint(value: string): string[] {
  if (value === '') return [];
  if (value.trim().startsWith('[')) {
    try {
      const arr = JSON.parse(value) as unknown;
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'string')) return arr as string[];
    } catch {
      /* fall through */
    }
    throw new InvalidArgumentError(`invalid --entrypoint value "${value}": use a command or a JSON array of strings`);
  }
  return [value];
}

/** A pod's member cannot have a user namespace of its own (checked before --pod new: makes the pod). */
export function checkPodMemberUserns(opts: CreateOptions): void {
  if (hasIdMapFlags(opts.config?.idMaps)) throw new InvalidArgumentError('--uidmap, --gidmap, --subuidname and --subgidname cannot be used with --pod: a pod\'s members share its user namespace');
  if (isAutoUserns(opts.config?.security.userns)) throw new InvalidArgumentError('--userns=auto cannot be used with --pod: a pod\'s members share its user namespace');
}

export async function createContainer(ctx: Context, opts: CreateOptions): Promise<ContainerRecord> {
  if (!opts.pod || opts.infra) return createOne(ctx, opts);
  checkPodMemberUserns(opts);
  // A member is created under its pod's lock: `pod rm` cannot miss it half-made.
  const { joinPod, addMemberHost, podOf } = await import('./pod-member.js');
  const { withPodLock } = await import('../state/pods.js');
  const n = opts.config?.network;
  const networkGiven = n !== undefined && (n.network !== undefined || (n.publish?.length ?? 0) > 0 || n.publishAll === true);
  const { pod, hostname } = joinPod(ctx, opts.pod, networkGiven);
  // A member sharing the pod's network is not wired itself (root's default would put it on the
  // bridge, a rootless user's on slirp4netns): it joins the infra's namespace (memberNamespaces).
  const config = opts.config && pod.infraId && pod.share.includes('net') ? { ...opts.config, network: { ...opts.config.network, network: 'none' } } : opts.config;
  // The pod's cgroup is its members' parent, unless a member gives its own (as podman).
  const extras = pod.cgroupPath && opts.extras?.cgroupParent === undefined ? { ...(opts.extras ?? (await import('./extras.js')).noExtras()), cgroupParent: pod.cgroupPath } : opts.extras;
  return withPodLock(ctx, pod.id, async () => {
    const rec = await createOne(ctx, { ...opts, config, extras, pod: pod.id, hostname: opts.hostname ?? hostname });
    addMemberHost(ctx, podOf(ctx, rec)!, rec.name);
    return rec;
  });
}

async function createOne(ctx: Context, opts: CreateOptions): Promise<ContainerRecord> {
  const logDriver = (opts.logDriver ?? 'k8s-file') as LogDriver;
  if (!LOG_DRIVERS.includes(logDriver)) {
    throw new InvalidArgumentError(`invalid --log-driver "${opts.logDriver}": use one of ${LOG_DRIVERS.join(', ')}`);
  }
  const logOptions = parseLogOptions(opts.logOpts ?? []);
  if (logOptions.path) checkLogPath(logOptions.path);
  if (opts.stopTimeout !== undefined && (!Number.isInteger(opts.stopTimeout) || opts.stopTimeout < 0)) {
    throw new InvalidArgumentError(`invalid --stop-timeout "${opts.stopTimeout}": use a whole number of seconds`);
  }
  // stop would refuse it later (the container could then only be killed).
  if (opts.stopSignal !== undefined) parseSignal(opts.stopSignal, '--stop-signal');
  if (opts.workdir !== undefined && opts.workdir !== '' && !opts.workdir.startsWith('/')) {
    throw new InvalidArgumentError(`invalid --workdir "${opts.workdir}": the working directory must be an absolute path`);
  }
  // --rootfs: the first argument is a directory, the container's one layer (extras.ts).
  const rootfs = opts.extras?.rootfs ? (await import('./extras.js')).rootfsImage(opts.image, opts.extras.cwd) : undefined;
  if (!rootfs && opts.pull && opts.config) checkOptionsBeforePull(ctx, opts.config);
  const image = rootfs?.image ?? (opts.pull ? await ensureImage(ctx, opts.image, opts.pull.policy, opts.pull.options) : resolveImage(ctx, opts.image));
  trace('create: image');
  const layers = rootfs ? [rootfs.dir] : layerDirs(ctx, image);
  const ic = image.config ?? {};
  const givenEnv = [hostEnvList(opts.config, opts.hostEnv), ...opts.envFiles.map((f) => readEnvFile(f, opts.hostEnv)), ...opts.env.map((e) => parseEnvFlag(e, opts.hostEnv))];
  // containers.conf's env comes first, then pman's proxy variables (--http-proxy): the image's,
  // then the given ones, override them.
  const defaults = opts.httpProxy ? [...(opts.defaultEnv ?? []), ...proxyEnv(opts.hostEnv)] : opts.defaultEnv ?? [];
  const baseEnv = defaults.length ? mergeEnv(defaults, ic.Env ?? []) : ic.Env ?? [];
  let env = mergeEnv(baseEnv, ...givenEnv);
  let entrypoint = ic.Entrypoint ?? [];
  let cmd = ic.Cmd ?? [];
  if (opts.entrypoint !== undefined) {
    entrypoint = parseEntrypoint(opts.entrypoint);
    cmd = [];
  }
  if (opts.command.length > 0) cmd = opts.command;
  if (entrypoint.length === 0 && cmd.length === 0) {
    throw new InvalidArgumentError(`no command specified for image "${opts.image}": it has no Cmd or Entrypoint; give a command after the image`);
  }

  const id = newId();
  const name = opts.name || randomName();
  const userSpec = opts.user ?? ic.User ?? '';
  // Resolve the user now from the image's own files, so a bad --user fails before anything exists.
  const user = resolveUser(userSpec || '0', readImageFile(layers, 'etc/passwd'), readImageFile(layers, 'etc/group'));
  const prepared = opts.config
    ? prepareConfig(ctx, opts.config, { user, groupText: readImageFile(layers, 'etc/group'), autoRemove: opts.rm, imageVolumes: Object.keys(ic.Volumes ?? {}), cgroupParent: opts.extras?.cgroupParent ? (await import('../cgroup/parent.js')).parseCgroupParent(opts.extras.cgroupParent) : undefined })
    : undefined;
  // --userns=auto: checked and sized now, its IDs allocated once the container is being created.
  const auto = isAutoUserns(opts.config?.security.userns) ? await import('./userns-auto.js') : undefined;
  const autoRequest = auto?.autoUsernsRequest(ctx, opts.config!.security.userns!, user, layers, opts.configEnv ?? opts.hostEnv, opts.config!.network.network, opts.config!.security.usernsFrom);
  const extras = await prepareExtrasOf(ctx, opts, { command: [...entrypoint, ...cmd], user, passwdText: readImageFile(layers, 'etc/passwd'), networkMode: prepared?.fields.network?.mode, addHosts: opts.config?.network.addHosts.length ?? 0, imageEnv: baseEnv, givenEnv, stopSignalGiven: opts.stopSignal !== undefined, runtime: opts.runtime ?? ctx.runtime, id, rootfsDir: rootfs?.dir, rootfsOverlay: rootfs?.overlay });
  if (extras) env = extras.env;
  const labels = { ...(ic.Labels ?? {}), ...parseLabels(prepared?.fileLabels ?? []), ...parseLabels(opts.labels) };
  const health = resolveHealth(opts.config?.health, imageHealthIrrelevant(opts.config?.health) ? undefined : imageHealthcheck(ctx, image.id));
  const hostname = opts.hostname ?? extras?.hostname ?? defaultHostname(opts.config, shortId(id));
  // Underscores too: a pod's host name is its name, and generated names are adjective_surname.
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,252})$/.test(hostname)) {
    throw new InvalidArgumentError(`invalid --hostname "${hostname}": use letters, digits, dots, dashes and underscores`);
  }

  const rec: ContainerRecord = {
    version: 1,
    id,
    name,
    created: new Date().toISOString(),
    image: image.id,
    imageName: givenImageName(ctx, opts.image, image),
    layers,
    config: {
      entrypoint,
      cmd,
      env,
      workingDir: opts.workdir || ic.WorkingDir || '/',
      user: userSpec,
      hostname,
      labels,
      stopSignal: opts.stopSignal ?? extras?.stopSignal ?? ic.StopSignal ?? 'SIGTERM',
      stopTimeout: opts.stopTimeout ?? 10,
      tty: opts.tty,
      interactive: opts.interactive,
      autoRemove: opts.rm,
      logDriver,
      logPath: logOptions.path ?? path.join(containerDir(ctx, id), 'ctr.log'),
      ...(Object.keys(logOptions.opts).length > 0 ? { logOpts: logOptions.opts } : {}),
      runtime: opts.runtime ?? ctx.runtime,
      ...prepared?.fields,
      ...health,
      ...(opts.pod ? { pod: opts.pod } : {}),
      ...(opts.infra ? { infra: true } : {}),
      ...(opts.volatile ? { volatile: true } : {}),
      ...(opts.createCommand?.length ? { createCommand: opts.createCommand } : {}),
      ...(extras && Object.keys(extras.extras).length ? { extras: extras.extras } : {}),
    },
    state: initialState(),
  };
  if (opts.shimPid) rec.state = withShim(rec.state, { shimPid: opts.shimPid, shimStartTime: processStartTime(opts.shimPid) });

  // Marked as being created before its name is reserved, until its record exists (see reserveName).
  markCreating(ctx, id);
  try {
    if (auto && autoRequest) rec.config.idMaps = await auto.reserveAutoUserns(ctx, id, autoRequest);
    await assignContainerNetworks(ctx, rec, Object.keys(ic.ExposedPorts ?? {}));
    reserveUniqueName(ctx, rec, !opts.name);
    failpoint('create.after-name');
    try {
      await withContainerStorage(ctx, rec, user, prepared?.anonymousVolumes ?? [], () => {
        createContainerRecord(ctx, rec);
        trace('create: recorded');
        failpoint('create.after-record');
        writeBundle(ctx, rec, user, { prepared, imageArchitecture: image.architecture, consoleSize: opts.consoleSize });
        failpoint('create.after-bundle');
      });
      failpoint('create.after-storage');
    } catch (err) {
      try {
        deleteContainerFiles(ctx, rec);
        removeContainerLog(ctx, rec);
      } catch {
        releaseName(ctx, rec.name, id);
      }
      if (err instanceof PmanError) throw err;
      throw new PmanError('system', `cannot create container "${rec.name}": ${(err as Error).message}`, { cause: err });
    }
  } finally {
    auto?.dropAutoReservation(ctx, id);
    unmarkCreating(ctx, id);
  }
  trace('create: bundle');
  containerEvents(ctx, rec, ['create']);
  return rec;
}

/** podman's run/create flags of #20, part 1: extras.ts is loaded only when one is given (or --systemd's default applies). */
async function prepareExtrasOf(ctx: Context, opts: CreateOptions, facts: ExtrasFacts): Promise<PreparedExtras | undefined> {
  if (!(opts.extras && extrasGiven(opts.extras)) && !runsSystemd(facts.command)) return undefined;
  const { noExtras, prepareExtras } = await import('./extras.js');
  return prepareExtras(ctx, opts.extras ?? noExtras(), facts);
}

/** Reserves rec.name; a generated name that happens to be taken is simply drawn again. */
function reserveUniqueName(ctx: Context, rec: ContainerRecord, generated: boolean): void {
  for (let attempt = 0; ; attempt++) {
    try {
      reserveName(ctx, rec.name, rec.id);
      return;
    } catch (err) {
      if (!generated || !(err instanceof ConflictError) || attempt > 20) throw err;
      rec.name = `${randomName()}${attempt > 10 ? `_${attempt}` : ''}`;
    }
  }
}
