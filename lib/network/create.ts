// `pman network create`: checks the options, picks a free subnet and bridge name when none is
// given (never one podman, the host or another pman network uses), and writes the record. The
// bridge itself is made by netavark when the first container joins.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError } from '../errors.js';
import { NAME_RE, newId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { hostLinks, hostSubnets, hostSubnets6, podmanSubnets, podmanSubnets6 } from './host-usage.js';
import { networkCreateLock, networkRecordFile } from './network-paths.js';
import type { NetworkRecord } from './network-record.js';
import { DEFAULT_NETWORK, deleteNetworkFiles, listNetworks, writeNetwork } from './networks.js';
import { claimSubnets, subnets6ClaimedElsewhere, subnetsClaimedElsewhere } from './subnet-claims.js';
import { objectEvent } from '../events/events-file.js';
import { cidrContains, cidrsOverlap, firstHost, formatCidr, hostRange, ipToNumber, numberToIp, parseCidr, type Cidr } from './subnet.js';
import { bigToIp6, canonicalIp6, cidr6Contains, firstHost6, formatCidr6, hostRange6, ip6ToBig, isV6Text, parseCidr6, randomUla64, subnetTextsOverlap, type Cidr6 } from './subnet6.js';

export interface CreateNetworkOptions {
  name?: string;
  driver?: string;
  /** --subnet, --gateway, --ip-range: at most one IPv4 and one IPv6 value each. */
  subnets?: string[];
  gateways?: string[];
  ipRanges?: string[];
  /** --ipv6: dual stack (an IPv6 --subnet implies it). */
  ipv6?: boolean;
  internal?: boolean;
  disableDns?: boolean;
  labels?: Record<string, string>;
  /** -o KEY=VALUE: mtu, isolate (netavark's bridge options). */
  options?: Record<string, string>;
  /** --interface-name: the host bridge's name. */
  interfaceName?: string;
  /** With --ignore: an existing network of that name is returned as it is. */
  ignore?: boolean;
}

const BRIDGE_OPTIONS = new Set(['mtu', 'isolate']);
/** New networks without --subnet get 10.91.N.0/24 (podman's are 10.89.N.0/24). */
const AUTO_BASE = '10.91.0.0';

function checkOptions(options: Record<string, string>): void {
  for (const [k, v] of Object.entries(options)) {
    if (!BRIDGE_OPTIONS.has(k)) throw new InvalidArgumentError(`unsupported bridge network option "${k}": pman supports mtu and isolate`);
    if (k === 'mtu' && !/^[0-9]+$/.test(v)) throw new InvalidArgumentError(`invalid network option mtu="${v}": use a number`);
    if (k === 'isolate' && !['true', 'false'].includes(v)) throw new InvalidArgumentError(`invalid network option isolate="${v}": use true or false`);
  }
}

function checkInterfaceName(name: string): void {
  if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(name)) throw new InvalidArgumentError(`invalid --interface-name "${name}": use at most 15 letters, digits, _ . or -`);
  if (/^podman/.test(name)) throw new InvalidArgumentError(`invalid --interface-name "${name}": podman* bridges are podman's, choose another name`);
}

function pickSubnet(used: Cidr[]): Cidr {
  for (let n = 0; n < 256; n++) {
    const c: Cidr = { base: ipToNumber(AUTO_BASE) + n * 256, prefix: 24 };
    if (!used.some((u) => cidrsOverlap(u, c))) return c;
  }
  throw new ConflictError('cannot create network: every subnet 10.91.0.0/24 to 10.91.255.0/24 is in use, give one with --subnet');
}

function pickBridge(taken: Set<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`pman${n}`)) return `pman${n}`;
}

function defaultName(existing: Set<string>): string {
  for (let n = 1; ; n++) if (!existing.has(`pman${n}`)) return `pman${n}`;
}

type SubnetEntry = NetworkRecord['subnets'][number];

