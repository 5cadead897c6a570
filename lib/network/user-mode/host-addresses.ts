// What a user-mode network looks like from inside the container, decided when its /etc files are
// written: pasta copies the host's address and default gateway into the namespace and maps the
// gateway to the host; slirp4netns uses its fixed 10.0.2.0/24 (docs/networking.md).
import fs from 'node:fs';
import os from 'node:os';
import { slirpOption, type UserModeKind } from './options.js';

export const SLIRP = { cidr: '10.0.2.0/24', container: '10.0.2.100', gateway: '10.0.2.2', dns: '10.0.2.3' } as const;

/** The default IPv4 route's gateway and interface from /proc/net/route's text (little-endian hex). */
export function defaultRoute(routeTable: string): { gateway: string; iface: string } | undefined {
  for (const line of routeTable.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] !== '00000000' || f[7] !== '00000000') continue;
    const n = parseInt(f[2], 16);
    if (!Number.isFinite(n) || n === 0) continue;
    return { gateway: [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.'), iface: f[0] };
  }
  return undefined;
}

function hostRoute(): { gateway: string; iface: string } | undefined {
  try {
    return defaultRoute(fs.readFileSync('/proc/net/route', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The host's first IPv4 address other than loopback, preferring the default route's interface. */
function hostAddress(iface?: string): string | undefined {
  const all = os.networkInterfaces();
  const v4 = (name: string) => (all[name] ?? []).find((a) => a.family === 'IPv4' && !a.internal)?.address;
  return (iface && v4(iface)) || Object.keys(all).map(v4).find(Boolean);
}

export interface UserModeView {
  /** The container's own address (for its name in /etc/hosts), when known. */
  address?: string;
  /** The address at which the container reaches the host: host.containers.internal, host-gateway. */
  hostGateway?: string;
  /** A DNS server of the stack's own, when it has one. */
  dns?: string;
}

/**
 * pasta: the container has the host's address, and the gateway is mapped to the host's loopback
 * (pasta's default, off with --no-map-gw). slirp4netns: 10.0.2.2 is the host's loopback only with
 * allow_host_loopback=true; otherwise, as in podman, the host is reached at its own address.
 */
export function userModeView(kind: UserModeKind, opts: readonly string[] = []): UserModeView {
  const route = hostRoute();
  if (kind === 'pasta') return { address: hostAddress(route?.iface), hostGateway: opts.includes('--no-map-gw') ? undefined : route?.gateway };
  const loopback = slirpOption(opts, 'allow_host_loopback') === 'true';
  return { address: SLIRP.container, hostGateway: loopback ? SLIRP.gateway : hostAddress(route?.iface), dns: SLIRP.dns };
}
