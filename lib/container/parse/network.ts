// Network and name-resolution flags of create/run (--network, --ip, --mac-address,
// --network-alias, -p/-P/--expose, --dns*, --add-host) checked into a NetworkConfig. "none" is a
// namespace with loopback only (rootless containers' default), "host" the host's stack, "bridge" or network names
// a namespace that netavark wires to those networks (root's default: bridge; addresses and host
// ports are assigned when the container is created, lib/network/assign.ts, except the default
// network's addresses, leased when it is wired: lib/network/leases.ts).
import net from 'node:net';
import { InvalidArgumentError } from '../../errors.js';
import { DEFAULT_NETWORK } from '../../network/networks.js';
import { exposedPort, parsePublish } from '../../network/ports.js';
import { isPlainIPv6 } from '../../network/subnet6.js';
import { isUserMode, parseUserModeOptions, USER_MODE_KINDS, type UserModeKind } from '../../network/user-mode/options.js';
import { parseAddHost } from '../../oci/spec-identity.js';
import type { NetworkConfig } from '../../state/container-record.js';
import { NAME_RE } from '../../state/ids.js';

export interface NetworkFlags {
  network?: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  addHosts: string[];
  ip?: string;
  /** --ip6: on a network made with --ipv6. */
  ip6?: string;
  mac?: string;
  aliases?: string[];
  publish?: string[];
  publishAll?: boolean;
  expose?: string[];
}

/**
 * --network when none is given: root's containers join the default bridge network (pman), as
 * podman's join "podman"; a rootless container gets its user-mode stack (parseNetworkMode's
 * userModeDefault; docs/networking.md).
 */
export function defaultNetworkMode(rootless: boolean): string | undefined {
  return rootless ? undefined : 'bridge';
}

/**
 * The mode and, for bridge networking, the network names (`bridge` is pman's default network);
 * for `container:NAME` the container as given (resolved at create), for `ns:PATH` the path; for
 * pasta and slirp4netns, their options. Without --network: none, or for a rootless container the
 * user-mode stack it defaults to (userModeDefault).
 */
export function parseNetworkMode(
  value: string | undefined,
  userModeDefault?: UserModeKind,
): { mode: NetworkConfig['mode']; names: string[]; container?: string; nsPath?: string; userModeOptions?: string[] } {
  if (value === undefined && userModeDefault) return { mode: userModeDefault, names: [] };
  if (value === undefined || value === '' || value === 'none' || value === 'private') return { mode: 'none', names: [] };
  if (value === 'host') return { mode: 'host', names: [] };
  if (value.startsWith('container:')) {
    const container = value.slice('container:'.length);
    if (!container) throw new InvalidArgumentError(`invalid --network "${value}": name the container, as container:NAME`);
    return { mode: 'container', names: [], container };
  }
  if (value.startsWith('ns:')) {
    const nsPath = value.slice('ns:'.length);
    if (!nsPath.startsWith('/')) throw new InvalidArgumentError(`invalid --network "${value}": give the absolute path of a network namespace, as ns:/run/netns/NAME`);
    return { mode: 'ns', names: [], nsPath };
  }
  const kind = USER_MODE_KINDS.find((k) => value === k || value.startsWith(`${k}:`));
  if (kind) {
    const opts = parseUserModeOptions(kind, value.slice(kind.length + 1), value);
    return { mode: kind, names: [], ...(opts.length ? { userModeOptions: opts } : {}) };
  }
  const names = value.split(',').map((n) => (n === 'bridge' ? DEFAULT_NETWORK : n));
  for (const n of names) {
    if (!NAME_RE.test(n)) throw new InvalidArgumentError(`invalid --network "${value}": "${n}" is not a network name (use none, host, bridge or network names)`);
  }
  return { mode: 'bridge', names: [...new Set(names)] };
}

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

function bridgeOnly(mode: NetworkConfig['mode'], f: NetworkFlags): void {
  const given = [f.ip && '--ip', f.ip6 && '--ip6', f.mac && '--mac-address', f.aliases?.length && '--network-alias'].filter(Boolean);
  if (given.length && mode !== 'bridge') throw new InvalidArgumentError(`${given.join(', ')} need${given.length > 1 ? '' : 's'} a bridge network: use --network bridge or a network name`);
}

