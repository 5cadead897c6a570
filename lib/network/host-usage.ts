// What the host already uses, so a new pman network picks (or is refused) a subnet and a bridge
// name nobody else has: the host's interface addresses, the host's links, and podman's networks
// (its default 10.88.0.0/16 and whatever its config directory lists; pman only reads it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCidr, type Cidr } from './subnet.js';

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

/** podman's subnets: its defaults and those of the networks in its config directories. */
export function podmanSubnets(): Cidr[] {
  const out = PODMAN_SUBNETS.map((s) => parseCidr(s));
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
        for (const s of rec.subnets ?? []) {
          const c = s.subnet ? tryCidr(s.subnet) : undefined;
          if (c) out.push(c);
        }
      } catch {
        /* not ours to judge */
      }
    }
  }
  return out;
}

/** Names of the host's network links (bridges included), from /sys/class/net. */
export function hostLinks(): Set<string> {
  try {
    return new Set(fs.readdirSync('/sys/class/net'));
  } catch {
    return new Set();
  }
}
