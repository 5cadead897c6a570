// What a bridge-networked container's bundle gets from its networks: the network namespace pman
// makes for it (runc joins it by path), and its /etc/hosts and /etc/resolv.conf. pman assigns the
// addresses itself (lib/network/ipam.ts), so these files are written at create from the same
// facts netavark's setup answer reports (the address, the gateway, and the gateway as DNS server
// on networks with DNS).
import type { Context } from '../context.js';
import { netnsPath } from '../network/network-paths.js';
import type { NetworkRecord } from '../network/network-record.js';
import { loadNetwork } from '../network/networks.js';
import { userModeView } from '../network/user-mode/host-addresses.js';
import type { ContainerRecord } from '../state/container-record.js';
import { parseAddHost, parseResolvConf, resolvConf } from './spec-identity.js';

const LOCALHOST = '127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n';
/** aardvark-dns's search domain, as netavark reports it. */
const DNS_DOMAIN = 'dns.podman';

export interface BridgeEtc {
  netns: string;
  hosts: string;
  resolvConf: string;
}

/**
 * /etc/hosts of a container with a network of its own: localhost, --add-host (host-gateway = the
 * address at which it reaches the host), the host as host.containers.internal, then its addresses.
 */
export function networkHosts(rec: ContainerRecord, hostGateway: string | undefined, reachesHost: boolean, addresses: string[]): string {
  let text = LOCALHOST;
  for (const spec of rec.config.network?.addHosts ?? []) {
    const { names, ip } = parseAddHost(spec, hostGateway);
    text += `${ip}\t${names.join(' ')}\n`;
  }
  if (hostGateway && reachesHost) text += `${hostGateway}\thost.containers.internal host.docker.internal\n`;
  for (const ip of addresses) text += `${ip}\t${rec.config.hostname} ${rec.name}\n`;
  return text;
}

/**
 * A bridge container's: host-gateway is the first network's gateway; its addresses are those of
 * its record, or of `wired` (network -> address) for addresses leased when it was wired (root's
 * default network).
 */
export function bridgeHosts(rec: ContainerRecord, networks: NetworkRecord[], wired: Record<string, string> = {}, hostGateway?: string): string {
  const addresses = networks.map((n) => wired[n.name] ?? rec.config.network?.networks?.[n.name]?.ip).filter((ip): ip is string => !!ip);
  return networkHosts(rec, hostGateway ?? networks[0]?.subnets[0].gateway, networks.length > 0 && !networks[0].internal, addresses);
}

/**
 * Rootless, the gateway is the user's network namespace, not the host: the host is reached through
 * the uplink (slirp4netns) at its own address, as a slirp4netns container reaches it.
 */
function hostGatewayOf(ctx: Context): string | undefined {
  return ctx.rootless ? userModeView('slirp4netns').hostGateway : undefined;
}

/** /etc/resolv.conf: aardvark-dns (on the gateways) when a network has DNS, else the host's as for --network none. */
export function bridgeResolvConf(rec: ContainerRecord, networks: NetworkRecord[], hostResolv: string): string {
  const dns = networks.filter((n) => n.dns_enabled).map((n) => n.subnets[0].gateway);
  if (dns.length === 0 || rec.config.network?.dns) return resolvConf(rec, hostResolv);
  const host = parseResolvConf(hostResolv);
  const n = rec.config.network;
  const search = n?.dnsSearch ? n.dnsSearch.filter((s) => s !== '.') : [DNS_DOMAIN, ...host.search];
  const options = n?.dnsOptions ?? host.options;
  let text = '';
  if (search.length) text += `search ${search.join(' ')}\n`;
  for (const s of dns) text += `nameserver ${s}\n`;
  if (options.length) text += `options ${options.join(' ')}\n`;
  return text;
}

/** The networks a container is on, in the order it names them. */
export function containerNetworks(ctx: Context, rec: ContainerRecord): NetworkRecord[] {
  return Object.keys(rec.config.network?.networks ?? {}).map((name) => loadNetwork(ctx, name));
}

/** A bridge container sees its own addresses in /etc/hosts, never the host's file. */
export function bridgeEtc(ctx: Context, rec: ContainerRecord, hostResolv: string, wired: Record<string, string> = {}): BridgeEtc {
  const networks = containerNetworks(ctx, rec);
  return { netns: netnsPath(ctx, rec.id), hosts: bridgeHosts(rec, networks, wired, hostGatewayOf(ctx)), resolvConf: bridgeResolvConf(rec, networks, hostResolv) };
}

/**
 * A container whose addresses were leased when it was wired (root's default network) gets them in
 * its /etc/hosts then, before runc bind-mounts the file (the bundle written at create had none).
 */
export function hostsWithWiredAddresses(ctx: Context, rec: ContainerRecord, wired: Record<string, string>): string | undefined {
  const leased = Object.keys(wired).some((name) => !rec.config.network?.networks?.[name]?.ip);
  return leased ? bridgeHosts(rec, containerNetworks(ctx, rec), wired, hostGatewayOf(ctx)) : undefined;
}

/**
 * A pod's infra rewrites its /etc/hosts when it is wired (its leased address); the members' lines
 * appended to the old file since it was created (lib/container/pod-member.ts addMemberHost: at
 * 127.0.1.1 while the infra had no address yet) are kept, at the infra's new address. A member
 * line is one whose names the new file does not have.
 */
export function keepPodMemberLines(oldText: string, newText: string, infraName: string): string {
  const namesOf = (l: string) => l.slice(l.indexOf('\t') + 1);
  const fresh = newText.split('\n').filter((l) => l.includes('\t'));
  const ip = fresh.find((l) => l.endsWith(` ${infraName}`))?.split('\t')[0];
  if (!ip) return newText;
  const have = new Set(fresh.map(namesOf));
  const members = oldText
    .split('\n')
    .filter((l) => l.includes('\t') && !have.has(namesOf(l)) && !l.endsWith(` ${infraName}`))
    .map((l) => `${ip}\t${namesOf(l)}\n`);
  return newText + members.join('');
}
