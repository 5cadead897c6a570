// Wiring a container to its networks and unwiring it: the namespace, netavark setup, and the
// record of what setup was given (netns/<id>.json), written before setup runs so that whoever
// tears down (the shim at exit, reconciliation after a crash, rm -f) replays exactly those
// options, even when the network or the container record changed or is gone meanwhile.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { ConflictError, PmanError } from '../errors.js';
import { listStateDir, writeJsonAtomic } from '../state/atomic.js';
import type { ContainerRecord } from '../state/container-record.js';
import { keepDefaultBridge } from './bridge-keeper.js';
import { leaseAddress, releaseLease, type LeasePool } from './leases.js';
import { netavark, type NetavarkOptions, type NetavarkStatus, type PortMapping } from './netavark.js';
import { netavarkConfigDir, netnsDir, netSetupFile, sharedLeases } from './network-paths.js';
import { leasedAtWiring, loadNetwork } from './networks.js';
import { createNetns, removeNetns } from './netns.js';
import { usernsPath } from '../state/paths.js';
import { checkHostPortsFree, claimHostPorts, releaseHostPorts, type PortSpec } from './ports.js';
import { readSetup, wiredContext, type SetupRecord } from './setup-record.js';
import { startUserMode, stopUserMode, type UserModeHelper } from './user-mode/helper.js';
import { isUserMode } from './user-mode/options.js';
import { portsForUserNetns, unwireFromUserNetns, wireInUserNetns } from './user-netns/use.js';

export { readSetup, writeSetup, type SetupRecord } from './setup-record.js';

/** The container's published ports in netavark's terms. */
function portMappings(ports: PortSpec[]): PortMapping[] {
  return ports.map((p) => ({ host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: p.range, protocol: p.protocol }));
}

/** netavark's options for a container, from its record and its networks' records. */
export function netavarkOptions(ctx: Context, rec: ContainerRecord): NetavarkOptions {
  const n = rec.config.network!;
  const opts: NetavarkOptions = { container_id: rec.id, container_name: rec.name, networks: {}, network_info: {} };
  for (const [name, entry] of Object.entries(n.networks ?? {})) {
    const { version: _v, labels: _l, created: _c, ...info } = loadNetwork(ctx, name);
    opts.network_info[name] = info;
    opts.networks[name] = {
      interface_name: entry.interface,
      static_ips: [entry.ip, entry.ip6].filter((ip): ip is string => ip !== undefined),
      ...(entry.aliases?.length ? { aliases: entry.aliases } : {}),
      ...(entry.mac ? { static_mac: entry.mac } : {}),
    };
  }
  if (n.ports?.length) {
    opts.port_mappings = portMappings(n.ports as PortSpec[]);
  }
  if (n.dns?.length) opts.dns_servers = n.dns;
  return opts;
}

/** The machine-wide pool a network's addresses are leased from at wiring (root's default network), else undefined. */
function leasePool(ctx: Context, name: string, info: unknown): LeasePool | undefined {
  if (!leasedAtWiring(ctx, name)) return undefined;
  const subnet = (info as { subnets: Array<{ subnet: string; gateway: string }> }).subnets[0];
  return { ...sharedLeases(name), network: name, subnet: subnet.subnet, gateway: subnet.gateway };
}

/**
 * Leases the addresses of the networks in `options` that lease at wiring (the requested --ip, if
 * any, is in static_ips already) and writes them into static_ips.
 */
export async function leaseWiredAddresses(ctx: Context, netns: string, options: NetavarkOptions): Promise<void> {
  for (const [name, entry] of Object.entries(options.networks)) {
    const pool = leasePool(ctx, name, options.network_info[name]);
    if (pool) entry.static_ips = [await leaseAddress(pool, netns, entry.static_ips[0])];
  }
}

