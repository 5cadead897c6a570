// The network store: load, list, write and delete network records. The default network "pman"
// is built in (it has no file until it is first used, as podman's "podman" network); every other
// network is a directory networks/<name>/ holding its record and its address allocations.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { NotFoundError, found, systemError } from '../errors.js';
import { listStateDir, loadEach, readJsonValidated, writeJsonAtomic } from '../state/atomic.js';
import { NAME_RE } from '../state/ids.js';
import { networkDir, networkRecordFile, networksDir } from './network-paths.js';
import { validateNetworkRecord, type NetworkRecord } from './network-record.js';

/** pman's default network: never podman's name (podman), bridge (podman0) or subnets (10.88/16, 10.89.x/24). */
export const DEFAULT_NETWORK = 'pman';
export const DEFAULT_BRIDGE = 'pman0';
export const DEFAULT_SUBNET = '10.90.0.0/16';
const DEFAULT_ID = 'c6d24ec371103faec83336a01cccc0880bffdf9a8977d7f86bd6666712e30661';

export function defaultNetwork(): NetworkRecord {
  return {
    version: 1,
    name: DEFAULT_NETWORK,
    id: DEFAULT_ID,
    driver: 'bridge',
    network_interface: DEFAULT_BRIDGE,
    // podman makes its default network's record when asked for it: created is now.
    created: new Date().toISOString(),
    subnets: [{ subnet: DEFAULT_SUBNET, gateway: '10.90.0.1' }],
    ipv6_enabled: false,
    internal: false,
    dns_enabled: false,
    labels: {},
    options: {},
    ipam_options: { driver: 'host-local' },
  };
}

/**
 * True for a network whose addresses are leased machine-wide when a container is wired, not
 * assigned per store at create: root's default network, whose one bridge every store shares
 * (lib/network/leases.ts).
 */
export function leasedAtWiring(ctx: Context, name: string): boolean {
  return name === DEFAULT_NETWORK && !ctx.rootless;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`unable to find network with name or ID "${name}": network not found, run "pman network ls" to list networks`);
}

function loadNamed(ctx: Context, name: string): NetworkRecord {
  if (!NAME_RE.test(name)) throw notFound(name);
  try {
    return readJsonValidated(networkRecordFile(ctx, name), validateNetworkRecord, `network "${name}" record`);
  } catch (err) {
    if (err instanceof NotFoundError) {
      if (name === DEFAULT_NETWORK) return defaultNetwork();
      throw notFound(name);
    }
    throw err;
  }
}

/** All networks, the default one first; a corrupt record is reported once and left out. */
export function listNetworks(ctx: Context): NetworkRecord[] {
  const names = listStateDir(networksDir(ctx), 'networks', (n) => NAME_RE.test(n) && n !== DEFAULT_NETWORK).sort();
  return [loadNamed(ctx, DEFAULT_NETWORK), ...loadEach(names, (n) => loadNamed(ctx, n), ctx.warn)];
}

/** A network by name, full ID or unique ID prefix (podman's rule). */
export function loadNetwork(ctx: Context, ref: string): NetworkRecord {
  if (NAME_RE.test(ref) && (ref === DEFAULT_NETWORK || fs.existsSync(networkRecordFile(ctx, ref)))) return loadNamed(ctx, ref);
  if (/^[0-9a-f]+$/.test(ref)) {
    const hits = listNetworks(ctx).filter((n) => n.id.startsWith(ref));
    if (hits.length === 1) return hits[0];
  }
  throw notFound(ref);
}

export const networkExists: (ctx: Context, ref: string) => boolean = found(loadNetwork);

/** Writes a network's record (the caller holds its lock, or the create lock for a new one). */
export function writeNetwork(ctx: Context, rec: NetworkRecord): void {
  try {
    fs.mkdirSync(networkDir(ctx, rec.name), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw systemError(`create the directory of network "${rec.name}"`, err);
  }
  writeJsonAtomic(networkRecordFile(ctx, rec.name), rec);
}

/** Deletes a network's files (record and allocations); the caller has checked nobody uses it. */
export function deleteNetworkFiles(ctx: Context, name: string): void {
  const doomed = path.join(networksDir(ctx), `.rm-${name}-${process.pid}-${Date.now()}`);
  try {
    fs.renameSync(networkDir(ctx, name), doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw systemError(`remove network "${name}"`, err);
  }
}
