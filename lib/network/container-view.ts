// What users see of a container's networking, as podman shows it: the PORTS column of `ps`,
// `pman port`, and inspect's NetworkSettings (addresses from netavark's answer while the
// container is wired; published ports from the record).
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { netnsPath } from './network-paths.js';
import { loadNetwork } from './networks.js';
import { formatPort, type PortSpec } from './ports.js';
import { wiredStatus } from './setup-record.js';

export function containerPorts(rec: ContainerRecord): PortSpec[] {
  return (rec.config.network?.ports ?? []) as PortSpec[];
}

/** ps's PORTS: "0.0.0.0:8080->80/tcp, 0.0.0.0:5353->53/udp". */
export function portsText(rec: ContainerRecord): string {
  return containerPorts(rec).map(formatPort).join(', ');
}

/** One line per container port, as `pman port` prints them: ["80/tcp -> 0.0.0.0:8080", …]. */
export function portLines(rec: ContainerRecord): Array<{ key: string; host: string }> {
  const out: Array<{ key: string; host: string }> = [];
  for (const p of containerPorts(rec)) {
    for (let i = 0; i < p.range; i++) out.push({ key: `${p.containerPort + i}/${p.protocol}`, host: `${p.hostIp || '0.0.0.0'}:${p.hostPort + i}` });
  }
  return out;
}

/** inspect's Ports / HostConfig.PortBindings: {"80/tcp": [{HostIp, HostPort}]}. */
export function portBindings(rec: ContainerRecord): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const l of portLines(rec)) {
    const [ip, port] = [l.host.slice(0, l.host.lastIndexOf(':')), l.host.slice(l.host.lastIndexOf(':') + 1)];
    (out[l.key] ??= []).push({ HostIp: ip === '0.0.0.0' ? '' : ip, HostPort: port });
  }
  return out;
}

interface Addresses {
  ip: string;
  prefix: number;
  gateway: string;
  ip6: string;
  prefix6: number;
  gateway6: string;
  mac: string;
}

function basic(a: Addresses): Record<string, unknown> {
  return { EndpointID: '', Gateway: a.gateway, IPAddress: a.ip, IPPrefixLen: a.prefix, IPv6Gateway: a.gateway6, GlobalIPv6Address: a.ip6, GlobalIPv6PrefixLen: a.prefix6, MacAddress: a.mac };
}

/** An interface's address of a family from netavark's answer ("ADDR/N"; IPv6 ones have a colon). */
function addressOf(subnets: Array<{ ipnet: string; gateway?: string }> | undefined, v6: boolean): { ip: string; prefix: number; gateway: string } {
  const s = subnets?.find((x) => x.ipnet.includes(':') === v6);
  const [ip, prefix] = s ? s.ipnet.split('/') : ['', '0'];
  return { ip, prefix: Number(prefix), gateway: s?.gateway ?? '' };
}

/** inspect's NetworkSettings; the top-level address fields are filled for a container on one network (docker's compatibility). */
export function networkSettings(ctx: Context, rec: ContainerRecord): Record<string, unknown> {
  const n = rec.config.network;
  const running = rec.state.status === 'running' || rec.state.status === 'paused';
  const status = running ? wiredStatus(ctx, rec.id) : {};
  const networks: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(n?.networks ?? {})) {
    const iface = status[name]?.interfaces?.[entry.interface];
    const v4 = addressOf(iface?.subnets, false);
    const v6 = addressOf(iface?.subnets, true);
    let id = '';
    try {
      id = loadNetwork(ctx, name).id;
    } catch {
      /* removed meanwhile */
    }
    networks[name] = {
      ...basic({ ...v4, ip6: v6.ip, prefix6: v6.prefix, gateway6: v6.gateway, mac: iface?.mac_address ?? '' }),
      NetworkID: id,
      DriverOpts: null,
      IPAMConfig: null,
      Links: null,
      Aliases: entry.aliases ?? [],
    };
  }
  const only = Object.values(networks).length === 1 ? (Object.values(networks)[0] as Record<string, unknown>) : undefined;
  return {
    ...basic({
      ip: String(only?.IPAddress ?? ''),
      prefix: Number(only?.IPPrefixLen ?? 0),
      gateway: String(only?.Gateway ?? ''),
      ip6: String(only?.GlobalIPv6Address ?? ''),
      prefix6: Number(only?.GlobalIPv6PrefixLen ?? 0),
      gateway6: String(only?.IPv6Gateway ?? ''),
      mac: String(only?.MacAddress ?? ''),
    }),
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: portBindings(rec),
    SandboxKey: n?.mode === 'bridge' && running ? netnsPath(ctx, rec.id) : '',
    ...(n?.mode === 'bridge' ? { Networks: networks } : {}),
  };
}