/** Gives back what leaseWiredAddresses took (safe to repeat). */
export async function releaseWiredAddresses(ctx: Context, netns: string, options: NetavarkOptions): Promise<void> {
  for (const [name, entry] of Object.entries(options.networks)) {
    const pool = leasePool(ctx, name, options.network_info[name]);
    if (pool) for (const ip of entry.static_ips) await releaseLease(pool, netns, ip);
  }
}

/** The addresses netavark is given, network -> address. */
export function addressesOf(options: NetavarkOptions | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(options?.networks ?? {})) if (entry.static_ips[0]) out[name] = entry.static_ips[0];
  return out;
}

/** The addresses a wired container has, network -> address (from what setup was given). */
export function wiredAddresses(ctx: Context, id: string): Record<string, string> {
  return addressesOf(readSetup(ctx, id)?.options);
}

/**
 * A host port another wired container publishes is refused: netavark only writes DNAT rules, so
 * nothing on the host holds the port and the bind check below cannot see it.
 */
function checkNotPublishedElsewhere(ctx: Context, id: string, ports: PortMapping[]): void {
  if (ports.length === 0) return;
  const overlaps = (a: PortMapping, b: PortMapping) =>
    a.protocol === b.protocol && (!a.host_ip || !b.host_ip || a.host_ip === b.host_ip) && a.host_port < b.host_port + b.range && b.host_port < a.host_port + a.range;
  for (const f of listStateDir(netnsDir(ctx), 'network setups', (n) => n.endsWith('.json') && n !== `${id}.json`)) {
    const other = readSetup(ctx, f.slice(0, -5));
    const clash = ports.find((p) => (other?.options.port_mappings ?? []).some((o) => overlaps(p, o)));
    if (clash) {
      throw new ConflictError(`cannot publish port ${clash.host_port}/${clash.protocol}: container ${f.slice(0, 12)} publishes it already, choose another with -p`);
    }
  }
}

/** True when the container is wired to networks now (its setup record exists). */
export function isWired(ctx: Context, id: string): boolean {
  return fs.existsSync(netSetupFile(ctx, id));
}

/**
 * Makes the container's namespace, leases the addresses of networks that lease at wiring, and has
 * netavark wire it; returns what setup was given and answered. On failure everything done so far
 * is torn down before the error is reported.
 */
export async function wireContainer(ctx: Context, rec: ContainerRecord): Promise<SetupRecord | undefined> {
  const mode = rec.config.network?.mode;
  if (isUserMode(mode)) return wireUserMode(ctx, rec, mode);
  const wiring = await startWiring(ctx, rec);
  return wiring?.done ?? wiring?.setup;
}

/**
 * wireContainer in two steps for a bridge container: the namespace, the leased addresses and the
 * setup record now (what the container's files need), and netavark's setup as `done`, which may
 * run while runc creates the container in the namespace. `done` tears everything down if it fails.
 * A user's network (rootless) is wired before this returns: there is no `done`.
 */
export async function startWiring(ctx: Context, rec: ContainerRecord): Promise<{ setup: SetupRecord; done?: Promise<SetupRecord> } | undefined> {
  if (rec.config.network?.mode !== 'bridge' || !rec.config.network) return undefined;
  await unwireContainer(ctx, rec.id).catch(() => undefined);
  const options = netavarkOptions(ctx, rec);
  checkNotPublishedElsewhere(ctx, rec.id, options.port_mappings ?? []);
  await checkHostPortsFree((rec.config.network.ports ?? []) as PortSpec[]);
  await keepDefaultBridge(ctx, options);
  const netns = createNetns(ctx, rec.id, rec.config.idMaps ? usernsPath(ctx, rec.id) : undefined);
  const setup: SetupRecord = { netns, options };
  if (ctx.engine?.networkConfigDir && !ctx.rootless) setup.configDir = netavarkConfigDir(ctx);
  const failed = async (err: unknown): Promise<never> => {
    await unwireContainer(ctx, rec.id).catch(() => undefined);
    throw err;
  };
  try {
    // Leased after the namespace exists (a lease lives as long as it) and recorded before setup runs.
    if (!ctx.rootless) await claimHostPorts(netns, options.port_mappings ?? []);
    await leaseWiredAddresses(ctx, netns, options);
    if (ctx.rootless) portsForUserNetns(setup);
    writeJsonAtomic(netSetupFile(ctx, rec.id), setup);
    // A user's network is wired inside their network namespace holder before runc comes in.
    if (ctx.rootless) await wireInUserNetns(ctx, rec.id, setup, () => netavark(ctx, 'setup', netns, options));
  } catch (err) {
    return failed(err);
  }
  if (ctx.rootless) {
    writeJsonAtomic(netSetupFile(ctx, rec.id), setup);
    return { setup };
  }
  const done = (async () => {
    setup.status = await netavark(ctx, 'setup', netns, options);
    writeJsonAtomic(netSetupFile(ctx, rec.id), setup);
    return setup;
  })().catch(failed);
  // Marked handled here: the caller may fail (and clean up) before it awaits `done`.
  done.catch(() => undefined);
  return { setup, done };
}

