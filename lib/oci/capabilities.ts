// Linux capabilities: the names pman accepts, and the sets a container process gets from the
// defaults, --cap-add, --cap-drop, --privileged and its user, following podman's rules.
import fs from 'node:fs';
import { InvalidArgumentError } from '../errors.js';

/** Every capability by number (index = bit), up to Linux 6.x. */
export const ALL_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** "net_admin", "NET_ADMIN", "cap_net_admin" -> "CAP_NET_ADMIN"; "all" -> "ALL". */
export function normalizeCap(name: string, flag: string): string {
  const up = name.trim().toUpperCase();
  if (up === 'ALL') return 'ALL';
  const full = up.startsWith('CAP_') ? up : `CAP_${up}`;
  if (!ALL_CAPS.includes(full)) throw new InvalidArgumentError(`invalid ${flag} "${name}": unknown capability; use a name like NET_ADMIN or ALL`);
  return full;
}

export interface CapabilitySets {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable: string[];
  ambient: string[];
}

export interface CapabilityInputs {
  defaults: string[];
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  /** The container process's uid: a non-root process only keeps what --cap-add gave it. */
  uid: number;
  /** What "all" means here: the capabilities pman itself may hand out (default: every one). */
  available?: string[];
}

/**
 * podman's rules: start from the defaults (all with --privileged or --cap-add ALL), add, then drop
 * (--cap-drop ALL empties the set, then --cap-add adds back). A non-root user gets an empty
 * effective set except for explicitly added capabilities, which it also gets as ambient ones.
 */
export function capabilitySets(inp: CapabilityInputs): CapabilitySets {
  const add = inp.capAdd ?? [];
  const drop = inp.capDrop ?? [];
  const addAll = add.includes('ALL');
  const all = inp.available ?? ALL_CAPS;
  let set: string[];
  if (drop.includes('ALL')) set = addAll ? all : add;
  else {
    const base = inp.privileged || addAll ? all : [...inp.defaults, ...add];
    set = base.filter((c) => !drop.includes(c));
  }
  const bounding = ALL_CAPS.filter((c) => set.includes(c));
  if (inp.uid === 0) return { bounding, effective: bounding, permitted: bounding, inheritable: [], ambient: [] };
  const added = addAll ? bounding : bounding.filter((c) => add.includes(c));
  return { bounding, effective: added, permitted: added, inheritable: added, ambient: added };
}

/** The capability bit mask as /proc/PID/status prints it (CapEff: 00000000a80425fb). */
export function capMask(caps: string[]): string {
  let mask = 0n;
  for (const c of caps) {
    const bit = ALL_CAPS.indexOf(c);
    if (bit >= 0) mask |= 1n << BigInt(bit);
  }
  return mask.toString(16).padStart(16, '0');
}

/** Capabilities in a mask as /proc/PID/status prints it. */
export function capsFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return ALL_CAPS.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

let bounding: string[] | undefined;

/**
 * The capabilities pman's own process may pass on (its bounding set). pman itself may run
 * confined (in a container, under systemd): "all" then means all of these, as runc cannot grant
 * more than it has.
 */
export function hostCapabilities(): string[] {
  if (!bounding) {
    try {
      const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('CapBnd:'));
      bounding = line ? capsFromMask(line.split(/\s+/)[1]) : ALL_CAPS;
    } catch {
      bounding = ALL_CAPS;
    }
  }
  return bounding;
}
