// The netavark driver: `netavark --config DIR --aardvark-binary PATH setup|teardown NETNS` with
// the network options JSON on stdin. netavark makes the bridge, veth pair, addresses, iptables
// rules and starts aardvark-dns; pman only hands it the options and reads its answer.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { PmanError } from '../errors.js';
import type { Context } from '../context.js';
import { withLock } from '../state/lock.js';
import { trace } from '../util/trace.js';
import { netavarkConfigDir, netavarkLock } from './network-paths.js';
import { userNetnsPath } from './user-netns/paths.js';

/** netavark's per-container options (its NetworkOptions; field names are netavark's). */
export interface NetavarkOptions {
  container_id: string;
  container_name: string;
  networks: Record<string, { interface_name: string; static_ips: string[]; aliases?: string[]; static_mac?: string }>;
  network_info: Record<string, unknown>;
  port_mappings?: PortMapping[];
  dns_servers?: string[];
}

export interface PortMapping {
  host_ip: string;
  container_port: number;
  host_port: number;
  range: number;
  protocol: string;
}

/** netavark's answer per network: the interfaces it configured and the DNS servers to use. */
export type NetavarkStatus = Record<
  string,
  {
    dns_search_domains?: string[];
    dns_server_ips?: string[];
    interfaces?: Record<string, { mac_address: string; subnets?: Array<{ ipnet: string; gateway?: string }> }>;
  }
>;

const CANDIDATES = { netavark: ['/usr/lib/podman/netavark', '/usr/libexec/podman/netavark'], aardvark: ['/usr/lib/podman/aardvark-dns', '/usr/libexec/podman/aardvark-dns'] };

function findBinary(kind: keyof typeof CANDIDATES): string | undefined {
  return CANDIDATES[kind].find((p) => fs.existsSync(p));
}

export function netavarkBinary(): string {
  const bin = findBinary('netavark');
  if (!bin) throw new PmanError('system', `cannot set up a container network: netavark not found (looked in ${CANDIDATES.netavark.join(', ')}); install the netavark package`);
  return bin;
}

function run(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0], args.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** netavark's error object ({"error": "..."}) or its stderr, minus the syslog noise. */
function failureText(stdout: string, stderr: string): string {
  try {
    const e = JSON.parse(stdout) as { error?: string };
    if (e.error) return e.error;
  } catch {
    /* not JSON */
  }
  const lines = stderr.split('\n').filter((l) => l.trim() && !/failed to connect to syslog/.test(l));
  return lines.join('; ') || stdout.trim() || 'no message';
}

/**
 * A teardown's options always carry a port list, an empty one when the container publishes no
 * port. netavark 1.4 deletes a network's port-forwarding chain (`NETAVARK-DN-<hash of the network's
 * name>`, shared by its containers) only at the teardown of the bridge's last container, and only
 * when that teardown has a port list: after `-p` container A and plain container B on one network,
 * removing A then B left the chain behind, empty, for good (podman 4.3.1 leaves it too). An empty
 * list changes nothing else a teardown does; netavark still keeps a chain that has rules.
 */
function withPortList(opts: NetavarkOptions): NetavarkOptions {
  return opts.port_mappings ? opts : { ...opts, port_mappings: [] };
}

/**
 * Runs netavark; the config directory is made first (netavark does not roll back without it).
 * Calls are serialised under netavarkLock: netavark 1.4 checks for an iptables chain and then creates
 * it, so two setups at once on a new network fail with "Chain already exists" (as podman, which
 * holds its network lock around every netavark call).
 */
export async function netavark(
  ctx: Context,
  command: 'setup' | 'teardown',
  netns: string,
  opts: NetavarkOptions,
  // A teardown of one network of a container that stays on others (`network disconnect`) goes as
  // given: there netavark 1.4 reads an empty port list as "delete the network's port-forwarding
  // chain", and fails when there is none after it has already deleted the container's interface.
  how: { partial?: boolean } = {},
): Promise<NetavarkStatus> {
  const configDir = netavarkConfigDir(ctx);
  fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
  // Rootless, netavark works inside the user's network namespace (lib/network/user-netns/).
  const args = [...(ctx.rootless ? ['nsenter', `--net=${userNetnsPath(ctx)}`] : []), netavarkBinary(), '--config', configDir];
  const aardvark = findBinary('aardvark');
  if (aardvark) args.push('--aardvark-binary', aardvark);
  args.push(command, netns);
  trace(`netavark ${command}: waiting for the lock`);
  const input = JSON.stringify(command === 'teardown' && !how.partial ? withPortList(opts) : opts);
  const { code, stdout, stderr } = await withLock(netavarkLock(ctx), () => {
    trace(`netavark ${command}: locked`);
    return run(args, input);
  });
  trace(`netavark ${command}: done`);
  if (code !== 0) {
    throw new PmanError('system', `netavark ${command} failed for container "${opts.container_name}": ${failureText(stdout, stderr)}`);
  }
  if (command === 'teardown' || !stdout.trim()) return {};
  try {
    return JSON.parse(stdout) as NetavarkStatus;
  } catch (err) {
    throw new PmanError('system', `netavark setup answered something pman cannot read for container "${opts.container_name}": ${stdout.slice(0, 200)}`, { cause: err });
  }
}
