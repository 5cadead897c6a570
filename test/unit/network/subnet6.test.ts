import { bigToIp6, canonicalIp6, cidr6Contains, cidrs6Overlap, firstHost6, formatCidr6, hostRange6, ip6ToBig, isPlainIPv6, parseCidr6, randomUla64, subnetTextsOverlap } from '../../../lib/network/subnet6.js';

describe('IPv6 subnets', () => {
  it('writes addresses in their canonical text (RFC 5952), as netavark and ip print them', () => {
    expect(canonicalIp6('FD77:0001:0002:0000:0000:0000:0000:0010')).toBe('fd77:1:2::10');
    expect(canonicalIp6('fd00:0:0:1:0:0:0:1')).toBe('fd00:0:0:1::1');
    expect(canonicalIp6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp6('fd01:2:3:4:5:6:7:8')).toBe('fd01:2:3:4:5:6:7:8');
    expect(canonicalIp6('fd01:0:3:4:5:6:7:8')).toBe('fd01:0:3:4:5:6:7:8');
    expect(canonicalIp6('::')).toBe('::');
    expect(canonicalIp6('::ffff:10.1.2.3')).toBe('::ffff:a01:203');
    expect(bigToIp6(ip6ToBig('fd77::1') + 1n)).toBe('fd77::2');
  });

  it('parses a CIDR, reduces it to the network and refuses what cannot be a bridge subnet', () => {
    expect(formatCidr6(parseCidr6('fd77:1:2::99/64'))).toBe('fd77:1:2::/64');
    expect(firstHost6(parseCidr6('fd77:1:2::/64'))).toBe('fd77:1:2::1');
    expect(() => parseCidr6('fd77::/127')).toThrow('at most /126');
    expect(() => parseCidr6('fd77::/129')).toThrow('invalid --subnet "fd77::/129"');
    expect(() => parseCidr6('10.1.0.0/16')).toThrow('use an IPv6 CIDR');
    expect(() => parseCidr6('fe80::/64', '--ip-range')).toThrow('invalid --ip-range "fe80::/64": it overlaps fe80::/10');
    expect(() => parseCidr6('ff02::/64')).toThrow('ff00::/8');
  });

  it('tells containment and overlap, across families too', () => {
    const c = parseCidr6('fd77:1:2::/64');
    expect(cidr6Contains(c, 'fd77:1:2::ffff')).toBe(true);
    expect(cidr6Contains(c, 'fd77:1:3::1')).toBe(false);
    expect(cidr6Contains(c, '10.0.0.1')).toBe(false);
    expect(cidrs6Overlap(c, parseCidr6('fd77:1::/32'))).toBe(true);
    expect(cidrs6Overlap(c, parseCidr6('fd77:1:2:1::/64'))).toBe(false);
    expect(subnetTextsOverlap('fd77:1:2::/64', 'fd77:1:2:0:8000::/65')).toBe(true);
    expect(subnetTextsOverlap('fd77:1:2::/64', '10.0.0.0/8')).toBe(false);
    expect(subnetTextsOverlap('10.1.0.0/16', '10.1.2.0/24')).toBe(true);
  });

  it('leaves the subnet-router address out of the host range (IPv6 has no broadcast)', () => {
    const { first, last } = hostRange6(parseCidr6('fd77::/120'));
    expect([bigToIp6(first), bigToIp6(last)]).toEqual(['fd77::1', 'fd77::ff']);
  });

  it('refuses zoned addresses a container cannot be given', () => {
    expect(isPlainIPv6('fd77::5')).toBe(true);
    expect(isPlainIPv6('fe80::1%eth0')).toBe(false);
    expect(isPlainIPv6('10.0.0.1')).toBe(false);
  });

  it('picks random unique local /64s (fd00::/8, 40 random bits)', () => {
    const picks = Array.from({ length: 20 }, () => formatCidr6(randomUla64()));
    for (const p of picks) expect(p).toMatch(/^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/64$/);
    expect(new Set(picks).size).toBeGreaterThan(1);
  });
});
