// A Docker ContainerCreate body (Config + HostConfig + NetworkingConfig) as pman's create
// options: each field becomes the flag text `pman create` would have been given, so it goes
// through the same parsing and checks as the CLI's (lib/container/parse/).
import type { Context } from '../context.js';
import type { CreateOptions } from '../container/create.js';
import { noExtras } from '../container/extras.js';
import { emptyConfigOptions } from '../container/host-config.js';
import { ApiError, obj, str, strList } from './http.js';

function bool(o: Record<string, unknown>, key: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new ApiError(400, `invalid ${key}: expected true or false`);
  return v;
}

function num(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ApiError(400, `invalid ${key}: expected a number`);
  return v;
}

/** Docker's "80/tcp" keys as pman's "80/tcp" (a bare port is tcp). */
function portKey(key: string): string {
  if (!/^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/.test(key)) throw new ApiError(400, `invalid port "${key}": use PORT[/PROTOCOL]`);
  return key.includes('/') ? key : `${key}/tcp`;
}

function publishList(bindings: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const port = portKey(key);
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) throw new ApiError(400, `invalid PortBindings["${key}"]: expected a list`);
    for (const b of list as Array<Record<string, unknown>>) {
      const ip = str(b ?? {}, 'HostIp') ?? '';
      // "0" or none: a free port is chosen (testcontainers asks with "0").
      const given = str(b ?? {}, 'HostPort') ?? '';
      const hostPort = given === '0' ? '' : given;
      out.push(ip ? `${ip.includes(':') ? `[${ip}]` : ip}:${hostPort}:${port}` : hostPort ? `${hostPort}:${port}` : port);
    }
  }
  return out;
}

function mountText(m: Record<string, unknown>): string {
  const type = str(m, 'Type') ?? 'volume';
  const parts = [`type=${type}`];
  const source = str(m, 'Source');
  if (source) parts.push(`source=${source}`);
  const target = str(m, 'Target');
  if (!target) throw new ApiError(400, 'invalid Mounts: each mount needs a Target');
  parts.push(`target=${target}`);
  if (m.ReadOnly === true) parts.push('readonly');
  return parts.join(',');
}

/** The network mode: Docker's "default" is the bridge network for root (pman's default network otherwise). */
function networkMode(ctx: Context, mode: string | undefined): string | undefined {
  if (mode === undefined || mode === '' || mode === 'default') return ctx.rootless ? undefined : 'bridge';
  return mode;
}