/** The namespace, then the user-mode stack on it (the setup record names it before it starts, pid after). */
async function wireUserMode(ctx: Context, rec: ContainerRecord, kind: UserModeHelper['kind']): Promise<SetupRecord> {
  await unwireContainer(ctx, rec.id).catch(() => undefined);
  const ports = (rec.config.network?.ports ?? []) as PortSpec[];
  const options: NetavarkOptions = { container_id: rec.id, container_name: rec.name, networks: {}, network_info: {} };
  if (ports.length) options.port_mappings = portMappings(ports);
  checkNotPublishedElsewhere(ctx, rec.id, options.port_mappings ?? []);
  await checkHostPortsFree(ports);
  const netns = createNetns(ctx, rec.id);
  const setup: SetupRecord = { netns, options };
  try {
    writeJsonAtomic(netSetupFile(ctx, rec.id), setup);
    setup.userMode = await startUserMode(ctx, rec, kind, netns);
    writeJsonAtomic(netSetupFile(ctx, rec.id), setup);
    return setup;
  } catch (err) {
    await unwireContainer(ctx, rec.id).catch(() => undefined);
    throw err;
  }
}

/**
 * Undoes what wireContainer did, from its setup record: netavark teardown (rules, veth, bridge
 * when it was the last user, aardvark entries), the namespace, the leases, the record. Safe to
 * repeat; the namespace, the leases and the record go even when teardown fails, and that failure
 * is then reported. A lease is given back only once its namespace is gone, so no other container
 * gets the address while this one's interface may still have it.
 */
export async function unwireContainer(ctx: Context, id: string): Promise<void> {
  const file = netSetupFile(ctx, id);
  const setup = readSetup(ctx, id);
  let failure: unknown;
  if (setup?.userMode) {
    await stopUserMode(ctx, id, setup.userMode, setup.netns).catch((err) => (failure = err));
  } else if (setup && ctx.rootless) {
    const teardown = async () => void (fs.existsSync(setup.netns) && Object.keys(setup.options.networks).length && (await netavark(ctx, 'teardown', setup.netns, setup.options)));
    await unwireFromUserNetns(ctx, id, setup, teardown).catch((err) => (failure = err));
  } else if (setup && fs.existsSync(setup.netns) && Object.keys(setup.options.networks).length) {
    await netavark(wiredContext(ctx, setup), 'teardown', setup.netns, setup.options).catch((err) => (failure = err));
  }
  removeNetns(ctx, id);
  if (setup) await releaseWiredAddresses(ctx, setup.netns, setup.options).catch((err) => (failure ??= err));
  if (setup && !ctx.rootless) await releaseHostPorts(setup.netns, setup.options.port_mappings ?? []).catch((err) => (failure ??= err));
  fs.rmSync(file, { force: true });
  if (failure) throw failure instanceof PmanError ? failure : new PmanError('system', String(failure));
}
