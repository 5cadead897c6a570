// Network and name-resolution flags of create/run (--network, --dns*, --add-host) checked into a
// NetworkConfig. pman has no private networks yet: a container gets its own network namespace
// with loopback only ("none", the default) or shares the host's ("host").
import net from 'node:net';
import { InvalidArgumentError } from '../../errors.js';
import { parseAddHost } from '../../oci/spec-identity.js';
import type { NetworkConfig } from '../../state/container-record.js';

export interface NetworkFlags {
  network?: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  addHosts: string[];
}

export function parseNetworkMode(value: string | undefined): NetworkConfig['mode'] {
  if (value === undefined || value === '' || value === 'none' || value === 'private') return 'none';
  if (value === 'host') return 'host';
  if (value === 'bridge' || value === 'slirp4netns' || value === 'pasta' || value.startsWith('container:') || value.startsWith('ns:')) {
    throw new InvalidArgumentError(`--network ${value} is not supported yet: pman has only "none" (loopback only, the default) and "host"`);
  }
  throw new InvalidArgumentError(`invalid --network "${value}": use none or host (named networks do not exist yet)`);
}

export function parseNetwork(f: NetworkFlags): NetworkConfig | undefined {
  const mode = parseNetworkMode(f.network);
  const n: NetworkConfig = { mode };
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
  for (const h of f.addHosts) parseAddHost(h);
  if (f.addHosts.length) n.addHosts = f.addHosts;
  return f.network === undefined && Object.keys(n).length === 1 ? undefined : n;
}
