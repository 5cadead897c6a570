import { parseSecretFlag, parseSecretFlags } from '../../../../lib/container/parse/secrets.js';

describe('--secret parsing', () => {
  it('defaults to a read-only file /run/secrets/NAME owned by root, mode 0444', () => {
    expect(parseSecretFlag('db')).toEqual({ source: 'db', type: 'mount', target: '/run/secrets/db', uid: 0, gid: 0, mode: 0o444 });
    expect(parseSecretFlag('source=db,target=pw,uid=5,gid=6,mode=0400')).toEqual({ source: 'db', type: 'mount', target: '/run/secrets/pw', uid: 5, gid: 6, mode: 0o400 });
    expect(parseSecretFlag('db,target=/etc/db.key').target).toBe('/etc/db.key');
  });

  it('makes an env secret the variable TARGET, the name by default', () => {
    expect(parseSecretFlag('db,type=env')).toEqual({ source: 'db', type: 'env', target: 'db' });
    expect(parseSecretFlag('db,type=env,target=DB_PASSWORD')).toEqual({ source: 'db', type: 'env', target: 'DB_PASSWORD' });
  });

  it('refuses what podman refuses, naming the flag and the value', () => {
    expect(() => parseSecretFlag('db,type=env,mode=0400')).toThrow(/--secret "db,type=env,mode=0400": mode applies to type=mount only/);
    expect(() => parseSecretFlag('db,type=file')).toThrow(/type must be mount or env/);
    expect(() => parseSecretFlag('db,type=env,target=1X')).toThrow(/not a valid environment variable name/);
    expect(() => parseSecretFlag('db,mode=999')).toThrow(/octal mode/);
    expect(() => parseSecretFlag('db,uid=-1')).toThrow(/whole number/);
    expect(() => parseSecretFlag('db,color=red')).toThrow(/unknown option "color"/);
    expect(() => parseSecretFlag('type=env')).toThrow(/name the secret/);
    expect(() => parseSecretFlag('db,target=../../etc/passwd')).toThrow(/must name a file/);
    expect(() => parseSecretFlag('db,target=/')).toThrow(/must name a file/);
    expect(() => parseSecretFlags(['a,target=x', 'b,target=x'])).toThrow(/two secrets for the same file "\/run\/secrets\/x"/);
  });
});