/** Repeated --subnet/--gateway/--ip-range values by family: at most one IPv4 and one IPv6 each. */
function byFamily(values: string[] | undefined, flag: string): { v4?: string; v6?: string } {
  const out: { v4?: string; v6?: string } = {};
  for (const v of values ?? []) {
    const key = isV6Text(v) ? 'v6' : 'v4';
    if (out[key] !== undefined) throw new InvalidArgumentError(`${flag} given twice for IPv${key === 'v6' ? 6 : 4} ("${out[key]}" and "${v}"): give at most one IPv4 and one IPv6 ${flag}`);
    out[key] = v;
  }
  return out;
}

/** The IPv4 subnet: the given one (checked against the store's networks and the host) or a free 10.91.N.0/24. */
function ipv4Entry(ctx: Context, networks: NetworkRecord[], given?: string, gatewayText?: string, ipRange?: string): SubnetEntry {
  const ownSubnets = networks.flatMap((n) => n.subnets.filter((s) => !isV6Text(s.subnet)).map((s) => parseCidr(s.subnet)));
  let subnet: Cidr;
  if (given) {
    subnet = parseCidr(given);
    const clash = networks.find((n) => n.subnets.some((s) => subnetTextsOverlap(s.subnet, formatCidr(subnet))));
    if (clash) throw new ConflictError(`subnet ${formatCidr(subnet)} overlaps network "${clash.name}" (${clash.subnets[0].subnet}): choose another --subnet`);
    if (hostSubnets().some((h) => cidrsOverlap(h, subnet))) throw new ConflictError(`subnet ${formatCidr(subnet)} is already used on the host: choose another --subnet`);
  } else {
    if (gatewayText || ipRange) throw new InvalidArgumentError(`an IPv4 --gateway or --ip-range ("${gatewayText ?? ipRange}") needs an IPv4 --subnet`);
    subnet = pickSubnet([...ownSubnets, ...hostSubnets(), ...podmanSubnets(), ...subnetsClaimedElsewhere(ctx)]);
  }
  const gateway = gatewayText ?? firstHost(subnet);
  if (!cidrContains(subnet, gateway)) throw new InvalidArgumentError(`invalid --gateway "${gateway}": not in subnet ${formatCidr(subnet)}`);
  const entry: SubnetEntry = { subnet: formatCidr(subnet), gateway };
  if (ipRange) {
    const range = parseCidr(ipRange, '--ip-range');
    if (range.prefix < subnet.prefix || !cidrContains(subnet, firstHost(range))) {
      throw new InvalidArgumentError(`invalid --ip-range "${ipRange}": not inside subnet ${formatCidr(subnet)}`);
    }
    const { first, last } = hostRange(range);
    entry.lease_range = { start_ip: numberToIp(first), end_ip: numberToIp(last) };
  }
  return entry;
}

/**
 * The IPv6 subnet: the given one (checked against every IPv6 subnet the store's networks, the
 * host, podman's networks and other stores use) or a random unique local /64 none of them has.
 */
function ipv6Entry(ctx: Context, networks: NetworkRecord[], given?: string, gatewayText?: string, ipRange?: string): SubnetEntry {
  const used = [...networks.flatMap((n) => n.subnets.map((s) => s.subnet)), ...hostSubnets6(), ...podmanSubnets6(), ...subnets6ClaimedElsewhere(ctx)].filter(isV6Text);
  let subnet: Cidr6;
  if (given) {
    subnet = parseCidr6(given);
    const text = formatCidr6(subnet);
    const clash = networks.find((n) => n.subnets.some((s) => subnetTextsOverlap(s.subnet, text)));
    if (clash) throw new ConflictError(`subnet ${text} overlaps network "${clash.name}" (${clash.subnets.map((s) => s.subnet).join(', ')}): choose another --subnet`);
    const other = used.find((u) => subnetTextsOverlap(u, text));
    if (other) throw new ConflictError(`subnet ${text} overlaps ${other}, already used on the host or by another pman store or podman: choose another --subnet`);
  } else {
    if (gatewayText || ipRange) throw new InvalidArgumentError(`an IPv6 --gateway or --ip-range ("${gatewayText ?? ipRange}") needs an IPv6 --subnet`);
    do subnet = randomUla64();
    while (used.some((u) => subnetTextsOverlap(u, formatCidr6(subnet))));
  }
  const gateway = gatewayText ?? firstHost6(subnet);
  const { first, last } = hostRange6(subnet);
  if (!cidr6Contains(subnet, gateway) || ip6ToBig(gateway) < first) throw new InvalidArgumentError(`invalid --gateway "${gateway}": not a host address of subnet ${formatCidr6(subnet)}`);
  const entry: SubnetEntry = { subnet: formatCidr6(subnet), gateway: canonicalIp6(gateway) };
  if (ipRange) {
    const range = parseCidr6(ipRange, '--ip-range');
    if (range.prefix < subnet.prefix || !cidr6Contains(subnet, firstHost6(range))) {
      throw new InvalidArgumentError(`invalid --ip-range "${ipRange}": not inside subnet ${formatCidr6(subnet)}`);
    }
    const r = hostRange6(range);
    entry.lease_range = { start_ip: bigToIp6(r.first), end_ip: bigToIp6(r.last < last ? r.last : last) };
  }
  return entry;
}

