import type { NetworkRecord } from '../../../lib/network/network-record.js';
import { bridgeHosts, bridgeResolvConf } from '../../../lib/oci/spec-network.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';

const net = (name: string, subnet: string, gateway: string, dns: boolean): NetworkRecord => ({
  version: 1,
  name,
  id: 'a'.repeat(64),
  driver: 'bridge',
  network_interface: 'pman9',
  created: '2024-01-01T00:00:00Z',
  subnets: [{ subnet, gateway }],
  ipv6_enabled: false,
  internal: false,
  dns_enabled: dns,
  labels: {},
  options: {},
  ipam_options: {},
});

const rec = (network: NonNullable<ContainerRecord['config']['network']>): ContainerRecord =>
  ({ name: 'web', config: { hostname: 'abc123', network } }) as unknown as ContainerRecord;

describe('a bridge container\'s /etc files', () => {
  const front = net('front', '10.91.1.0/24', '10.91.1.1', true);
  const back = net('back', '10.91.2.0/24', '10.91.2.1', false);
  const r = rec({ mode: 'bridge', networks: { front: { interface: 'eth0', ip: '10.91.1.5' }, back: { interface: 'eth1', ip: '10.91.2.5' } }, addHosts: ['gw:host-gateway'] });

  it('lists localhost, --add-host (host-gateway is the gateway), the host and the container\'s addresses', () => {
    expect(bridgeHosts(r, [front, back])).toBe(
      '127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n10.91.1.1\tgw\n10.91.1.1\thost.containers.internal host.docker.internal\n10.91.1.5\tabc123 web\n10.91.2.5\tabc123 web\n',
    );
  });

  it('names the host by the address given for it (rootless: the host itself, not the gateway in the user network namespace)', () => {
    expect(bridgeHosts(r, [front], {}, '192.0.2.9')).toContain('\n192.0.2.9\thost.containers.internal host.docker.internal\n');
    expect(bridgeHosts(r, [front], {}, '192.0.2.9')).toContain('\n192.0.2.9\tgw\n');
  });

  it('uses aardvark-dns on the gateways of networks with DNS, and the host\'s servers otherwise', () => {
    expect(bridgeResolvConf(r, [front, back], 'search example.org\nnameserver 192.0.2.53\n')).toBe('search dns.podman example.org\nnameserver 10.91.1.1\n');
    expect(bridgeResolvConf(r, [back], 'nameserver 192.0.2.53\n')).toBe('nameserver 192.0.2.53\n');
  });
});
