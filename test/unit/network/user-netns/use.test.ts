import type { SetupRecord } from '../../../../lib/network/setup-record.js';
import { hostfwdRequests } from '../../../../lib/network/user-mode/slirp4netns.js';
import { forwarded, portsForUserNetns } from '../../../../lib/network/user-netns/use.js';

const setup = (ports: SetupRecord['options']['port_mappings']): SetupRecord => ({
  netns: '/run/x/netns/abc',
  options: { container_id: 'abc', container_name: 'web', networks: {}, network_info: {}, ...(ports ? { port_mappings: ports } : {}) },
});

describe('published ports of a rootless container on a user network', () => {
  it('gives netavark the mappings without a host address and keeps the originals for the slirp4netns forwards', () => {
    const s = setup([{ host_ip: '127.0.0.1', host_port: 8080, container_port: 80, range: 2, protocol: 'tcp' }]);
    portsForUserNetns(s);
    expect(s.options.port_mappings).toEqual([{ host_ip: '', host_port: 8080, container_port: 80, range: 2, protocol: 'tcp' }]);
    expect(s.forwards).toEqual({ ports: [{ host_ip: '127.0.0.1', host_port: 8080, container_port: 80, range: 2, protocol: 'tcp' }], ids: [] });
  });

  it("forwards each host port to the same port of the namespace's address, where netavark's DNAT takes over", () => {
    expect(hostfwdRequests(forwarded([{ host_ip: '127.0.0.1', host_port: 8080, container_port: 80, range: 2, protocol: 'udp' }]))).toEqual([
      { execute: 'add_hostfwd', arguments: { proto: 'udp', host_addr: '127.0.0.1', host_port: 8080, guest_addr: '10.0.2.100', guest_port: 8080 } },
      { execute: 'add_hostfwd', arguments: { proto: 'udp', host_addr: '127.0.0.1', host_port: 8081, guest_addr: '10.0.2.100', guest_port: 8081 } },
    ]);
  });

  it('records no forwards for a container that publishes nothing', () => {
    const s = setup(undefined);
    portsForUserNetns(s);
    expect(s).toEqual(setup(undefined));
  });
});
