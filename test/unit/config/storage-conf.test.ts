import { AUTO_USERNS_DEFAULTS, parseAutoUsernsConf, storageConfFile } from '../../../lib/config/storage-conf.js';

describe('storage.conf for --userns=auto', () => {
  it('is found where containers/storage looks for root', () => {
    expect(storageConfFile({ CONTAINERS_STORAGE_CONF: '/x/s.conf' }, () => true)).toBe('/x/s.conf');
    expect(storageConfFile({}, (p) => p === '/etc/containers/storage.conf')).toBe('/etc/containers/storage.conf');
    expect(storageConfFile({}, () => false)).toBe('/usr/share/containers/storage.conf');
  });

  it('reads the auto-userns keys of [storage.options], with the defaults for the rest', () => {
    expect(AUTO_USERNS_DEFAULTS).toEqual({ user: 'containers', minSize: 1024, maxSize: 65536 });
    expect(parseAutoUsernsConf('[storage]\ndriver = "overlay"\n', '/f')).toEqual({ user: 'containers', minSize: 1024, maxSize: 65536, file: '/f' });
    expect(parseAutoUsernsConf('[storage.options]\nroot-auto-userns-user = "pool"\nauto-userns-min-size = 10\nauto-userns-max-size = 0\n', '/f')).toEqual({ user: 'pool', minSize: 10, maxSize: 0, file: '/f' });
  });

  it('refuses bad values naming the file and the key', () => {
    expect(() => parseAutoUsernsConf('[storage.options]\nauto-userns-max-size = "big"\n', '/f')).toThrow('invalid storage.conf "/f": auto-userns-max-size must be a whole number from 0 to 4294967295, not "big"');
    expect(() => parseAutoUsernsConf('[storage.options]\nauto-userns-min-size = -1\n', '/f')).toThrow('auto-userns-min-size must be a whole number');
    expect(() => parseAutoUsernsConf('[storage.options]\nroot-auto-userns-user = "a:b"\n', '/f')).toThrow('invalid storage.conf "/f": root-auto-userns-user must be a user name, not "a:b"');
    expect(() => parseAutoUsernsConf('[storage]\noptions = 3\n', '/f')).toThrow('invalid storage.conf "/f": [storage.options] must be a table');
    expect(() => parseAutoUsernsConf('[storage.options\n', '/f')).toThrow(/^invalid storage.conf "\/f": line 1/);
  });
});
