// A rootless user-mode stack binds published host ports itself, as the user, in the host's network
// namespace: ports below net.ipv4.ip_unprivileged_port_start are the kernel's to refuse. pman
// refuses them first, at create, in one line naming that setting.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../errors.js';
import type { PortSpec } from '../ports.js';

const SETTING = 'net.ipv4.ip_unprivileged_port_start';

export function unprivilegedPortStart(file = '/proc/sys/net/ipv4/ip_unprivileged_port_start'): number {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n >= 0 ? n : 1024;
  } catch {
    return 1024;
  }
}

/** Refuses the first host port below start (a range counts from its first port). */
export function checkUnprivilegedPorts(ports: readonly PortSpec[], start: number): void {
  const low = ports.find((p) => p.hostPort !== 0 && p.hostPort < start);
  if (!low) return;
  throw new InvalidArgumentError(
    `cannot publish host port ${low.hostPort}/${low.protocol} rootless: ports below ${start} need root (${SETTING}=${start}); choose a host port of ${start} or more with -p, or as root lower ${SETTING} (sysctl -w ${SETTING}=${low.hostPort})`,
  );
}
