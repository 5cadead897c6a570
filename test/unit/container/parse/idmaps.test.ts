import { checkOverlaps, hasIdMapFlags, parseIdMaps, parseIdRange, subIdRanges } from '../../../../lib/container/parse/idmaps.js';

const none = { uidmap: [], gidmap: [] };
const SUBUID = '# comment\nalice:100000:65536\nbob:200000:1000\nalice:300000:10\nbroken:x:5\n';
const SUBGID = 'alice:500000:65536\n';
const ctx = { rootless: false, readSubIds: (file: string) => (file === '/etc/subuid' ? SUBUID : SUBGID) };

describe('ID map flags', () => {
  it('read CONTAINER:HOST:SIZE, with SIZE 1 when left out', () => {
    expect(parseIdRange('0:100000:65536', '--uidmap')).toEqual({ container: 0, host: 100000, size: 65536 });
    expect(parseIdRange('1000:5000', '--gidmap')).toEqual({ container: 1000, host: 5000, size: 1 });
  });

  it('refuse malformed ranges in one line naming flag and value', () => {
    expect(() => parseIdRange('0:x:1', '--uidmap')).toThrow('invalid --uidmap "0:x:1": use CONTAINER_ID:HOST_ID:SIZE, e.g. --uidmap 0:100000:65536');
    expect(() => parseIdRange('0', '--uidmap')).toThrow('invalid --uidmap "0": use CONTAINER_ID:HOST_ID:SIZE');
    expect(() => parseIdRange('-1:0:1', '--uidmap')).toThrow('invalid --uidmap "-1:0:1"');
    expect(() => parseIdRange('0:0:0', '--gidmap')).toThrow('invalid --gidmap "0:0:0": the size must be at least 1');
    expect(() => parseIdRange('0:4294967290:10', '--uidmap')).toThrow('the range ends beyond ID 4294967294');
    expect(() => parseIdRange('+0:100000:1', '--uidmap')).toThrow('the "+" and "@" prefixes of newer podman releases are for rootless user namespaces');
  });

  it('refuse ranges that overlap on the container or the host side, and accept neighbours', () => {
    const r = (container: number, host: number, size: number) => ({ container, host, size });
    expect(() => checkOverlaps([r(0, 100000, 10), r(10, 100010, 5)], '--uidmap')).not.toThrow();
    expect(() => checkOverlaps([r(0, 100000, 10), r(9, 200000, 5)], '--uidmap')).toThrow('invalid --uidmap: the ranges 0:100000:10 and 9:200000:5 overlap in their container IDs; give each ID once');
    expect(() => checkOverlaps([r(0, 100000, 10), r(20, 100009, 5)], '--gidmap')).toThrow('the ranges 0:100000:10 and 20:100009:5 overlap in their host IDs');
  });

  it('take every range of a name from the subordinate-ID file, one after another from container ID 0', () => {
    expect(subIdRanges(SUBUID, 'alice', '--subuidname', '/etc/subuid')).toEqual([
      { container: 0, host: 100000, size: 65536 },
      { container: 65536, host: 300000, size: 10 },
    ]);
    expect(() => subIdRanges(SUBUID, 'broken', '--subuidname', '/etc/subuid')).toThrow('invalid --subuidname "broken": /etc/subuid has no range for "broken"; add a line broken:START:COUNT to it');
    expect(() => subIdRanges('', 'carol', '--subgidname', '/etc/subgid')).toThrow('/etc/subgid has no range for "carol"');
  });

  it('use one map for both kinds of ID when only one is given, as podman does', () => {
    const m = [{ container: 0, host: 100000, size: 65536 }];
    expect(parseIdMaps({ ...none, uidmap: ['0:100000:65536'] }, ctx)).toEqual({ uidMap: m, gidMap: m });
    expect(parseIdMaps({ ...none, gidmap: ['0:100000:65536'] }, ctx)).toEqual({ uidMap: m, gidMap: m });
    expect(parseIdMaps({ uidmap: ['0:100000:65536'], gidmap: ['0:7000:1'] }, ctx)).toEqual({ uidMap: m, gidMap: [{ container: 0, host: 7000, size: 1 }] });
    // One name stands for both files.
    expect(parseIdMaps({ ...none, subuidname: 'alice' }, ctx)).toEqual({
      uidMap: [{ container: 0, host: 100000, size: 65536 }, { container: 65536, host: 300000, size: 10 }],
      gidMap: [{ container: 0, host: 500000, size: 65536 }],
    });
    expect(parseIdMaps(none, ctx)).toBeUndefined();
    expect(hasIdMapFlags(none)).toBe(false);
    expect(hasIdMapFlags({ ...none, subgidname: 'alice' })).toBe(true);
  });

  it('refuse conflicting flags, --userns, and rootless use', () => {
    expect(() => parseIdMaps({ ...none, uidmap: ['0:1:1'], subuidname: 'alice' }, ctx)).toThrow('--subuidname cannot be combined with --uidmap');
    expect(() => parseIdMaps({ ...none, gidmap: ['0:1:1'], subgidname: 'alice' }, ctx)).toThrow('--subgidname cannot be combined with --gidmap');
    expect(() => parseIdMaps({ ...none, gidmap: ['0:1:1'] }, { ...ctx, userns: 'host' })).toThrow('--gidmap cannot be combined with --userns "host"');
    expect(() => parseIdMaps({ ...none, uidmap: ['0:1:1'] }, { ...ctx, rootless: true })).toThrow(
      'cannot use --uidmap in a rootless container: a rootless container already runs in your user namespace',
    );
  });
});