function buildRecord(ctx: Context, opts: CreateNetworkOptions): NetworkRecord {
  const networks = listNetworks(ctx);
  const name = opts.name ?? defaultName(new Set(networks.map((n) => n.name)));
  if (!NAME_RE.test(name)) throw new InvalidArgumentError(`invalid network name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  if (name === DEFAULT_NETWORK || fs.existsSync(networkRecordFile(ctx, name))) {
    throw new ConflictError(`network name "${name}" is already used: choose another name or remove it first`);
  }
  const options = opts.options ?? {};
  checkOptions(options);
  const given = { subnet: byFamily(opts.subnets, '--subnet'), gateway: byFamily(opts.gateways, '--gateway'), ipRange: byFamily(opts.ipRanges, '--ip-range') };
  // An IPv6 --subnet makes the network dual stack, as --ipv6 does (podman does the same).
  const ipv6 = opts.ipv6 === true || given.subnet.v6 !== undefined;
  if (!ipv6 && (given.gateway.v6 || given.ipRange.v6)) throw new InvalidArgumentError(`IPv6 --gateway or --ip-range "${given.gateway.v6 ?? given.ipRange.v6}" needs an IPv6 network: add --ipv6 and an IPv6 --subnet`);
  const subnets = [ipv4Entry(ctx, networks, given.subnet.v4, given.gateway.v4, given.ipRange.v4)];
  if (ipv6) subnets.push(ipv6Entry(ctx, networks, given.subnet.v6, given.gateway.v6, given.ipRange.v6));
  const bridges = new Set([...networks.map((n) => n.network_interface)]);
  let bridge = opts.interfaceName;
  if (bridge !== undefined) {
    checkInterfaceName(bridge);
    const other = networks.find((n) => n.network_interface === bridge);
    if (other) throw new ConflictError(`bridge name "${bridge}" is already used by network "${other.name}": choose another --interface-name`);
  } else {
    bridge = pickBridge(new Set([...bridges, ...hostLinks()]));
  }
  return {
    version: 1,
    name,
    id: newId(),
    driver: 'bridge',
    network_interface: bridge,
    created: new Date().toISOString(),
    subnets,
    ipv6_enabled: ipv6,
    internal: opts.internal === true,
    dns_enabled: opts.disableDns !== true,
    labels: opts.labels ?? {},
    options,
    ipam_options: { driver: 'host-local' },
  };
}

export async function createNetwork(ctx: Context, opts: CreateNetworkOptions): Promise<NetworkRecord> {
  if (opts.driver !== undefined && opts.driver !== 'bridge') {
    throw new InvalidArgumentError(`unsupported network driver "${opts.driver}": pman has only the bridge driver`);
  }
  return withLock(networkCreateLock(ctx), async () => {
    if (opts.ignore && opts.name) {
      const existing = listNetworks(ctx).find((n) => n.name === opts.name);
      if (existing) return existing;
    }
    const rec = buildRecord(ctx, opts);
    // Written first: the claim's holder is the record (another store's claim in the meantime fails it).
    writeNetwork(ctx, rec);
    await claimSubnets(ctx, rec).catch((err) => {
      deleteNetworkFiles(ctx, rec.name);
      throw err;
    });
    objectEvent(ctx, 'network', 'create', rec.id, rec.name);
    return rec;
  });
}
