// What the host already uses, so a new pman network picks (or is refused) a subnet and a bridge
// name nobody else has: the host's interface addresses, the host's links, and podman's networks
// (its default 10.88.0.0/16 and whatever its config directory lists; pman only reads it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCidr, type Cidr } from './subnet.js';
import { formatCidr6, parseCidr6 } from './subnet6.js';

/** podman's default subnet and the range its new networks take from. */
const PODMAN_SUBNETS = ['10.88.0.0/16', '10.89.0.0/16'];
const PODMAN_CONFIG_DIRS = ['/etc/containers/networks', '/run/containers/networks'];

function tryCidr(text: string): Cidr | undefined {
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
}

/** Subnets of the host's interfaces (all of them, pman's own bridges included). */
export function hostSubnets(): Cidr[] {
  const out: Cidr[] = [];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4' || a.internal || !a.cidr) continue;
      const c = tryCidr(a.cidr.replace(/^([0-9.]+)\/(3[12])$/, '$1/30'));
      if (c) out.push(c);
    }
  }
  return out;
}

/** The subnets of podman's networks in its config directories, as written (either family). */
function podmanNetworkSubnets(): string[] {
  const out: string[] = [];
  for (const dir of PODMAN_CONFIG_DIRS) {
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const f of files) {
      try {
        const rec = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { subnets?: Array<{ subnet?: string }> };
        for (const s of rec.subnets ?? []) if (typeof s.subnet === 'string') out.push(s.subnet);
      } catch {
        /* not ours to judge */
      }
    }
  }
  return out;
}

/** podman's subnets: its defaults and those of the networks in its config directories. */
export function podmanSubnets(): Cidr[] {
  return [...PODMAN_SUBNETS, ...podmanNetworkSubnets()].map(tryCidr).filter((c): c is Cidr => c !== undefined);
}

/** An IPv6 subnet as canonical text, or undefined (a /127 or /128 counts as its /126). */
function tryCidr6(text: string): string | undefined {
  try {
    return formatCidr6(parseCidr6(text.replace(/\/(12[78])$/, '/126')));
  } catch {
    return undefined; // not IPv6, or link-local (every interface has fe80::/64: no network may take it anyway)
  }
}

/** The IPv6 subnets of the host's interfaces, as text. */
export function hostSubnets6(): string[] {
  const out: string[] = [];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv6' && !a.internal && a.cidr) out.push(a.cidr);
  }
  return out.map(tryCidr6).filter((c): c is string => c !== undefined);
}

/** The IPv6 subnets of podman's networks, as text. */
export function podmanSubnets6(): string[] {
  return podmanNetworkSubnets().map(tryCidr6).filter((c): c is string => c !== undefined);
}

/** Names of the host's network links (bridges included), from /sys/class/net. */
export function hostLinks(): Set<string> {
  try {
    return new Set(fs.readdirSync('/sys/class/net'));
  } catch {
    return new Set();
  }
}
