import { checkDuplicateDestinations, parseMountFlag, parseTmpfsFlag, parseVolumeFlag, parseVolumesFrom } from '../../../../lib/container/parse/mounts.js';

describe('-v/--volume parsing', () => {
  it('reads a host path bind with options', () => {
    expect(parseVolumeFlag('/srv/data:/data:ro,Z', '/')).toEqual({ type: 'bind', source: '/srv/data', destination: '/data', options: ['ro', 'Z'] });
  });

  it('resolves a relative host path against the working directory', () => {
    expect(parseVolumeFlag('./dir:/x', '/home/u').source).toBe('/home/u/dir');
  });

  it('treats a bare name as a named volume and a lone path as a new anonymous volume', () => {
    expect(parseVolumeFlag('cache:/var/cache/', '/')).toEqual({ type: 'volume', source: 'cache', destination: '/var/cache', options: [] });
    expect(parseVolumeFlag('/scratch', '/')).toEqual({ type: 'volume', source: '', destination: '/scratch', options: [] });
  });

  it('rejects a relative container path before anything is created', () => {
    expect(() => parseVolumeFlag('/a:data', '/')).toThrow(/container path "data" must be absolute/);
  });

  it('rejects unknown, repeated and contradictory options', () => {
    expect(() => parseVolumeFlag('/a:/b:rox', '/')).toThrow(/unknown option "rox"/);
    expect(() => parseVolumeFlag('/a:/b:ro,ro', '/')).toThrow(/given twice/);
    expect(() => parseVolumeFlag('/a:/b:ro,rw', '/')).toThrow(/ro and rw cannot be combined/);
    expect(() => parseVolumeFlag('/a:/b:shared,rslave', '/')).toThrow(/propagation/);
    expect(() => parseVolumeFlag('/a:/b:nocopy', '/')).toThrow(/unknown option "nocopy" for a bind mount/);
    expect(() => parseVolumeFlag('/a:/b:O', '/')).toThrow(/overlay volumes/);
  });

  it('rejects a source that is neither a path nor a volume name', () => {
    expect(() => parseVolumeFlag('bad name:/x', '/')).toThrow(/neither an absolute host path nor a valid volume name/);
  });
});

describe('--mount parsing', () => {
  it('reads docker and podman keys for binds', () => {
    expect(parseMountFlag('type=bind,src=/a,dst=/b,readonly,bind-propagation=rshared', '/')).toEqual({
      type: 'bind',
      source: '/a',
      destination: '/b',
      options: ['ro', 'rshared'],
    });
  });

  it('reads volumes, anonymous volumes and tmpfs mounts', () => {
    expect(parseMountFlag('type=volume,source=v1,target=/v,volume-nocopy', '/')).toEqual({ type: 'volume', source: 'v1', destination: '/v', options: ['nocopy'] });
    expect(parseMountFlag('type=volume,target=/v', '/').source).toBe('');
    expect(parseMountFlag('type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1777', '/')).toEqual({
      type: 'tmpfs',
      source: 'tmpfs',
      destination: '/t',
      options: ['size=64m', 'mode=1777'],
    });
  });

  it('says what is missing or wrong', () => {
    expect(() => parseMountFlag('src=/a,dst=/b', '/')).toThrow(/type= is required/);
    expect(() => parseMountFlag('type=image,src=x,dst=/b', '/')).toThrow(/unsupported type "image"/);
    expect(() => parseMountFlag('type=bind,src=/a', '/')).toThrow(/target= is required/);
    expect(() => parseMountFlag('type=bind,dst=/a', '/')).toThrow(/needs source=/);
    expect(() => parseMountFlag('type=bind,src=/a,dst=/b,colour=red', '/')).toThrow(/unknown key "colour"/);
    expect(() => parseMountFlag('type=tmpfs,src=x,dst=/b', '/')).toThrow(/takes no source/);
    expect(() => parseMountFlag('type=bind,src=/a,dst=/b,readonly=maybe', '/')).toThrow(/true or false/);
  });
});

describe('--tmpfs parsing', () => {
  it('takes a path and optional kernel options', () => {
    expect(parseTmpfsFlag('/run/x')).toEqual({ type: 'tmpfs', source: 'tmpfs', destination: '/run/x', options: [] });
    expect(parseTmpfsFlag('/t:rw,size=1g,mode=700,noexec').options).toEqual(['rw', 'size=1g', 'mode=700', 'noexec']);
  });

  it('rejects unknown keys and bad values', () => {
    expect(() => parseTmpfsFlag('/t:foo=1')).toThrow(/unknown tmpfs option "foo"/);
    expect(() => parseTmpfsFlag('/t:mode=999')).toThrow(/bad value "999"/);
    expect(() => parseTmpfsFlag('t')).toThrow(/must be absolute/);
  });
});

describe('mount checks', () => {
  it('refuses two mounts on one destination', () => {
    const a = parseVolumeFlag('/a:/data', '/');
    const b = parseTmpfsFlag('/data/');
    expect(() => checkDuplicateDestinations([a, b])).toThrow(/duplicate mount destination "\/data"/);
  });

  it('reads --volumes-from with an optional mode', () => {
    expect(parseVolumesFrom('web')).toEqual({ ref: 'web', mode: undefined });
    expect(parseVolumesFrom('web:ro')).toEqual({ ref: 'web', mode: 'ro' });
    expect(() => parseVolumesFrom('web:xx')).toThrow(/CONTAINER\[:ro\|rw\]/);
  });
});
