// slirp4netns as a container's uplink: attached to the container's namespace by path, configured
// (--configure: tap0 10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3), told it is ready through a
// pipe and told to exit when the shim's end of another pipe closes (--exit-fd), so it never
// outlives its shim, even one killed with SIGKILL. Published ports go through its API socket.
import net from 'node:net';
import { PmanError } from '../../errors.js';
import type { PortSpec } from '../ports.js';
import { slirpOption } from './options.js';
import { SLIRP } from './host-addresses.js';

export const EXIT_FD = 3;
export const READY_FD = 4;

export function slirpArgs(bin: string, netns: string, apiSocket: string, userOpts: readonly string[] = []): string[] {
  const loopback = slirpOption(userOpts, 'allow_host_loopback') === 'true';
  return [
    bin,
    '--configure',
    `--mtu=${slirpOption(userOpts, 'mtu') ?? '65520'}`,
    ...(loopback ? [] : ['--disable-host-loopback']),
    `--cidr=${SLIRP.cidr}`,
    '--netns-type=path',
    `--api-socket=${apiSocket}`,
    `--exit-fd=${EXIT_FD}`,
    `--ready-fd=${READY_FD}`,
    netns,
    'tap0',
  ];
}

/** One add_hostfwd request per port (a range is one request per port). */
export function hostfwdRequests(ports: readonly PortSpec[]): object[] {
  const out: object[] = [];
  for (const p of ports) {
    for (let i = 0; i < p.range; i++) {
      out.push({ execute: 'add_hostfwd', arguments: { proto: p.protocol, host_addr: p.hostIp || '0.0.0.0', host_port: p.hostPort + i, guest_addr: SLIRP.container, guest_port: p.containerPort + i } });
    }
  }
  return out;
}

function request(socket: string, body: object): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const c = net.connect(socket, () => c.end(JSON.stringify(body)));
    c.on('data', (d: Buffer) => (answer += d.toString()));
    c.on('error', reject);
    c.on('close', () => resolve(answer));
  });
}

/** Publishes the ports through the API socket; the first refusal is reported, naming the port. Returns the forwards' ids. */
export async function slirpForward(socket: string, ports: readonly PortSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const req of hostfwdRequests(ports)) {
    const text = await request(socket, req);
    let answer: { return?: { id?: number }; error?: { desc?: string } };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      answer = { error: { desc: text.trim() || 'no answer' } };
    }
    if (answer.error) {
      const a = (req as { arguments: { host_addr: string; host_port: number; proto: string } }).arguments;
      throw new PmanError('conflict', `cannot publish port ${a.host_addr === '0.0.0.0' ? '' : `${a.host_addr}:`}${a.host_port}/${a.proto}: slirp4netns: ${answer.error.desc ?? 'refused'}`);
    }
    if (typeof answer.return?.id === 'number') ids.push(answer.return.id);
  }
  return ids;
}

/** Withdraws forwards slirpForward made (by id); an id slirp4netns no longer knows is ignored. */
export async function slirpUnforward(socket: string, ids: readonly number[]): Promise<void> {
  for (const id of ids) await request(socket, { execute: 'remove_hostfwd', arguments: { id } }).catch(() => undefined);
}
