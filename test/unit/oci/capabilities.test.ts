import { ALL_CAPS, capabilitySets, capMask, capsFromMask } from '../../../lib/oci/capabilities.js';
import { DEFAULT_CAPS } from '../../../lib/oci/spec-security.js';

const root = { defaults: DEFAULT_CAPS, uid: 0 };

describe('container capability sets', () => {
  it('gives root podman\'s default set, which /proc shows as 00000000800405fb', () => {
    const s = capabilitySets(root);
    expect(s.effective).toEqual(s.bounding);
    expect(capMask(s.bounding)).toBe('00000000800405fb');
  });

  it('adds and drops, ALL included', () => {
    expect(capabilitySets({ ...root, capAdd: ['CAP_NET_ADMIN'], capDrop: ['CAP_CHOWN'] }).bounding).toEqual(
      ALL_CAPS.filter((c) => (DEFAULT_CAPS.includes(c) && c !== 'CAP_CHOWN') || c === 'CAP_NET_ADMIN'),
    );
    expect(capabilitySets({ ...root, capDrop: ['ALL'] }).bounding).toEqual([]);
    expect(capabilitySets({ ...root, capDrop: ['ALL'], capAdd: ['CAP_KILL'] }).bounding).toEqual(['CAP_KILL']);
    expect(capabilitySets({ ...root, capAdd: ['ALL'], capDrop: ['CAP_SYS_ADMIN'] }).bounding).toEqual(ALL_CAPS.filter((c) => c !== 'CAP_SYS_ADMIN'));
  });

  it('gives --privileged everything pman itself may hand out', () => {
    const available = ALL_CAPS.filter((c) => c !== 'CAP_SYS_RESOURCE');
    expect(capabilitySets({ ...root, privileged: true, available }).bounding).toEqual(available);
  });

  it('leaves a non-root user only the capabilities added for it, also as ambient ones', () => {
    const s = capabilitySets({ defaults: DEFAULT_CAPS, uid: 1000, capAdd: ['CAP_NET_ADMIN'] });
    expect(s.effective).toEqual(['CAP_NET_ADMIN']);
    expect(s.ambient).toEqual(['CAP_NET_ADMIN']);
    expect(s.bounding).toContain('CAP_CHOWN');
    expect(capabilitySets({ defaults: DEFAULT_CAPS, uid: 1000 }).effective).toEqual([]);
  });

  it('reads a /proc mask back into names', () => {
    expect(capsFromMask('00000000800405fb')).toEqual(DEFAULT_CAPS.slice().sort((a, b) => ALL_CAPS.indexOf(a) - ALL_CAPS.indexOf(b)));
  });
});
