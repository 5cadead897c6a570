// `pman network create`: checks the options, picks a free subnet and bridge name when none is
// given (never one podman, the host or another pman network uses), and writes the record. The
// bridge itself is made by netavark when the first container joins.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError } from '../errors.js';
import { NAME_RE, newId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { hostLinks, hostSubnets, podmanSubnets } from './host-usage.js';
import { networkCreateLock, networkRecordFile } from './network-paths.js';
import type { NetworkRecord } from './network-record.js';
import { DEFAULT_NETWORK, deleteNetworkFiles, listNetworks, writeNetwork } from './networks.js';
import { claimSubnets, subnetsClaimedElsewhere } from './subnet-claims.js';
import { objectEvent } from '../events/events-file.js';
import { cidrContains, cidrsOverlap, firstHost, formatCidr, hostRange, ipToNumber, numberToIp, parseCidr, type Cidr } from './subnet.js';

export interface CreateNetworkOptions {
  name?: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
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

function buildRecord(ctx: Context, opts: CreateNetworkOptions): NetworkRecord {
  const networks = listNetworks(ctx);
  const name = opts.name ?? defaultName(new Set(networks.map((n) => n.name)));
  if (!NAME_RE.test(name)) throw new InvalidArgumentError(`invalid network name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  if (name === DEFAULT_NETWORK || fs.existsSync(networkRecordFile(ctx, name))) {
    throw new ConflictError(`network name "${name}" is already used: choose another name or remove it first`);
  }
  const options = opts.options ?? {};
  checkOptions(options);
  const ownSubnets = networks.flatMap((n) => n.subnets.map((s) => parseCidr(s.subnet)));
  let subnet: Cidr;
  if (opts.subnet) {
    subnet = parseCidr(opts.subnet);
    const clash = networks.find((n) => n.subnets.some((s) => cidrsOverlap(parseCidr(s.subnet), subnet)));
    if (clash) throw new ConflictError(`subnet ${formatCidr(subnet)} overlaps network "${clash.name}" (${clash.subnets[0].subnet}): choose another --subnet`);
    if (hostSubnets().some((h) => cidrsOverlap(h, subnet))) throw new ConflictError(`subnet ${formatCidr(subnet)} is already used on the host: choose another --subnet`);
  } else {
    if (opts.gateway || opts.ipRange) throw new InvalidArgumentError('--gateway and --ip-range need --subnet');
    subnet = pickSubnet([...ownSubnets, ...hostSubnets(), ...podmanSubnets(), ...subnetsClaimedElsewhere(ctx)]);
  }
  const gateway = opts.gateway ?? firstHost(subnet);
  if (!cidrContains(subnet, gateway)) throw new InvalidArgumentError(`invalid --gateway "${gateway}": not in subnet ${formatCidr(subnet)}`);
  const entry: NetworkRecord['subnets'][number] = { subnet: formatCidr(subnet), gateway };
  if (opts.ipRange) {
    const range = parseCidr(opts.ipRange, '--ip-range');
    if (range.prefix < subnet.prefix || !cidrContains(subnet, firstHost(range))) {
      throw new InvalidArgumentError(`invalid --ip-range "${opts.ipRange}": not inside subnet ${formatCidr(subnet)}`);
    }
    const { first, last } = hostRange(range);
    entry.lease_range = { start_ip: numberToIp(first), end_ip: numberToIp(last) };
  }
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
    subnets: [entry],
    ipv6_enabled: false,
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
