// Root's network subnets, claimed machine-wide: every store (every --root) has its own network
// records, but their bridges share the host's routing, so two stores must never pick the same
// 10.91.N.0/24. A network's subnet is claimed when it is created and given back when it is
// removed: `<dir>/<a.b.c.d>_<prefix>` -> `<its network.json>#<its ID>`, live while that file
// still holds that network (a store wiped or a network removed by hand frees it). The directory
// is persistent, as the records are (docs/networking.md).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { ConflictError } from '../errors.js';
import { claimKeys, liveClaims, releaseKeys, type ClaimSet } from './leases.js';
import { networkRecordFile } from './network-paths.js';
import type { NetworkRecord } from './network-record.js';
import { cidrsOverlap, formatCidr, parseCidr, type Cidr } from './subnet.js';

function holderAlive(holder: string): boolean {
  const i = holder.lastIndexOf('#');
  try {
    return (JSON.parse(fs.readFileSync(holder.slice(0, i), 'utf8')) as { id?: string }).id === holder.slice(i + 1);
  } catch {
    return false;
  }
}

const SUBNET_CLAIMS: ClaimSet = { dir: '/var/lib/pman-shared/subnets', lock: '/run/lock/pman/subnets', alive: holderAlive };

const keyOf = (c: Cidr) => formatCidr(c).replace('/', '_');
const cidrOf = (key: string) => parseCidr(key.replace('_', '/'));
const holderOf = (ctx: Context, rec: NetworkRecord) => `${networkRecordFile(ctx, rec.name)}#${rec.id}`;

/** The subnets other stores' networks hold (root only: a user's networks are in their own namespace). */
export function subnetsClaimedElsewhere(ctx: Context): Cidr[] {
  if (ctx.rootless) return [];
  return [...liveClaims(SUBNET_CLAIMS).keys()].map(cidrOf);
}

/**
 * Claims a written network's subnets for it, or fails naming the network of another store that
 * holds an overlapping one (whose record file says which store).
 */
export async function claimSubnets(ctx: Context, rec: NetworkRecord): Promise<void> {
  if (ctx.rootless) return;
  const keys = rec.subnets.map((s) => keyOf(parseCidr(s.subnet)));
  const clash = await claimKeys(SUBNET_CLAIMS, holderOf(ctx, rec), keys, (a, b) => cidrsOverlap(cidrOf(a), cidrOf(b)));
  if (!clash) return;
  const file = clash.holder.slice(0, clash.holder.lastIndexOf('#'));
  throw new ConflictError(`subnet ${rec.subnets[0].subnet} overlaps subnet ${clash.theirs.replace('_', '/')} of the network in ${file} (another pman store): choose another --subnet`);
}

/** Gives back a removed network's subnets (safe to repeat). */
export async function releaseSubnets(ctx: Context, rec: NetworkRecord): Promise<void> {
  if (ctx.rootless) return;
  await releaseKeys(SUBNET_CLAIMS, holderOf(ctx, rec), rec.subnets.map((s) => keyOf(parseCidr(s.subnet))));
}
