import { cidrContains, cidrsOverlap, firstHost, formatCidr, hostRange, numberToIp, parseCidr } from '../../../lib/network/subnet.js';

describe('IPv4 subnets', () => {
  it('parses a CIDR and reduces the address to the network', () => {
    expect(formatCidr(parseCidr('10.91.3.7/24'))).toBe('10.91.3.0/24');
    expect(firstHost(parseCidr('10.91.3.0/24'))).toBe('10.91.3.1');
  });

  it('refuses what is not an IPv4 CIDR, naming the flag and the value', () => {
    expect(() => parseCidr('10.91.3.0')).toThrow('invalid --subnet "10.91.3.0"');
    expect(() => parseCidr('10.300.0.0/16')).toThrow('IPv4 CIDR');
    expect(() => parseCidr('fd00::/64')).toThrow('an IPv4 CIDR is needed here');
    expect(() => parseCidr('10.0.0.0/31', '--ip-range')).toThrow('invalid --ip-range');
  });

  it('tells containment and overlap', () => {
    const a = parseCidr('10.91.0.0/16');
    expect(cidrContains(a, '10.91.200.1')).toBe(true);
    expect(cidrContains(a, '10.92.0.1')).toBe(false);
    expect(cidrsOverlap(a, parseCidr('10.91.7.0/24'))).toBe(true);
    expect(cidrsOverlap(parseCidr('10.91.7.0/24'), parseCidr('10.91.8.0/24'))).toBe(false);
  });

  it('leaves the network and broadcast addresses out of the host range', () => {
    const { first, last } = hostRange(parseCidr('10.91.1.0/24'));
    expect([numberToIp(first), numberToIp(last)]).toEqual(['10.91.1.1', '10.91.1.254']);
  });
});
