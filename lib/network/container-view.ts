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

function basic(ip: string, prefix: number, gateway: string, mac: string): Record<string, unknown> {
  return { EndpointID: '', Gateway: gateway, IPAddress: ip, IPPrefixLen: prefix, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: mac };
}

/** inspect's NetworkSettings; the top-level address fields are filled for a container on one network (docker's compatibility). */
export function networkSettings(ctx: Context, rec: ContainerRecord): Record<string, unknown> {
  const n = rec.config.network;
  const running = rec.state.status === 'running' || rec.state.status === 'paused';
  const status = running ? wiredStatus(ctx, rec.id) : {};
  const networks: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(n?.networks ?? {})) {
    const iface = status[name]?.interfaces?.[entry.interface];
    const addr = iface?.subnets?.[0];
    const [ip, prefix] = addr ? addr.ipnet.split('/') : ['', '0'];
    let id = '';
    try {
      id = loadNetwork(ctx, name).id;
    } catch {
      /* removed meanwhile */
    }
    networks[name] = {
      ...basic(ip, Number(prefix), addr?.gateway ?? '', iface?.mac_address ?? ''),
      NetworkID: id,
      DriverOpts: null,
      IPAMConfig: null,
      Links: null,
      Aliases: entry.aliases ?? [],
    };
  }
  const only = Object.values(networks).length === 1 ? (Object.values(networks)[0] as Record<string, unknown>) : undefined;
  return {
    ...basic(String(only?.IPAddress ?? ''), Number(only?.IPPrefixLen ?? 0), String(only?.Gateway ?? ''), String(only?.MacAddress ?? '')),
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
