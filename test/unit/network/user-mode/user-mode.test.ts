import { parseNetwork } from '../../../../lib/container/parse/network.js';
import { defaultRoute } from '../../../../lib/network/user-mode/host-addresses.js';
import { parseUserModeOptions } from '../../../../lib/network/user-mode/options.js';
import { pastaArgs, pastaPortArgs } from '../../../../lib/network/user-mode/pasta.js';
import { checkUnprivilegedPorts } from '../../../../lib/network/user-mode/privileged-ports.js';
import { hostfwdRequests, slirpArgs } from '../../../../lib/network/user-mode/slirp4netns.js';
import type { PortSpec } from '../../../../lib/network/ports.js';

const flags = { dns: [], dnsSearch: [], dnsOptions: [], addHosts: [] };
const port = (p: Partial<PortSpec>): PortSpec => ({ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1, ...p });

describe('rootless user-mode networks', () => {
  it('parses --network pasta and slirp4netns with their options, and gives a rootless container the default', () => {
    expect(parseNetwork({ ...flags, network: 'pasta:-4,--mtu,1500' })).toEqual({ mode: 'pasta', userModeOptions: ['-4', '--mtu', '1500'] });
    expect(parseNetwork({ ...flags, network: 'slirp4netns:allow_host_loopback=true' })).toEqual({ mode: 'slirp4netns', userModeOptions: ['allow_host_loopback=true'] });
    expect(parseNetwork({ ...flags }, undefined, 'pasta')).toEqual({ mode: 'pasta' });
    expect(parseNetwork({ ...flags, network: 'none' }, undefined, 'pasta')).toEqual({ mode: 'none' });
    // Published ports are kept for user-mode networks, not discarded as for none and host.
    expect(parseNetwork({ ...flags, publish: ['8080:80'] }, undefined, 'pasta')?.ports).toEqual([port({})]);
    expect(parseNetwork({ ...flags, addHosts: ['gw:host-gateway'] }, undefined, 'slirp4netns')).toEqual({ mode: 'slirp4netns', addHosts: ['gw:host-gateway'] });
  });

  it('refuses options pman sets itself and slirp4netns options it does not know', () => {
    expect(() => parseUserModeOptions('pasta', '--netns,/x', 'pasta:--netns,/x')).toThrow('invalid --network "pasta:--netns,/x": pman sets pasta\'s --netns itself, leave it out');
    expect(() => parseUserModeOptions('slirp4netns', 'port_handler=rootlesskit', 'x')).toThrow('slirp4netns option port_handler cannot be "rootlesskit"');
    expect(() => parseUserModeOptions('slirp4netns', 'cidr=10.1.0.0/24', 'x')).toThrow('unknown slirp4netns option "cidr"');
  });

  it('turns published ports into pasta -t/-u arguments and slirp4netns add_hostfwd requests', () => {
    const ports = [port({ hostIp: '127.0.0.1' }), port({ hostPort: 9000, containerPort: 90, range: 3 }), port({ hostPort: 5353, containerPort: 53, protocol: 'udp' })];
    expect(pastaPortArgs(ports)).toEqual(['-t', '127.0.0.1/8080:80', '-t', '9000-9002:90-92', '-u', '5353:53']);
    expect(pastaPortArgs([])).toEqual(['-t', 'none', '-u', 'none']);
    expect(pastaArgs('/usr/bin/pasta', '/ns', '/pid', [], ['-6'])).toEqual(['/usr/bin/pasta', '--config-net', '-t', 'none', '-u', 'none', '-T', 'none', '-U', 'none', '--quiet', '--netns', '/ns', '--pid', '/pid', '-6']);
    expect(pastaArgs('/usr/bin/pasta', '/ns', '/pid', [])).toContain('-4');
    expect(hostfwdRequests([port({ range: 2 })])).toEqual([
      { execute: 'add_hostfwd', arguments: { proto: 'tcp', host_addr: '0.0.0.0', host_port: 8080, guest_addr: '10.0.2.100', guest_port: 80 } },
      { execute: 'add_hostfwd', arguments: { proto: 'tcp', host_addr: '0.0.0.0', host_port: 8081, guest_addr: '10.0.2.100', guest_port: 81 } },
    ]);
    expect(slirpArgs('/s', '/ns', '/api', ['allow_host_loopback=true', 'mtu=1500'])).toEqual([
      '/s', '--configure', '--mtu=1500', '--cidr=10.0.2.0/24', '--netns-type=path', '--api-socket=/api', '--exit-fd=3', '--ready-fd=4', '/ns', 'tap0',
    ]);
    expect(slirpArgs('/s', '/ns', '/api')).toContain('--disable-host-loopback');
  });

  it('refuses host ports below the unprivileged start, ignoring ports still to be chosen', () => {
    expect(() => checkUnprivilegedPorts([port({ hostPort: 0 }), port({ hostPort: 1024 })], 1024)).not.toThrow();
    expect(() => checkUnprivilegedPorts([port({ hostPort: 443 })], 1024)).toThrow(/^cannot publish host port 443\/tcp rootless: ports below 1024 need root \(net\.ipv4\.ip_unprivileged_port_start=1024\)/);
    expect(() => checkUnprivilegedPorts([port({ hostPort: 80 })], 80)).not.toThrow();
  });

  it('reads the default route from /proc/net/route', () => {
    const table = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      'eth1\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' +
      'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
    expect(defaultRoute(table)).toEqual({ gateway: '192.0.2.1', iface: 'eth0' });
    expect(defaultRoute(table.split('\n').slice(0, 2).join('\n'))).toBeUndefined();
  });
});
