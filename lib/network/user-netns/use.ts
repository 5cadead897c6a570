// A rootless container's wiring to bridge networks through its user's network namespace
// (holder.ts): netavark runs in that namespace (netavark.ts enters it), and each published port is
// a slirp4netns forward from the host to the namespace's own address (10.0.2.100) on the same
// port, where netavark's DNAT rule takes it to the container. Every step that makes, uses or
// ends the namespace holds its lock, so a container being wired and the last one being unwired
// never race: the last unwiring ends it (no container left on a user network, no holder left).
import fs from 'node:fs';
import type { Context } from '../../context.js';
import { listStateDir } from '../../state/atomic.js';
import { withLock } from '../../state/lock.js';
import { isMountedNetns } from '../leases.js';
import type { NetavarkStatus, PortMapping } from '../netavark.js';
import { netnsDir } from '../network-paths.js';
import type { PortSpec } from '../ports.js';
import { readSetup, writeSetup, type SetupRecord } from '../setup-record.js';
import { slirpForward, slirpUnforward } from '../user-mode/slirp4netns.js';
import { endUserNetns, ensureUserNetns, userNetnsExists } from './holder.js';
import { userNetnsApiSocket, userNetnsLock, userNetnsPath } from './paths.js';

/** Containers of this store wired to bridge networks now (their setup records), other than `except`. */
function users(ctx: Context, except: string): string[] {
  const ids = listStateDir(netnsDir(ctx), 'network setups', (n) => n.endsWith('.json') && n !== `${except}.json`).map((f) => f.slice(0, -5));
  return ids.filter((id) => {
    const s = readSetup(ctx, id);
    return !!s && !s.userMode && Object.keys(s.options.networks).length > 0;
  });
}

/**
 * A published port as a slirp4netns forward: the host's port to the same port of the namespace's
 * own address (netavark's DNAT there does the rest).
 */
export function forwarded(ports: readonly PortMapping[]): PortSpec[] {
  return ports.map((p) => ({ hostIp: p.host_ip, hostPort: p.host_port, containerPort: p.host_port, protocol: p.protocol, range: p.range }) as PortSpec);
}

/** After the uplink was restarted: the ports of the containers still wired, published again. */
async function reforward(ctx: Context, ids: string[]): Promise<void> {
  for (const id of ids) {
    const s = readSetup(ctx, id);
    if (!s?.forwards?.ports.length) continue;
    s.forwards.ids = await slirpForward(userNetnsApiSocket(ctx), forwarded(s.forwards.ports));
    writeSetup(ctx, id, s);
  }
}

/**
 * netavark binds nothing: in the namespace its DNAT rule must match the forwarded packets, whose
 * destination is the namespace's address, so the host address a port was published on is the
 * forward's business, not netavark's.
 */
export function portsForUserNetns(setup: SetupRecord): void {
  const ports = setup.options.port_mappings ?? [];
  if (ports.length === 0) return;
  setup.forwards = { ports: ports.map((p) => ({ ...p })), ids: [] };
  setup.options.port_mappings = ports.map((p) => ({ ...p, host_ip: '' }));
}

/**
 * Runs `setup` (netavark setup, entering the namespace) with the namespace made or recovered, then
 * publishes the container's ports. The setup record is on disk already, so a concurrent last
 * unwiring counts this container as a user.
 */
export async function wireInUserNetns(ctx: Context, id: string, setup: SetupRecord, run: () => Promise<NetavarkStatus>): Promise<void> {
  await withLock(userNetnsLock(ctx), async () => {
    const others = users(ctx, id);
    await ensureUserNetns(ctx, others.length > 0, () => reforward(ctx, others));
    setup.status = await run();
    if (setup.forwards?.ports.length) {
      writeSetup(ctx, id, setup);
      setup.forwards.ids = await slirpForward(userNetnsApiSocket(ctx), forwarded(setup.forwards.ports));
    }
  });
}

/**
 * Withdraws the container's forwards, runs `teardown` (netavark teardown, when the namespace is
 * still there), and ends the namespace when no other container uses it.
 */
export async function unwireFromUserNetns(ctx: Context, id: string, setup: SetupRecord | undefined, teardown: () => Promise<void>): Promise<void> {
  if (!userNetnsExists(ctx)) return;
  await withLock(userNetnsLock(ctx), async () => {
    let failure: unknown;
    if (setup?.forwards?.ids.length && fs.existsSync(userNetnsApiSocket(ctx))) await slirpUnforward(userNetnsApiSocket(ctx), setup.forwards.ids);
    if (isMountedNetns(userNetnsPath(ctx))) await teardown().catch((err) => (failure = err));
    if (users(ctx, id).length === 0) await endUserNetns(ctx);
    if (failure) throw failure;
  });
}

/** True when the namespace (or what is left of it) exists while no container of the store is wired to it. */
export function userNetnsUnused(ctx: Context): boolean {
  return userNetnsExists(ctx) && users(ctx, '').length === 0;
}

/** The namespace taken down when no container of the store is wired to it (system migrate, check). */
export async function reapUserNetns(ctx: Context): Promise<boolean> {
  if (!userNetnsExists(ctx)) return false;
  return withLock(userNetnsLock(ctx), async () => {
    if (users(ctx, '').length > 0) return false;
    await endUserNetns(ctx);
    return true;
  });
}
