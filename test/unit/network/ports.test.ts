import { formatPort, parsePublish, portKeys, portsClash } from '../../../lib/network/ports.js';

describe('-p/--publish parsing', () => {
  it('reads [IP:][HOSTPORT:]CTRPORT[/PROTO] with ranges', () => {
    expect(parsePublish('8080:80')).toEqual({ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 });
    expect(parsePublish('80')).toEqual({ hostIp: '', hostPort: 0, containerPort: 80, protocol: 'tcp', range: 1 });
    expect(parsePublish('127.0.0.1::53/udp')).toEqual({ hostIp: '127.0.0.1', hostPort: 0, containerPort: 53, protocol: 'udp', range: 1 });
    expect(parsePublish('127.0.0.1:8000-8002:9000-9002')).toEqual({ hostIp: '127.0.0.1', hostPort: 8000, containerPort: 9000, protocol: 'tcp', range: 3 });
  });

  it('refuses malformed values naming them', () => {
    expect(() => parsePublish('80/icmp')).toThrow('invalid -p "80/icmp": the protocol must be tcp, udp or sctp');
    expect(() => parsePublish('x:80')).toThrow('invalid -p "x:80"');
    expect(() => parsePublish('70000:80')).toThrow('from 1 to 65535');
    expect(() => parsePublish('8000-8001:80-82')).toThrow('same length');
    expect(() => parsePublish('1:2:3:4')).toThrow('invalid -p "1:2:3:4"');
    expect(() => parsePublish('999.0.0.1:80:80')).toThrow('not an IPv4 address');
  });

  it('prints mappings as podman does', () => {
    expect(formatPort({ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 })).toBe('0.0.0.0:8080->80/tcp');
    expect(formatPort({ hostIp: '127.0.0.1', hostPort: 8000, containerPort: 9000, protocol: 'udp', range: 2 })).toBe('127.0.0.1:8000-8001->9000-9001/udp');
  });
});

describe('machine-wide claims of host ports', () => {
  it('claims each port of a range, by protocol and address; all addresses clash with any one', () => {
    expect(portKeys([{ host_ip: '', host_port: 8000, range: 2, protocol: 'tcp' }, { host_ip: '127.0.0.1', host_port: 53, range: 1, protocol: 'udp' }])).toEqual([
      'tcp_0.0.0.0_8000',
      'tcp_0.0.0.0_8001',
      'udp_127.0.0.1_53',
    ]);
    expect(portsClash('tcp_0.0.0.0_80', 'tcp_127.0.0.1_80')).toBe(true);
    expect(portsClash('tcp_127.0.0.1_80', 'tcp_0.0.0.0_80')).toBe(true);
    expect(portsClash('tcp_127.0.0.1_80', 'tcp_127.0.0.1_80')).toBe(true);
    expect(portsClash('tcp_127.0.0.1_80', 'tcp_127.0.0.2_80')).toBe(false);
    expect(portsClash('tcp_0.0.0.0_80', 'udp_0.0.0.0_80')).toBe(false);
    expect(portsClash('tcp_0.0.0.0_80', 'tcp_0.0.0.0_8080')).toBe(false);
  });
});
