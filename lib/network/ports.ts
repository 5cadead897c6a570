// Published ports: `-p [IP:][HOSTPORT:]CTRPORT[/PROTO]` (ranges as START-END) parsed into
// netavark's port mappings, a free host port found for those given none, and a check at setup
// that every host port is still free (netavark only writes DNAT rules: a port bound by another
// program would silently lose its traffic to the container, or the reverse).
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { ConflictError, InvalidArgumentError } from '../errors.js';
import { claimKeys, isMountedNetns, releaseKeys, type ClaimSet } from './leases.js';

export interface PortSpec {
  hostIp: string;
  /** 0: a free port is chosen when the container is created. */
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  range: number;
}

function portRange(text: string, spec: string): [number, number] {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] !== undefined ? Number(m[2]) : start;
  if (!m || start < 1 || end > 65535 || end < start) throw new InvalidArgumentError(`invalid -p "${spec}": ports must be numbers (or START-END ranges) from 1 to 65535`);
  return [start, end];
}

/** Parses one -p value. */
export function parsePublish(spec: string): PortSpec {
  let rest = spec;
  let protocol: PortSpec['protocol'] = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = rest.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') throw new InvalidArgumentError(`invalid -p "${spec}": the protocol must be tcp, udp or sctp`);
    protocol = p;
    rest = rest.slice(0, slash);
  }
  let hostIp = '';
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  let parts: string[];
  if (bracket) {
    hostIp = bracket[1];
    parts = ['', bracket[2]];
  } else {
    parts = rest.split(':');
    if (parts.length === 3) hostIp = parts.shift()!;
    if (parts.length > 2) throw new InvalidArgumentError(`invalid -p "${spec}": use [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]`);
  }
  if (hostIp && !net.isIPv4(hostIp)) throw new InvalidArgumentError(`invalid -p "${spec}": host IP "${hostIp}" is not an IPv4 address`);
  const ctr = portRange(parts[parts.length - 1], spec);
  const host = parts.length === 2 && parts[0] !== '' ? portRange(parts[0], spec) : undefined;
  const range = ctr[1] - ctr[0] + 1;
  if (host && host[1] - host[0] + 1 !== range && host[0] !== host[1]) {
    throw new InvalidArgumentError(`invalid -p "${spec}": the host and container port ranges must have the same length`);
  }
  return { hostIp, hostPort: host ? host[0] : 0, containerPort: ctr[0], protocol, range };
}

/** An image EXPOSE or --expose entry ("80", "53/udp", "8000-8002/tcp") as ports to publish on free host ports. */
export function exposedPort(spec: string): PortSpec {
  const p = parsePublish(spec);
  return { ...p, hostPort: 0 };
}

function tryBind(ip: string, port: number, protocol: PortSpec['protocol']): Promise<number | undefined> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(undefined));
      s.bind(port, ip || '0.0.0.0', () => {
        const got = s.address().port;
        s.close(() => resolve(got));
      });
      return;
    }
    const s = net.createServer();
    s.once('error', () => resolve(undefined));
    s.listen({ port, host: ip || '0.0.0.0', exclusive: true }, () => {
      const got = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(got));
    });
  });
}

/** Gives every port without a host port a free one (a run of free ports for a range). */
export async function chooseHostPorts(ports: PortSpec[]): Promise<PortSpec[]> {
  const out: PortSpec[] = [];
  for (const p of ports) {
    if (p.hostPort !== 0) {
      out.push(p);
      continue;
    }
    let chosen: number | undefined;
    for (let attempt = 0; attempt < 50 && chosen === undefined; attempt++) {
      const first = await tryBind(p.hostIp, 0, p.protocol === 'udp' ? 'udp' : 'tcp');
      if (first === undefined || first + p.range - 1 > 65535) continue;
      let ok = true;
      for (let i = 1; i < p.range && ok; i++) ok = (await tryBind(p.hostIp, first + i, p.protocol)) !== undefined;
      if (ok && !out.some((o) => o.protocol === p.protocol && first < o.hostPort + o.range && o.hostPort < first + p.range)) chosen = first;
    }
    if (chosen === undefined) throw new ConflictError(`cannot find a free host port for container port ${p.containerPort}/${p.protocol}`);
    out.push({ ...p, hostPort: chosen });
  }
  return out;
}

/** Fails naming the first host port something on the host already holds. */
export async function checkHostPortsFree(ports: PortSpec[]): Promise<void> {
  for (const p of ports) {
    for (let i = 0; i < p.range; i++) {
      const port = p.hostPort + i;
      if ((await tryBind(p.hostIp, port, p.protocol === 'udp' ? 'udp' : 'tcp')) === undefined) {
        throw new ConflictError(`cannot publish port ${p.hostIp ? `${p.hostIp}:` : ''}${port}/${p.protocol}: the host port is already in use, choose another with -p`);
      }
    }
  }
}

/** Podman's text for one mapping: "0.0.0.0:8080->80/tcp". */
export function formatPort(p: PortSpec): string {
  const ip = p.hostIp || '0.0.0.0';
  if (p.range === 1) return `${ip}:${p.hostPort}->${p.containerPort}/${p.protocol}`;
  return `${ip}:${p.hostPort}-${p.hostPort + p.range - 1}->${p.containerPort}-${p.containerPort + p.range - 1}/${p.protocol}`;
}

/**
 * Root's published host ports, claimed machine-wide while a container is wired: netavark only
 * writes DNAT rules, so nothing on the host holds the port and another store's container (another
 * --root) could publish it again. One claim per port: `<dir>/<proto>_<host ip>_<port>` -> the
 * container's network namespace, live while that namespace is mounted (docs/networking.md).
 */
const PORT_CLAIMS: ClaimSet = { dir: '/run/pman-shared/ports', lock: '/run/lock/pman/ports', alive: isMountedNetns };

/** A published range as netavark has it. */
export interface HostPorts {
  host_ip: string;
  host_port: number;
  range: number;
  protocol: string;
}

export function portKeys(ports: HostPorts[]): string[] {
  return ports.flatMap((p) => Array.from({ length: p.range }, (_, i) => `${p.protocol}_${p.host_ip || '0.0.0.0'}_${p.host_port + i}`));
}

/** Same protocol and port, on the same address or one of them on all addresses. */
export function portsClash(mine: string, theirs: string): boolean {
  const [pa, ia, na] = mine.split('_');
  const [pb, ib, nb] = theirs.split('_');
  return pa === pb && na === nb && (ia === ib || ia === '0.0.0.0' || ib === '0.0.0.0');
}

/** Claims the host ports for the namespace `netns` (mounted already), or fails naming the first one taken and its holder. */
export async function claimHostPorts(netns: string, ports: HostPorts[]): Promise<void> {
  const clash = await claimKeys(PORT_CLAIMS, netns, portKeys(ports), portsClash);
  if (!clash) return;
  const [proto, ip, port] = clash.key.split('_');
  const holder = `container ${path.basename(clash.holder).slice(0, 12)} of the pman store whose runtime root is ${path.dirname(path.dirname(clash.holder))}`;
  throw new ConflictError(`cannot publish port ${ip === '0.0.0.0' ? '' : `${ip}:`}${port}/${proto}: ${holder} publishes it already, choose another with -p`);
}

/** Gives back what claimHostPorts took (safe to repeat). */
export async function releaseHostPorts(netns: string, ports: HostPorts[]): Promise<void> {
  await releaseKeys(PORT_CLAIMS, netns, portKeys(ports));
}
