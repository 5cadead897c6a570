import { parseBytes, parseCpuList, parseCpus, parseResources, parseUlimit } from '../../../../lib/container/parse/resources.js';

const none = { ulimits: [] };

describe('resource flag parsing', () => {
  it('reads sizes in binary units like docker', () => {
    expect(parseBytes('512m', '--memory')).toBe(512 * 1024 * 1024);
    expect(parseBytes('1g', '--memory')).toBe(1024 ** 3);
    expect(parseBytes('1.5G', '--memory')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('4096', '--memory')).toBe(4096);
    expect(parseBytes('10MB', '--memory')).toBe(10 * 1024 * 1024);
    expect(() => parseBytes('lots', '--memory')).toThrow(/invalid --memory "lots"/);
  });

  it('turns --cpus into nano-CPUs and checks cpu lists', () => {
    expect(parseCpus('1.5')).toBe(1_500_000_000);
    expect(() => parseCpus('0')).toThrow(/positive/);
    expect(parseCpuList('0-3,5', '--cpuset-cpus')).toBe('0-3,5');
    expect(() => parseCpuList('3-1', '--cpuset-cpus')).toThrow(/reversed/);
    expect(() => parseCpuList('a', '--cpuset-cpus')).toThrow(/0-3/);
  });

  it('reads ulimits with an optional hard limit and -1 for unlimited', () => {
    expect(parseUlimit('nofile=1024:2048')).toEqual({ name: 'nofile', soft: 1024, hard: 2048 });
    expect(parseUlimit('core=-1')).toEqual({ name: 'core', soft: -1, hard: -1 });
    expect(parseUlimit('RLIMIT_NPROC=10')).toEqual({ name: 'nproc', soft: 10, hard: 10 });
    expect(() => parseUlimit('nofile=10:5')).toThrow(/must not exceed/);
    expect(() => parseUlimit('files=1')).toThrow(/unknown limit "files"/);
  });

  it('applies podman cross-checks between memory flags', () => {
    expect(parseResources({ ...none, memory: '64m', memorySwap: '128m' })).toEqual({ memory: 64 * 1024 ** 2, memorySwap: 128 * 1024 ** 2 });
    expect(parseResources({ ...none, memory: '64m', memorySwap: '-1' })?.memorySwap).toBe(-1);
    expect(() => parseResources({ ...none, memorySwap: '1g' })).toThrow(/needs --memory/);
    expect(() => parseResources({ ...none, memory: '1g', memorySwap: '512m' })).toThrow(/at least --memory/);
    expect(() => parseResources({ ...none, memory: '1m' })).toThrow(/minimum memory limit is 6m/);
    // podman: 0 is no limit.
    expect(parseResources({ ...none, memory: '0' })).toBeUndefined();
    expect(() => parseResources({ ...none, memory: '64m', memoryReservation: '128m' })).toThrow(/smaller than --memory/);
  });

  it('keeps the last --ulimit of a name and maps pids-limit 0 to unlimited', () => {
    const r = parseResources({ ulimits: ['nofile=1:1', 'nofile=2:2'], pidsLimit: '0', oomScoreAdj: '-500' });
    expect(r).toEqual({ ulimits: [{ name: 'nofile', soft: 2, hard: 2 }], pidsLimit: -1, oomScoreAdj: -500 });
    expect(() => parseResources({ ...none, oomScoreAdj: '2000' })).toThrow(/between -1000 and 1000/);
    expect(parseResources(none)).toBeUndefined();
  });
});
