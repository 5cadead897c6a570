// What users see of a container: the podman-shaped `inspect` document and the `ps` row.
import path from 'node:path';
import type { Context } from '../context.js';
import { networkSettings, portBindings, portsText } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { cgroupPathOf } from '../state/container-cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';
import { shortId } from '../state/ids.js';
import { containerDir, containerRunDir } from '../state/paths.js';
import { loadImageRecord } from '../image/records.js';
import { STATS_SIZE, formatBytes } from '../format/bytes.js';
import { goTime, ZERO_TIME } from '../format/go-time.js';
import { humanDuration } from '../format/humanize.js';
import { capsView, hostConfigView, mountsView } from './view-config.js';
import { listExecSessions } from './exec.js';
import { isExited, isInitialized, isPaused, isRunningNotPaused, isStopping, shownStatus } from '../state/container-status.js';
import type { HealthStatus } from '../state/health.js';
import { containerHealth } from './healthcheck.js';
import { envView } from './env-view.js';
import { containerSizes } from './size.js';

/** podman 4.3.1's .State.Health of a container without a health check or its first result (Docker's: none). */
export const NO_HEALTH = Object.freeze({ Status: '', FailingStreak: 0, Log: null });

/** podman's State also has a Healthcheck() method giving Health: a field for templates, not a JSON key. */
function withHealthcheckMethod<T extends { Health: unknown }>(state: T): T {
  return Object.defineProperty(state, 'Healthcheck', { value: state.Health, enumerable: false });
}

/** The image's manifest digest, as podman shows it ('' when the image is gone). */
function imageDigest(ctx: Context, imageId: string): string {
  try {
    return loadImageRecord(ctx, imageId).digest;
  } catch {
    return '';
  }
}

/** size: add SizeRw and SizeRootFs (inspect --size), which walk the container's layers. */
export function inspectView(ctx: Context, rec: ContainerRecord, { size = false } = {}): Record<string, unknown> {
  const execs = isRunningNotPaused(rec) ? listExecSessions(ctx, rec) : [];
  const s = rec.state;
  const dir = containerDir(ctx, rec.id);
  const args = [...rec.config.entrypoint, ...rec.config.cmd];
  const fs = rootfsPaths(ctx, rec.id);
  const health = containerHealth(ctx, rec);
  const hc = rec.config.healthcheck;
  return {
    Id: rec.id,
    // Go times: a template prints time.Time's form, the JSON RFC 3339 (as podman's).
    Created: goTime(rec.created),
    Path: args[0] ?? '',
    Args: args.slice(1),
    State: withHealthcheckMethod({
      OciVersion: '1.0.2-dev',
      Status: shownStatus(rec),
      Running: isRunningNotPaused(rec),
      Paused: isPaused(rec),
      Restarting: false,
      OOMKilled: s.oomKilled,
      Dead: false,
      Pid: s.pid,
      ConmonPid: s.shimPid,
      ExitCode: s.exitCode,
      Error: s.error,
      StartedAt: goTime(s.startedAt),
      FinishedAt: goTime(s.finishedAt),
      // podman's State always has Health, empty without a check or a result.
      Health: health ?? NO_HEALTH,
      // podman's remaining State fields: the cgroup (/pman/<id>, or under --cgroup-parent), no checkpoints (no CRIU).
      CgroupPath: cgroupPathOf(rec),
      CheckpointedAt: ZERO_TIME,
      RestoredAt: ZERO_TIME,
    }),
    Image: rec.image,
    ImageDigest: imageDigest(ctx, rec.image),
    ImageName: rec.imageName,
    Rootfs: '',
    ResolvConfPath: path.join(dir, 'resolv.conf'),
    HostnamePath: path.join(dir, 'hostname'),
    HostsPath: path.join(dir, 'hosts'),
    StaticDir: dir,
    OCIConfigPath: path.join(dir, 'config.json'),
    OCIRuntime: rec.config.runtime,
    ConmonPidFile: '',
    PidFile: path.join(containerRunDir(ctx, rec.id), 'pid'),
    Pod: rec.config.pod ?? '',
    Namespace: '',
    IsInfra: rec.config.infra === true,
    IsService: false,
    Dependencies: [],
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    LogPath: rec.config.logDriver === 'none' ? '' : rec.config.logPath,
    Name: rec.name,
    RestartCount: s.restartCount,
    Driver: 'overlay',
    ...capsView(rec),
    ExecIDs: execs.map((e) => e.ID),
    ExecSessions: execs,
    GraphDriver: {
      Name: 'overlay',
      Data: { LowerDir: rec.layers.join(':'), UpperDir: fs.upper, WorkDir: fs.work, MergedDir: fs.merged },
    },
    ...(size ? containerSizes(ctx, rec) : {}),
    Mounts: mountsView(ctx, rec),
    NetworkSettings: networkSettings(ctx, networkHolder(ctx, rec)),
    Config: {
      Hostname: rec.config.hostname,
      Domainname: '',
      User: rec.config.user,
      AttachStdin: rec.config.interactive,
      AttachStdout: true,
      AttachStderr: true,
      Tty: rec.config.tty,
      OpenStdin: rec.config.interactive,
      StdinOnce: false,
      Env: envView(ctx, rec),
      Cmd: rec.config.cmd,
      Image: rec.imageName,
      WorkingDir: rec.config.workingDir,
      Entrypoint: rec.config.entrypoint,
      Labels: rec.config.labels,
      Annotations: rec.config.annotations ?? {},
      StopSignal: rec.config.stopSignal,
      StopTimeout: rec.config.stopTimeout,
      ...(hc
        ? {
            Healthcheck: { Test: hc.test, Interval: hc.interval ?? 0, Timeout: hc.timeout ?? 0, StartPeriod: hc.startPeriod ?? 0, StartInterval: hc.startInterval ?? 0, Retries: hc.retries ?? 0 },
            HealthcheckOnFailureAction: rec.config.healthOnFailure ?? 'none',
          }
        : {}),
      Volumes: null,
      OnBuild: null,
      // podman leaves the key out when there is none (omitempty); a template still sees [].
      ...(rec.config.createCommand ? { CreateCommand: rec.config.createCommand } : {}),
      Umask: '0022',
      Timeout: 0,
      Passwd: true,
      sdNotifyMode: 'container',
    },
    HostConfig: {
      AutoRemove: rec.config.autoRemove,
      LogConfig: {
        Type: rec.config.logDriver,
        Config: null,
        Path: rec.config.logPath,
        Tag: rec.config.logOpts?.tag ?? '',
        // podman's form: go-units' size of log_size_max, "0B" when unlimited.
        Size: formatBytes(rec.config.logOpts?.maxSize ?? 0, STATS_SIZE).replace('kB', 'KB'),
      },
      Runtime: 'oci',
      PortBindings: portBindings(rec),
      ...hostConfigView(rec),
    },
  };
}