export function createOptionsFromBody(ctx: Context, body: Record<string, unknown>, name: string | undefined): CreateOptions {
  const image = str(body, 'Image');
  if (!image) throw new ApiError(400, 'invalid container config: Image is required');
  const host = obj(body, 'HostConfig');
  const config = emptyConfigOptions('/');
  config.volumes = strList(host, 'Binds') ?? [];
  config.mounts = ((host.Mounts as Array<Record<string, unknown>> | null | undefined) ?? []).map(mountText);
  config.tmpfs = Object.entries(obj(host, 'Tmpfs')).map(([p, o]) => (o ? `${p}:${String(o)}` : p));
  config.volumesFrom = strList(host, 'VolumesFrom') ?? [];
  config.readOnly = bool(host, 'ReadonlyRootfs');
  config.init = bool(host, 'Init');
  const mem = num(host, 'Memory');
  if (mem) config.resources.memory = String(mem);
  const swap = num(host, 'MemorySwap');
  if (swap) config.resources.memorySwap = String(swap);
  const nano = num(host, 'NanoCpus');
  if (nano) config.resources.cpus = String(nano / 1e9);
  const shares = num(host, 'CpuShares');
  if (shares) config.resources.cpuShares = String(shares);
  const pids = num(host, 'PidsLimit');
  if (pids) config.resources.pidsLimit = String(pids);
  config.resources.ulimits = ((host.Ulimits as Array<Record<string, unknown>> | null | undefined) ?? []).map(
    (u) => `${String(u.Name)}=${String(u.Soft)}:${String(u.Hard)}`,
  );
  config.security.privileged = bool(host, 'Privileged');
  config.security.capAdd = strList(host, 'CapAdd') ?? [];
  config.security.capDrop = strList(host, 'CapDrop') ?? [];
  config.security.securityOpts = strList(host, 'SecurityOpt') ?? [];
  config.security.groupAdd = strList(host, 'GroupAdd') ?? [];
  // What podman's compat API takes: --userns's values ("" is the default: PODMAN_USERNS, containers.conf).
  const userns = str(host, 'UsernsMode');
  if (userns) Object.assign(config.security, { userns, usernsFrom: 'HostConfig.UsernsMode' });
  const mode = networkMode(ctx, str(host, 'NetworkMode'));
  config.network.network = mode;
  config.network.dns = strList(host, 'Dns') ?? [];
  config.network.dnsSearch = strList(host, 'DnsSearch') ?? [];
  config.network.dnsOptions = strList(host, 'DnsOptions') ?? [];
  config.network.addHosts = strList(host, 'ExtraHosts') ?? [];
  const publish = publishList(obj(host, 'PortBindings'));
  if (publish.length > 0) config.network.publish = publish;
  if (bool(host, 'PublishAllPorts')) config.network.publishAll = true;
  const exposed = Object.keys(obj(body, 'ExposedPorts')).map(portKey);
  if (exposed.length > 0) config.network.expose = exposed;
  // The endpoint of the container's network: its aliases (compose's service name) and address.
  const endpoints = obj(obj(body, 'NetworkingConfig'), 'EndpointsConfig');
  const endpoint = mode ? (endpoints[mode] as Record<string, unknown> | undefined) : undefined;
  if (endpoint) {
    const aliases = strList(endpoint, 'Aliases');
    if (aliases?.length) config.network.aliases = aliases;
    const ip = str(obj(endpoint, 'IPAMConfig'), 'IPv4Address');
    if (ip) config.network.ip = ip;
  }
  const restart = obj(host, 'RestartPolicy');
  const policy = str(restart, 'Name');
  if (policy) {
    const max = num(restart, 'MaximumRetryCount');
    config.restart = policy === 'on-failure' && max ? `on-failure:${max}` : policy;
  }
  const entrypoint = body.Entrypoint;
  let ep: string | undefined;
  if (typeof entrypoint === 'string') ep = entrypoint;
  else if (Array.isArray(entrypoint)) ep = JSON.stringify(strList(body, 'Entrypoint'));
  const labels = obj(body, 'Labels');
  const logType = str(obj(host, 'LogConfig'), 'Type');
  // [height, width] of the client's terminal, when it says (API 1.42+ clients do).
  const cs = host.ConsoleSize;
  // compose's cgroup_parent: --cgroup-parent, read and checked the same way.
  const cgroupParent = str(host, 'CgroupParent') || undefined;
  const consoleSize = Array.isArray(cs) && cs.length === 2 && cs.every((n) => Number.isInteger(n) && n > 0 && n < 65536) ? { rows: cs[0] as number, cols: cs[1] as number } : undefined;
  return {
    image,
    command: strList(body, 'Cmd') ?? [],
    name: name || undefined,
    env: strList(body, 'Env') ?? [],
    envFiles: [],
    hostEnv: {},
    workdir: str(body, 'WorkingDir') || undefined,
    entrypoint: ep,
    user: str(body, 'User') || undefined,
    hostname: str(body, 'Hostname') || undefined,
    labels: Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`),
    rm: bool(host, 'AutoRemove'),
    tty: bool(body, 'Tty'),
    interactive: bool(body, 'OpenStdin'),
    logDriver: logType && logType !== 'default' ? logType : undefined,
    stopSignal: str(body, 'StopSignal') || undefined,
    stopTimeout: num(body, 'StopTimeout'),
    consoleSize: bool(body, 'Tty') ? consoleSize : undefined,
    config,
    ...(cgroupParent ? { extras: { ...noExtras(), cgroupParent } } : {}),
  };
}
