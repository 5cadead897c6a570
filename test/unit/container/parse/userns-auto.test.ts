import { accountsSize, allocateAutoMaps, allocateSide, autoUsernsSize, isAutoUserns, parseAutoUserns, subtract } from '../../../../lib/container/parse/userns-auto.js';

const limits = { minSize: 1024, maxSize: 65536 };

describe('--userns=auto', () => {
  it('is recognised as auto and auto:OPTIONS only', () => {
    expect(['auto', 'auto:size=1', 'host', 'automatic', '', undefined].map(isAutoUserns)).toEqual([true, true, false, false, false, false]);
  });

  it('parses size, repeated uidmapping and gidmapping as podman 4 does', () => {
    expect(parseAutoUserns('auto')).toEqual({ uidMapping: [], gidMapping: [] });
    expect(parseAutoUserns('auto:size=2048,uidmapping=0:100:1,uidmapping=5:200:2,gidmapping=1:300:4')).toEqual({
      size: 2048,
      uidMapping: [
        { container: 0, host: 100, size: 1 },
        { container: 5, host: 200, size: 2 },
      ],
      gidMapping: [{ container: 1, host: 300, size: 4 }],
    });
  });

  it('refuses a bad spec in one line naming the value', () => {
    const cases: Array<[string, string]> = [
      ['auto:', 'invalid --userns "auto:": no option after "auto:"; use auto[:size=N][,uidmapping=CONTAINER_ID:HOST_ID:SIZE][,gidmapping=CONTAINER_ID:HOST_ID:SIZE]'],
      ['auto:foo=1', 'invalid --userns "auto:foo=1": unknown option "foo=1"; use auto[:size=N]'],
      ['auto:size', 'invalid --userns "auto:size": unknown option "size"'],
      ['auto:size=-1', 'invalid --userns "auto:size=-1": size must be a whole number from 1 to 4294967295, not "-1"'],
      ['auto:size=4294967296', 'size must be a whole number from 1 to 4294967295, not "4294967296"'],
      ['auto:uidmapping=0:1', 'invalid --userns "auto:uidmapping=0:1": uidmapping takes CONTAINER_ID:HOST_ID:SIZE, e.g. uidmapping=0:100000:1'],
      ['auto:gidmapping=0:4294967290:10', 'invalid --userns "auto:gidmapping=0:4294967290:10": the gidmapping range 0:4294967290:10 must have a size of at least 1 and end at or below ID 4294967294'],
      ['auto:uidmapping=0:10:0', 'the uidmapping range 0:10:0 must have a size of at least 1'],
      ['auto:uidmapping=0:10:5,uidmapping=2:100:1', 'the ranges 0:10:5 and 2:100:1 overlap in their container IDs'],
    ];
    for (const [spec, message] of cases) expect(() => parseAutoUserns(spec)).toThrow(message);
  });

  it("sizes the namespace from the image's accounts, leaving out nobody and 65534", () => {
    const passwd = 'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\napp:x:1500:1600::/:/bin/sh\nbroken line\nodd:x:x:1::/:\n';
    const group = 'root:x:0:\nnogroup:x:65533:\nwheel:x:1700:\nnobodies:x:65534:\n';
    expect(accountsSize(passwd, group)).toBe(1701);
    expect(accountsSize('', '')).toBe(0);
  });

  it('takes size= as given, else what is needed within auto-userns-min-size and -max-size', () => {
    expect(autoUsernsSize({ uidMapping: [], gidMapping: [] }, 10, limits)).toBe(1024);
    expect(autoUsernsSize({ uidMapping: [], gidMapping: [] }, 5000, limits)).toBe(5000);
    expect(autoUsernsSize({ size: 7, uidMapping: [], gidMapping: [] }, 5000, limits)).toBe(7);
    expect(autoUsernsSize({ size: 100000, uidMapping: [], gidMapping: [] }, 1, limits)).toBe(100000);
    expect(autoUsernsSize({ uidMapping: [], gidMapping: [] }, 70000, { minSize: 1024, maxSize: 0 })).toBe(70000);
    expect(() => autoUsernsSize({ uidMapping: [], gidMapping: [] }, 65537, limits)).toThrow(
      'cannot give the container a user namespace with --userns=auto: it needs 65537 IDs (its image\'s files and accounts use IDs up to 65536), more than auto-userns-max-size (65536) of storage.conf; give the size with --userns=auto:size=65537, or raise auto-userns-max-size',
    );
  });

  it('subtracts intervals', () => {
    expect(subtract([{ start: 0, end: 10 }, { start: 20, end: 30 }], [{ start: 5, end: 25 }, { start: 28, end: 29 }])).toEqual([
      { start: 0, end: 5 },
      { start: 25, end: 28 },
      { start: 29, end: 30 },
    ]);
  });

  it('gives the lowest host IDs no container holds, across gaps, and adds forced ranges as they are', () => {
    const pool = [{ start: 1000, end: 1100 }, { start: 5000, end: 5100 }];
    // 1000-1009 and 1050-1099 are held: 10 IDs from 1010, the rest from 5000.
    const used = [{ container: 0, host: 1000, size: 10 }, { container: 0, host: 1050, size: 50 }];
    expect(allocateSide(50, pool, used, [])).toEqual({ map: [{ container: 0, host: 1010, size: 40 }, { container: 40, host: 5000, size: 10 }] });
    // Container ID 3 is forced to host 1010, which is then not handed out again.
    expect(allocateSide(5, pool, used, [{ container: 3, host: 1010, size: 1 }])).toEqual({
      map: [
        { container: 0, host: 1011, size: 3 },
        { container: 3, host: 1010, size: 1 },
        { container: 4, host: 1014, size: 1 },
      ],
    });
    expect(allocateSide(200, pool, used, [])).toEqual({ free: 140, needed: 200 });
  });

  it('allocates both sides, naming the side that runs short, and refuses more than 340 pieces', () => {
    const pool = { uid: [{ start: 100, end: 200 }], gid: [{ start: 100, end: 150 }] };
    expect(allocateAutoMaps(50, { uidMapping: [], gidMapping: [] }, pool, { uid: [], gid: [] })).toEqual({
      uidMap: [{ container: 0, host: 100, size: 50 }],
      gidMap: [{ container: 0, host: 100, size: 50 }],
      auto: true,
    });
    expect(allocateAutoMaps(60, { uidMapping: [], gidMapping: [] }, pool, { uid: [], gid: [] })).toEqual({ side: 'gid', free: 50, needed: 60 });
    // Every other ID held: 341 pieces of one.
    const holes = Array.from({ length: 400 }, (_, i) => ({ container: 0, host: 2 * i, size: 1 }));
    const wide = { uid: [{ start: 0, end: 800 }], gid: [{ start: 0, end: 800 }] };
    expect(allocateAutoMaps(341, { uidMapping: [], gidMapping: [] }, wide, { uid: holes, gid: [] })).toEqual({ side: 'uid', free: 0, needed: 341, ranges: 341 });
  });
});
