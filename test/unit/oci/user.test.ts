import { resolveUser } from '../../../lib/oci/user.js';

const passwd = 'root:x:0:0:root:/root:/bin/sh\npmanuser:x:1000:1000::/home/pmanuser:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\n';
const group = 'root:x:0:\nwheel:x:10:root,pmanuser\npmanuser:x:1000:\nnogroup:x:65534:\n';

describe('container user resolution', () => {
  it('defaults to root with its home and supplementary groups', () => {
    expect(resolveUser('', passwd, group)).toEqual({ uid: 0, gid: 0, additionalGids: [10], home: '/root' });
  });

  it('resolves a user name to its uid, primary gid and groups', () => {
    expect(resolveUser('pmanuser', passwd, group)).toEqual({ uid: 1000, gid: 1000, additionalGids: [10], home: '/home/pmanuser' });
  });

  it('accepts a numeric uid that has no passwd entry', () => {
    expect(resolveUser('4242', passwd, group)).toEqual({ uid: 4242, gid: 0, additionalGids: [], home: '/' });
  });

  it('takes an explicit group by name or number and then adds no supplementary groups', () => {
    expect(resolveUser('1000:nogroup', passwd, group)).toEqual({ uid: 1000, gid: 65534, additionalGids: [], home: '/home/pmanuser' });
    expect(resolveUser('root:7', passwd, group).gid).toBe(7);
  });

  it('rejects an unknown user name with a clear message', () => {
    expect(() => resolveUser('alice', passwd, group)).toThrow(/cannot resolve user "alice"/);
  });

  it('rejects an unknown group name with a clear message', () => {
    expect(() => resolveUser('root:staff', passwd, group)).toThrow(/cannot resolve group "staff"/);
  });
});
