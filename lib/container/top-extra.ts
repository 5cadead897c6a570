// The parts of `pman top`'s descriptors that read more than /proc/PID/stat: capability sets as
// names (psgo's form: sorted, without CAP_, "full" for all of them, "none" for none), the process
// label, supplementary groups and the start time; and podman's rule for descriptors it does not
// know: the whole argument list goes to ps(1) inside the container (lib/commands/top.ts).
import fs from 'node:fs';
import { ALL_CAPS } from '../oci/capabilities.js';

/** A /proc/PID/status capability mask (hex) as psgo prints it. */
export function capabilityNames(hex: string, known: readonly string[] = ALL_CAPS): string {
  let mask: bigint;
  try {
    mask = BigInt(`0x${hex || '0'}`);
  } catch {
    return '?';
  }
  const names = known.filter((_, bit) => (mask >> BigInt(bit)) & 1n).map((c) => c.replace(/^CAP_/, ''));
  if (names.length === 0) return 'none';
  if (names.length === known.length) return 'full';
  return names.sort().join(',');
}

/** The security label of a process (SELinux/AppArmor), "?" where the host has none. */
export function processLabel(hostPid: number): string {
  try {
    const label = fs.readFileSync(`/proc/${hostPid}/attr/current`, 'utf8').replace(/\0/g, '').trim();
    return label || '?';
  } catch {
    return '?';
  }
}

let bootTime: number | undefined;

/** Seconds since the epoch when the kernel booted (btime of /proc/stat). */
function bootSeconds(): number {
  if (bootTime === undefined) {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('btime '));
    bootTime = Number(line?.split(/\s+/)[1] ?? 0);
  }
  return bootTime;
}

/** A start time as psgo's STIME prints it (Go's time format): "2026-12-03 14:16:01 +0000 UTC". */
export function startTime(startTicks: number, clockTicks: number, boot = bootSeconds()): string {
  const d = new Date((boot + Math.floor(startTicks / clockTicks)) * 1000);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** True when every word is a descriptor top knows; else podman hands the arguments to ps(1). */
export function allDescriptorsKnown(args: string[], known: (word: string) => boolean): boolean {
  return args.flatMap((a) => a.split(/[,\s]+/)).filter(Boolean).every(known);
}
