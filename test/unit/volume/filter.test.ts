import { volumeFilter } from '../../../lib/volume/filter.js';
import type { VolumeRecord } from '../../../lib/volume/volume-record.js';

const vol = (name: string, labels: Record<string, string> = {}, anonymous = false): VolumeRecord => ({
  version: 1,
  name,
  driver: 'local',
  created: '2024-01-01T00:00:00Z',
  labels,
  options: {},
  anonymous,
  needsCopyUp: false,
});

describe('volume filters', () => {
  const vols = [vol('data', { env: 'prod' }), vol('cache', { env: 'dev' }), vol('a'.repeat(64), {}, true)];
  const names = (specs: string[], users = 0) => vols.filter((v) => volumeFilter(specs)(v, { users })).map((v) => v.name.slice(0, 5));

  it('matches names, labels and anonymity; one key twice is OR, different keys AND', () => {
    expect(names(['name=dat'])).toEqual(['data']);
    expect(names(['label=env'])).toEqual(['data', 'cache']);
    expect(names(['label=env=dev', 'label=env=prod'])).toEqual(['data', 'cache']);
    expect(names(['label=env', 'name=cache'])).toEqual(['cache']);
    expect(names(['label!=env=prod'])).toEqual(['cache', 'aaaaa']);
    expect(names(['anonymous=true'])).toEqual(['aaaaa']);
  });

  it('reads opt= as podman: an option of that name, with that value unless none is given; o=uid= also lists UID', () => {
    const owned = { ...vol('owned'), options: { o: 'uid=1000,gid=5' } };
    const root = { ...vol('rooted'), options: { o: 'uid=0' } };
    const opts = (specs: string[]) => [vol('plain'), owned, root].filter((v) => volumeFilter(specs)(v, { users: 0 })).map((v) => v.name);
    expect(opts(['opt=o'])).toEqual(['owned', 'rooted']);
    expect(opts(['opt=o='])).toEqual(['owned', 'rooted']);
    expect(opts(['opt=o=uid=0'])).toEqual(['rooted']);
    expect(opts(['opt=UID=1000'])).toEqual(['owned']);
    expect(opts(['opt=GID'])).toEqual(['owned']);
    expect(opts(['opt=UID=0', 'opt=GID=5'])).toEqual(['owned', 'rooted']);
    // Names and values are matched exactly.
    expect(opts(['opt=uid=1000'])).toEqual([]);
    expect(opts(['opt=o=uid=1000'])).toEqual([]);
    expect(opts(['opt='])).toEqual([]);
    expect(opts(['opt=constructor'])).toEqual([]);
  });

  it('tells used from dangling volumes', () => {
    expect(names(['dangling=true'], 1)).toEqual([]);
    expect(names(['dangling=false'], 1)).toHaveLength(3);
  });

  it('reads until= as Unix seconds, a Go duration before now, or a date', () => {
    // Created 2024-01-01: before each of these instants.
    expect(names(['until=1704067201'])).toHaveLength(3);
    expect(names(['until=1704067200'])).toEqual([]);
    expect(names(['until=1h30m'])).toHaveLength(3);
    expect(names(['until=1.5h'])).toHaveLength(3);
    expect(names(['until=24h'])).toHaveLength(3);
    expect(names(['until=2024-01-02T00:00:00Z'])).toHaveLength(3);
    expect(names(['until=2023-12-31T00:00:00Z'])).toEqual([]);
    expect(() => volumeFilter(['until=soon'])).toThrow(/invalid until filter "soon"/);
  });

  it('rejects unknown keys and bad values', () => {
    expect(() => volumeFilter(['colour=red'])).toThrow(/unknown key "colour"/);
    expect(() => volumeFilter(['dangling=maybe'])).toThrow(/dangling=true or dangling=false/);
    expect(() => volumeFilter(['name'])).toThrow(/KEY=VALUE/);
  });
});
