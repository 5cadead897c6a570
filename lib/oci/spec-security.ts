// Security parts of the OCI spec: capabilities, no_new_privs, seccomp, masked and read-only /proc and
// /sys paths, and the host devices a privileged container sees. Defaults follow podman's.
import type { ContainerRecord } from '../state/container-record.js';
import { capabilitySets, hostCapabilities, type CapabilitySets } from './capabilities.js';
import { defaultSeccompProfile, type SeccompProfile } from './seccomp-default.js';

export const DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SETUID',
  'CAP_SYS_CHROOT',
];

export const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/fs/selinux',
  '/sys/dev/block',
];

export const READONLY_PATHS = ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface HostDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

export interface SecurityInputs {
  rec: ContainerRecord;
  /** The container process's uid (capabilities differ for non-root). */
  uid: number;
  /** A user profile already read and converted (seccomp=FILE); undefined otherwise. */
  seccompProfile?: SeccompProfile;
  /** The host's device nodes, for --privileged. */
  hostDevices?: HostDevice[];
  /** The image's architecture (OCI name): a 32-bit one lets its ABI through the default filter. */
  imageArchitecture?: string;
}

export function containerCapabilities(rec: ContainerRecord, uid: number): CapabilitySets {
  const s = rec.config.security ?? {};
  return capabilitySets({ defaults: s.defaultCaps ?? DEFAULT_CAPS, capAdd: s.capAdd, capDrop: s.capDrop, privileged: s.privileged, uid, available: hostCapabilities() });
}

/** Masked and read-only paths after --privileged and --security-opt mask=/unmask=. */
export function protectedPaths(rec: ContainerRecord): { maskedPaths: string[]; readonlyPaths: string[] } {
  const s = rec.config.security ?? {};
  if (s.privileged) return { maskedPaths: [], readonlyPaths: [] };
  const unmask = s.unmask ?? [];
  if (unmask.includes('ALL')) return { maskedPaths: s.mask ?? [], readonlyPaths: [] };
  const keep = (p: string) => !unmask.includes(p);
  return {
    maskedPaths: [...MASKED_PATHS.filter(keep), ...(s.mask ?? []).filter((p) => !MASKED_PATHS.includes(p))],
    readonlyPaths: READONLY_PATHS.filter(keep),
  };
}

/** The seccomp filter: none when unconfined or privileged, the user's profile, else pman's default. */
export function specSeccomp(inp: SecurityInputs, caps: CapabilitySets): SeccompProfile | undefined {
  const s = inp.rec.config.security ?? {};
  if (s.privileged && s.seccomp === undefined) return undefined;
  if (s.seccomp === 'unconfined') return undefined;
  if (inp.seccompProfile) return inp.seccompProfile;
  return defaultSeccompProfile(caps.bounding, process.arch, inp.imageArchitecture);
}

/** process.capabilities, process.noNewPrivileges and the security keys of linux. */
export function specSecurity(inp: SecurityInputs): {
  capabilities: Record<string, string[]>;
  noNewPrivileges: boolean;
  linux: Record<string, unknown>;
} {
  const caps = containerCapabilities(inp.rec, inp.uid);
  const seccomp = specSeccomp(inp, caps);
  const linux: Record<string, unknown> = { ...protectedPaths(inp.rec) };
  if (seccomp) linux.seccomp = seccomp;
  if (inp.rec.config.security?.privileged && inp.hostDevices?.length) linux.devices = inp.hostDevices;
  return {
    capabilities: { bounding: caps.bounding, effective: caps.effective, permitted: caps.permitted, inheritable: caps.inheritable, ambient: caps.ambient },
    noNewPrivileges: inp.rec.config.security?.noNewPrivileges === true,
    linux,
  };
}
