// pasta (package passt) as a container's uplink: started on the container's namespace by path with
// --config-net (it copies the host's address, routes and MTU into it), forwarding the published
// ports itself (-t/-u bind them on the host, as the user). It daemonises once the namespace is
// configured, so its exit is the ready signal and --pid names the process to stop later.
import type { PortSpec } from '../ports.js';

/** -t/-u values for the published ports: "[ADDR/]HOST[-END]:CTR[-END]". */
export function pastaPortArgs(ports: readonly PortSpec[]): string[] {
  const args: string[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const flag = proto === 'tcp' ? '-t' : '-u';
    const mine = ports.filter((p) => p.protocol === proto);
    if (mine.length === 0) args.push(flag, 'none');
    for (const p of mine) {
      const span = (start: number) => (p.range > 1 ? `${start}-${start + p.range - 1}` : `${start}`);
      args.push(flag, `${p.hostIp ? `${p.hostIp}/` : ''}${span(p.hostPort)}:${span(p.containerPort)}`);
    }
  }
  return args;
}

/**
 * The whole command line. IPv4 only unless the user asks for IPv6 (pman's networks are IPv4;
 * waiting for IPv6 set-up triples pasta's start here); nothing forwarded from the namespace to the
 * host (-T/-U none): the host is reached through the gateway, which pasta maps to its loopback.
 */
export function pastaArgs(bin: string, netns: string, pidFile: string, ports: readonly PortSpec[], userOpts: readonly string[] = []): string[] {
  const ipv6 = userOpts.some((o) => o === '-6' || o === '--ipv6-only');
  return [bin, '--config-net', ...(ipv6 ? [] : ['-4']), ...pastaPortArgs(ports), '-T', 'none', '-U', 'none', '--quiet', '--netns', netns, '--pid', pidFile, ...userOpts];
}
