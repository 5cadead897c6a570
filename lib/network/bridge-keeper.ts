// Root's default bridge stays up between containers, as docker0 does: a namespace that pman keeps
// (no process, a bind mount) holds one port of pman0, wired by netavark like a container. Without
// it, the last container's teardown deletes the bridge and the network's iptables chains and the
// next container's setup makes them again: measured here, netavark's teardown of the bridge's last
// user takes ~180 ms against ~45 ms when another port remains (docs/networking.md).
//
//   /run/pman-shared/keeper/pman        the namespace (an nsfs bind mount)
//   /run/pman-shared/keeper/pman.json   what netavark setup was given, replayed at teardown
//
// Machine-wide like the bridge and the address leases: every store's containers share it. It goes
// with a reboot (/run), and with `pman system reset` when no container on the machine is wired to
// the default network. A keeper that cannot be made costs only speed: the container is wired anyway.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { writeJsonAtomic } from '../state/atomic.js';
import { withLock } from '../state/lock.js';
import { isMountedNetns, leaseAddress, releaseLease, type LeasePool } from './leases.js';
import { netavark, type NetavarkOptions } from './netavark.js';
import { sharedLeases } from './network-paths.js';
import { DEFAULT_BRIDGE, DEFAULT_NETWORK, defaultNetwork, leasedAtWiring } from './networks.js';
import { createNetnsAt, removeNetnsAt } from './netns.js';

export const KEEPER_DIR = '/run/pman-shared/keeper';
const KEEPER_LOCK = '/run/lock/pman/keeper';
const keeperNetns = path.join(KEEPER_DIR, DEFAULT_NETWORK);
const keeperRecord = `${keeperNetns}.json`;

/**
 * netavark's --config directory for the keeper is its own (no DNS lives there): never a store's
 * runtime root, which a `system reset` has just removed when it drops the keeper.
 */
function keeperCtx(ctx: Context): Context {
  // Never a --network-config-dir: the keeper is one for the machine.
  return { ...ctx, runroot: KEEPER_DIR, engine: undefined };
}

function pool(): LeasePool {
  const { subnets } = defaultNetwork();
  return { ...sharedLeases(DEFAULT_NETWORK), network: DEFAULT_NETWORK, subnet: subnets[0].subnet, gateway: subnets[0].gateway };
}

/** The keeper is in place: its record, its namespace, and the bridge it holds. */
function kept(): boolean {
  return fs.existsSync(keeperRecord) && fs.existsSync(`/sys/class/net/${DEFAULT_BRIDGE}`) && isMountedNetns(keeperNetns);
}

function readRecord(): NetavarkOptions | undefined {
  try {
    return JSON.parse(fs.readFileSync(keeperRecord, 'utf8')) as NetavarkOptions;
  } catch {
    return undefined;
  }
}

/**
 * Before a container is wired to root's default network: makes the keeper if it is not there (or
 * remakes it when its bridge was deleted under it). One stat of three paths when it is there.
 */
export async function keepDefaultBridge(ctx: Context, options: NetavarkOptions): Promise<void> {
  if (!(DEFAULT_NETWORK in options.networks) || !leasedAtWiring(ctx, DEFAULT_NETWORK) || kept()) return;
  try {
    await withLock(KEEPER_LOCK, async () => {
      if (kept()) return;
      await dropKeeper(ctx);
      fs.mkdirSync(KEEPER_DIR, { recursive: true, mode: 0o700 });
      createNetnsAt(ctx, keeperNetns, "of the default bridge's keeper");
      const { version: _v, labels: _l, created: _c, ...info } = defaultNetwork();
      const ip = await leaseAddress(pool(), keeperNetns);
      const opts: NetavarkOptions = {
        container_id: 'pman-bridge-keeper',
        container_name: 'pman-bridge-keeper',
        networks: { [DEFAULT_NETWORK]: { interface_name: 'eth0', static_ips: [ip] } },
        network_info: { [DEFAULT_NETWORK]: info },
      };
      writeJsonAtomic(keeperRecord, opts);
      await netavark(keeperCtx(ctx), 'setup', keeperNetns, opts);
    });
  } catch (err) {
    ctx.debug(`the default bridge's keeper could not be made: ${(err as Error).message}`);
    await withLock(KEEPER_LOCK, () => dropKeeper(ctx)).catch(() => undefined);
  }
}

/** Tears the keeper down (netavark teardown from its record, the namespace, the lease); safe to repeat. */
async function dropKeeper(ctx: Context): Promise<void> {
  const opts = readRecord();
  if (opts && isMountedNetns(keeperNetns)) await netavark(keeperCtx(ctx), 'teardown', keeperNetns, opts).catch(() => undefined);
  removeNetnsAt(keeperNetns);
  for (const ip of opts?.networks[DEFAULT_NETWORK]?.static_ips ?? []) await releaseLease(pool(), keeperNetns, ip);
  fs.rmSync(keeperRecord, { force: true });
}

/**
 * `system reset`: the keeper goes when no container on the machine (any store) holds an address
 * on the default network, so the bridge and its rules go too, as they would without a keeper.
 */
export async function releaseDefaultBridge(ctx: Context): Promise<void> {
  if (!leasedAtWiring(ctx, DEFAULT_NETWORK) || !fs.existsSync(keeperRecord)) return;
  await withLock(KEEPER_LOCK, async () => {
    const dir = pool().dir;
    const others = (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((ip) => {
      try {
        const target = fs.readlinkSync(path.join(dir, ip));
        return target !== keeperNetns && isMountedNetns(target);
      } catch {
        return false;
      }
    });
    if (others.length === 0) await dropKeeper(ctx);
  });
}
