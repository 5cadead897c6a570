// Root's network subnets, claimed machine-wide: every store (every --root) has its own network
// records, but their bridges share the host's routing, so two stores must never pick the same
// 10.91.N.0/24 (nor overlapping IPv6 subnets). A network's subnet is claimed when it is created and given back when it is
// removed: `<dir>/<a.b.c.d>_<prefix>` -> `<its network.json>#<its ID>`, live while that file
// still holds that network (a store wiped or a network removed by hand frees it). The directory
// is persistent, as the records are (docs/networking.md).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { ConflictError } from '../errors.js';
import { claimKeys, liveClaims, releaseKeys, type ClaimSet } from './leases.js';
import { networkRecordFile } from './network-paths.js';
import type { NetworkRecord } from './network-record.js';
import { formatCidr, parseCidr, type Cidr } from './subnet.js';
import { formatCidr6, isV6Text, parseCidr6, subnetTextsOverlap } from './subnet6.js';

function holderAlive(holder: string): boolean {
  const i = holder.lastIndexOf('#');
  try {
    return (JSON.parse(fs.readFileSync(holder.slice(0, i), 'utf8')) as { id?: string }).id === holder.slice(i + 1);
  } catch {
    return false;
  }
}

const SUBNET_CLAIMS: ClaimSet = { dir: '/var/lib/pman-shared/subnets', lock: '/run/lock/pman/subnets', alive: holderAlive };

// An IPv6 subnet's key is its canonical text with the same '_' (fd12:3456:789a::_64: ':' is a
// valid file name character).
const keyOf = (subnet: string) => (isV6Text(subnet) ? formatCidr6(parseCidr6(subnet)) : formatCidr(parseCidr(subnet))).replace('/', '_');
const textOf = (key: string) => key.replace('_', '/');
const holderOf = (ctx: Context, rec: NetworkRecord) => `${networkRecordFile(ctx, rec.name)}#${rec.id}`;

/** The subnets other stores' networks hold (root only: a user's networks are in their own namespace). */
export function subnetsClaimedElsewhere(ctx: Context): Cidr[] {
  if (ctx.rootless) return [];
  return [...liveClaims(SUBNET_CLAIMS).keys()].map(textOf).filter((t) => !isV6Text(t)).map((t) => parseCidr(t));
}

/** The IPv6 subnets other stores' networks hold (root only), as text. */
export function subnets6ClaimedElsewhere(ctx: Context): string[] {
  if (ctx.rootless) return [];
  return [...liveClaims(SUBNET_CLAIMS).keys()].map(textOf).filter(isV6Text);
}

/**
 * Claims a written network's subnets for it, or fails naming the network of another store that
 * holds an overlapping one (whose record file says which store).
 */
export async function claimSubnets(ctx: Context, rec: NetworkRecord): Promise<void> {
  if (ctx.rootless) return;
  const keys = rec.subnets.map((s) => keyOf(s.subnet));
  const clash = await claimKeys(SUBNET_CLAIMS, holderOf(ctx, rec), keys, (a, b) => subnetTextsOverlap(textOf(a), textOf(b)));
  if (!clash) return;
  const file = clash.holder.slice(0, clash.holder.lastIndexOf('#'));
  throw new ConflictError(`subnet ${textOf(clash.key)} overlaps subnet ${textOf(clash.theirs)} of the network in ${file} (another pman store): choose another --subnet`);
}

/** Gives back a removed network's subnets (safe to repeat). */
export async function releaseSubnets(ctx: Context, rec: NetworkRecord): Promise<void> {
  if (ctx.rootless) return;
  await releaseKeys(SUBNET_CLAIMS, holderOf(ctx, rec), rec.subnets.map((s) => keyOf(s.subnet)));
}