function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000) || 0;
}

function quoteCommand(args: string[]): string {
  return args.join(' ');
}

/**
 * One `ps` row; the fields are the names --format templates use (podman's). `ports`: the PORTS
 * text, by default the container's own (ps gives a container that joined another's network that
 * one's, as podman does).
 */
export function psRow(rec: ContainerRecord, noTrunc: boolean, now = Date.now(), health?: HealthStatus, ports = portsText(rec)): Record<string, unknown> {
  const s = rec.state;
  let status: string;
  if (isStopping(rec)) status = 'Stopping';
  else if (isRunningNotPaused(rec)) status = `Up ${humanDuration(now - Date.parse(s.startedAt))}${health ? ` (${health})` : ''}`;
  else if (isPaused(rec)) status = 'Paused';
  else if (isExited(rec)) status = `Exited (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`;
  else if (s.status === 'unknown') status = 'Unknown';
  else if (isInitialized(rec)) status = 'Initialized';
  else status = 'Created';
  let command = quoteCommand([...rec.config.entrypoint, ...rec.config.cmd]);
  if (!noTrunc && command.length > 20) command = `${command.slice(0, 17)}...`;
  const created = Date.parse(rec.created);
  const row: Record<string, unknown> = {
    ID: noTrunc ? rec.id : shortId(rec.id),
    FullID: rec.id,
    Image: rec.imageName,
    ImageID: noTrunc ? rec.image : shortId(rec.image), // podman 4.3.1: 12 digits unless --no-trunc
    Command: command,
    // podman's row holds the time.Time (its JSON has Unix seconds: psJson).
    Created: goTime(rec.created),
    CreatedAt: goTime(rec.created),
    CreatedHuman: `${humanDuration(now - created)} ago`,
    RunningFor: humanDuration(now - created),
    Status: status,
    State: shownStatus(rec),
    Names: rec.name,
    Labels: rec.config.labels,
    Ports: ports,
    // As podman's ps: the destinations of the container's mounts.
    Mounts: (rec.config.mounts ?? []).map((m) => m.destination),
    ExitCode: s.exitCode,
    Exited: isExited(rec),
    // Unix seconds of the recorded times, as podman's: a time never set is Go's zero time, -62135596800.
    ExitedAt: unixSeconds(s.finishedAt),
    StartedAt: unixSeconds(s.startedAt),
    Pid: s.pid,
    AutoRemove: rec.config.autoRemove,
    // A template prints podman's []string joined by commas ({{.Networks}} → "a,b").
    Networks: Object.keys(rec.config.network?.networks ?? {}).join(','),
    // ps --size fills it in ("12B (virtual 1.98MB)"); podman prints nothing without it.
    Size: '',
    // podman's ps fields for pods (pman's containers are in none) and infra containers.
    Pod: '',
    PodName: '',
    IsInfra: false,
  };
  // podman's row has a Label method ({{.Label "app"}}: the value, "" without it); not in the JSON.
  Object.defineProperty(row, 'Label', { value: (key: unknown) => rec.config.labels[String(key)] ?? '', enumerable: false });
  return row;
}

/**
 * One container of `ps --format json`, in podman's shape: the full ID, the names and the command
 * as arrays, times as Unix seconds (CreatedAt the human form), as tools reading podman's JSON expect.
 */
export function psJson(rec: ContainerRecord, now = Date.now(), health?: HealthStatus): Record<string, unknown> {
  const row = psRow(rec, true, now, health);
  return {
    AutoRemove: rec.config.autoRemove,
    Command: [...rec.config.entrypoint, ...rec.config.cmd],
    Created: unixSeconds(rec.created),
    CreatedAt: row.CreatedHuman,
    Exited: row.Exited,
    ExitedAt: row.ExitedAt,
    ExitCode: row.ExitCode,
    Id: rec.id,
    Image: rec.imageName,
    ImageID: rec.image,
    Labels: rec.config.labels,
    Mounts: row.Mounts,
    Names: [rec.name],
    Networks: Object.keys(rec.config.network?.networks ?? {}),
    Pid: row.Pid,
    Ports: null,
    Restarts: rec.state.restartCount,
    StartedAt: row.StartedAt,
    State: row.State,
    Status: row.Status,
    IsInfra: false,
    Namespaces: {},
    Pod: row.Pod,
    PodName: row.PodName,
    Size: null,
  };
}
