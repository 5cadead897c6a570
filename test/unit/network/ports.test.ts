import { formatPort, parsePublish } from '../../../lib/network/ports.js';

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
