import { allDescriptorsKnown, capabilityNames, startTime } from '../../../lib/container/top-extra.js';
import { isDescriptor, parseDescriptors } from '../../../lib/container/top.js';

describe('top descriptors', () => {
  it('prints capability masks as psgo does: sorted names, full, none', () => {
    // podman's default set: bits 0 1 3 4 5 6 7 8 10 18 31.
    const defaults = [0, 1, 3, 4, 5, 6, 7, 8, 10, 18, 31].reduce((m, b) => m | (1n << BigInt(b)), 0n).toString(16).padStart(16, '0');
    expect(capabilityNames(defaults)).toBe('CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT');
    expect(capabilityNames('000001ffffffffff')).toBe('full');
    expect(capabilityNames('0000000000000000')).toBe('none');
    expect(capabilityNames('zz')).toBe('?');
  });

  it('prints the start time in Go\'s time format, in UTC', () => {
    expect(startTime(250, 100, 1_700_000_000)).toBe('2023-11-14 22:13:22 +0000 UTC');
  });

  it('knows podman\'s descriptors and %-aliases, and sends anything else to ps', () => {
    expect(parseDescriptors(['pid,capeff', 'label', 'stime', '%C'])).toEqual(['pid', 'capeff', 'label', 'stime', 'pcpu']);
    expect(parseDescriptors([])).toEqual(['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args']);
    expect(allDescriptorsKnown(['pid,user', 'groups', 'hgroups', 'capbnd'], isDescriptor)).toBe(true);
    expect(allDescriptorsKnown(['-o', 'pid,comm'], isDescriptor)).toBe(false);
    expect(allDescriptorsKnown(['aux'], isDescriptor)).toBe(false);
  });
});