/** What a container that joins another's namespace takes from it, and may not set itself (podman refuses the same). */
function joinedOnly(f: NetworkFlags): void {
  const given = [f.publish?.length && '--publish', f.publishAll && '--publish-all', f.dns.length && '--dns', f.dnsSearch.length && '--dns-search', f.dnsOptions.length && '--dns-option', f.addHosts.length && '--add-host'].filter(Boolean);
  if (given.length) throw new InvalidArgumentError(`${given.join(', ')} cannot be used with --network ${f.network}: the container joins that container's network, ports, /etc/hosts and /etc/resolv.conf`);
}

export function parseNetwork(f: NetworkFlags, warn: (message: string) => void = () => undefined, userModeDefault?: UserModeKind): NetworkConfig | undefined {
  const { mode, names, container, nsPath, userModeOptions } = parseNetworkMode(f.network, userModeDefault);
  const n: NetworkConfig = { mode };
  if (userModeOptions) n.userModeOptions = userModeOptions;
  const publishes = mode === 'bridge' || isUserMode(mode);
  bridgeOnly(mode, f);
  if (container) {
    joinedOnly(f);
    n.container = container;
  }
  if (nsPath) n.nsPath = nsPath;
  if (f.ip && !net.isIPv4(f.ip)) throw new InvalidArgumentError(`invalid --ip "${f.ip}": use an IPv4 address`);
  if (f.ip && names.length > 1) throw new InvalidArgumentError(`--ip "${f.ip}" needs exactly one network, not ${names.length}`);
  if (f.ip6 && !isPlainIPv6(f.ip6)) throw new InvalidArgumentError(`invalid --ip6 "${f.ip6}": use an IPv6 address such as fd10:2030:4050::10`);
  if (f.ip6 && names.length > 1) throw new InvalidArgumentError(`--ip6 "${f.ip6}" needs exactly one network, not ${names.length}`);
  if (f.mac && !MAC_RE.test(f.mac)) throw new InvalidArgumentError(`invalid --mac-address "${f.mac}": use six hex pairs like 92:d0:c6:0a:29:33`);
  const publish = (f.publish ?? []).map(parsePublish);
  if (!publishes && (publish.length || f.publishAll)) {
    warn(`port mappings have been discarded: --network ${mode === 'ns' ? 'ns:' : mode} does not publish ports`);
  } else {
    if (publish.length) n.ports = publish.map((p) => ({ ...p }));
    if (f.publishAll) n.publishAll = true;
  }
  for (const e of f.expose ?? []) exposedPort(e);
  if (f.expose?.length) n.expose = f.expose;
  if (mode === 'bridge') {
    n.networks = {};
    names.forEach((name, i) => {
      const entry: NonNullable<NetworkConfig['networks']>[string] = { interface: `eth${i}` };
      if (i === 0 && f.ip) entry.ip = f.ip;
      if (i === 0 && f.ip6) entry.ip6 = f.ip6;
      if (i === 0 && f.mac) entry.mac = f.mac.toLowerCase();
      if (f.aliases?.length) entry.aliases = f.aliases;
      n.networks![name] = entry;
    });
  }
  for (const d of f.dns) {
    if (!net.isIP(d)) throw new InvalidArgumentError(`invalid --dns "${d}": use an IP address`);
  }
  if (f.dns.length) n.dns = f.dns;
  for (const s of f.dnsSearch) {
    if (s !== '.' && !/^[a-zA-Z0-9]([a-zA-Z0-9._-]*)$/.test(s)) throw new InvalidArgumentError(`invalid --dns-search "${s}": use a domain name (or . for none)`);
  }
  if (f.dnsSearch.length) n.dnsSearch = f.dnsSearch;
  for (const o of f.dnsOptions) {
    if (!/^[a-zA-Z0-9_-]+(:[0-9]+)?$/.test(o)) throw new InvalidArgumentError(`invalid --dns-option "${o}": use an option like ndots:2 or edns0`);
  }
  if (f.dnsOptions.length) n.dnsOptions = f.dnsOptions;
  // host-gateway is checked against the network's gateway when the bundle is written.
  for (const h of f.addHosts) parseAddHost(h, publishes ? '0.0.0.0' : undefined);
  if (f.addHosts.length) n.addHosts = f.addHosts;
  return f.network === undefined && !userModeDefault && Object.keys(n).length === 1 ? undefined : n;
}
