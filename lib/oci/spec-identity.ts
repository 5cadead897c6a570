// Who and where the container is: its namespaces (the network one shared with the host for
// --network host), its annotations, and the contents of its /etc/hostname, /etc/hosts and
// /etc/resolv.conf (pure text functions; create.ts writes the files).
import net from 'node:net';
import { InvalidArgumentError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';

/** `HOST:IP` (also `HOST=IP`, several names as `a;b:IP`) -> [names, ip]. */
export function parseAddHost(spec: string, gateway?: string): { names: string[]; ip: string } {
  const m = /^([^:=]+)[:=](.+)$/.exec(spec);
  if (!m) throw new InvalidArgumentError(`invalid --add-host "${spec}": use HOST:IP`);
  const names = m[1].split(';').filter(Boolean);
  let ip = m[2];
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip === 'host-gateway') {
    if (gateway === undefined) throw new InvalidArgumentError(`invalid --add-host "${spec}": host-gateway needs a network that reaches the host (--network bridge, a network name, pasta or slirp4netns)`);
    ip = gateway;
  }
  if (!net.isIP(ip)) throw new InvalidArgumentError(`invalid --add-host "${spec}": "${ip}" is not an IP address`);
  if (names.some((n) => !/^[a-zA-Z0-9]([a-zA-Z0-9._-]*)$/.test(n))) throw new InvalidArgumentError(`invalid --add-host "${spec}": "${m[1]}" is not a host name`);
  return { names, ip };
}

/** OCI namespace types by the names podman's --share uses. */
export const SHARE_TYPES: Record<string, string> = { ipc: 'ipc', net: 'network', uts: 'uts', pid: 'pid', cgroup: 'cgroup' };

/**
 * The namespaces runc makes, except the network one: the host's, or the one pman made (netnsPath);
 * and except those joined by path (a pod's members join its infra's: OCI type -> path).
 */
export function specNamespaces(rec: ContainerRecord, netnsPath?: string, joined: Record<string, string> = {}): Array<{ type: string; path?: string }> {
  const types = ['pid', 'network', 'ipc', 'uts', 'mount', ...('cgroup' in joined ? ['cgroup'] : [])];
  const host = rec.config.network?.mode === 'host' && !joined.network;
  return types
    .filter((t) => !(host && t === 'network'))
    .map((type) => (joined[type] ? { type, path: joined[type] } : type === 'network' && netnsPath ? { type, path: netnsPath } : { type }));
}

export function specAnnotations(rec: ContainerRecord): Record<string, string> | undefined {
  const a = rec.config.annotations;
  return a && Object.keys(a).length ? { ...a } : undefined;
}

const LOCALHOST = '127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n';

/**
 * /etc/hosts: the host's file for --network host (the container sees the host's addresses), else
 * localhost; then the --add-host entries; then the container's own name (podman's order).
 */
export function hostsFile(rec: ContainerRecord, hostHosts: string): string {
  const host = rec.config.network?.mode === 'host';
  let text = host ? hostHosts : LOCALHOST;
  if (text && !text.endsWith('\n')) text += '\n';
  for (const spec of rec.config.network?.addHosts ?? []) {
    const { names, ip } = parseAddHost(spec);
    text += `${ip}\t${names.join(' ')}\n`;
  }
  if (!host) text += `127.0.1.1\t${rec.config.hostname} ${rec.name}\n`;
  return text;
}

/** Parsed resolv.conf: the three kinds of lines pman rewrites. */
export function parseResolvConf(text: string): { nameservers: string[]; search: string[]; options: string[] } {
  const out = { nameservers: [] as string[], search: [] as string[], options: [] as string[] };
  for (const raw of text.split('\n')) {
    const f = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1]);
    else if (f[0] === 'search' || f[0] === 'domain') out.search = f.slice(1);
    else if (f[0] === 'options') out.options.push(...f.slice(1));
  }
  return out;
}

const FALLBACK_DNS = ['8.8.8.8', '8.8.4.4'];

/**
 * /etc/resolv.conf from the host's, with --dns, --dns-search and --dns-option replacing the matching
 * lines. In its own network namespace a container cannot reach the host's loopback resolvers
 * (systemd-resolved's 127.0.0.53 …): those are dropped and, if none is left, public ones used, as
 * podman does.
 */
export function resolvConf(rec: ContainerRecord, hostResolv: string): string {
  const n = rec.config.network;
  const host = parseResolvConf(hostResolv);
  let servers = n?.dns ?? host.nameservers;
  if (!n?.dns && n?.mode !== 'host') {
    servers = servers.filter((s) => !s.startsWith('127.') && s !== '::1');
    if (servers.length === 0 && host.nameservers.length > 0) servers = FALLBACK_DNS;
  }
  const search = n?.dnsSearch ? n.dnsSearch.filter((s) => s !== '.') : host.search;
  const options = n?.dnsOptions ?? host.options;
  let text = '';
  if (search.length) text += `search ${search.join(' ')}\n`;
  for (const s of servers) text += `nameserver ${s}\n`;
  if (options.length) text += `options ${options.join(' ')}\n`;
  return text;
}
