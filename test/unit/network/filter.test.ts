import { networkFilter } from '../../../lib/network/filter.js';
import type { NetworkRecord } from '../../../lib/network/network-record.js';

const net = (name: string, id: string, labels: Record<string, string> = {}): NetworkRecord => ({
  version: 1,
  name,
  id: id.repeat(64 / id.length),
  driver: 'bridge',
  network_interface: 'pman9',
  created: '2024-01-01T00:00:00Z',
  subnets: [{ subnet: '10.91.0.0/24', gateway: '10.91.0.1' }],
  ipv6_enabled: false,
  internal: false,
  dns_enabled: true,
  labels,
  options: {},
  ipam_options: {},
});

describe('network filters', () => {
  const nets = [net('front', 'a', { tier: 'web' }), net('back', 'b', { tier: 'db' }), net('spare', 'c')];
  const names = (specs: string[], users = 0) => nets.filter((n) => networkFilter(specs)(n, { users })).map((n) => n.name);

  it('reads until= as the volume filters do: Unix seconds, a Go duration before now, or a date', () => {
    expect(names(['until=1704067201'])).toHaveLength(3);
    expect(names(['until=1704067200'])).toEqual([]);
    expect(names(['until=1h30m'])).toHaveLength(3);
    expect(names(['until=2023-12-31T00:00:00Z'])).toEqual([]);
    expect(() => names(['until=soon'])).toThrow('invalid until filter "soon"');
  });

  it('matches names as patterns, ID prefixes and labels; one key twice is OR, different keys AND, every label= AND', () => {
    expect(names(['name=^b'])).toEqual(['back']);
    expect(names(['id=aaa'])).toEqual(['front']);
    expect(names(['label=tier'])).toEqual(['front', 'back']);
    expect(names(['label=tier=web', 'label=tier=db'])).toEqual([]);
    expect(names(['label=tier', 'label=tier=web'])).toEqual(['front']);
    expect(names(['label=tier', 'name=front'])).toEqual(['front']);
    expect(names(['label!=tier'])).toEqual(['spare']);
  });

  it('tells used from dangling networks and refuses unknown keys', () => {
    expect(names(['dangling=true'], 1)).toEqual([]);
    expect(() => networkFilter(['colour=red'])).toThrow('invalid --filter "colour=red"');
  });
});
