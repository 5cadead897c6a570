import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPolicy, dockerScopes, loadPolicy, parsePolicy, pathScopes, policyPath } from '../../../lib/config/policy.js';

describe('policy.json scopes', () => {
  it('a registry image: tag or digest, repository, namespaces, host, parent-domain wildcards', () => {
    expect(dockerScopes('reg.example.com:5000', 'ns/sub/repo', 'v1', undefined)).toEqual([
      'reg.example.com:5000/ns/sub/repo:v1',
      'reg.example.com:5000/ns/sub/repo',
      'reg.example.com:5000/ns/sub',
      'reg.example.com:5000/ns',
      'reg.example.com:5000',
      '*.example.com',
      '*.com',
    ]);
    expect(dockerScopes('docker.io', 'library/busybox', undefined, 'sha256:ab')).toEqual(['docker.io/library/busybox@sha256:ab', 'docker.io/library/busybox', 'docker.io/library', 'docker.io', '*.io']);
    expect(dockerScopes('127.0.0.1:5000', 'a', undefined, undefined).slice(0, 3)).toEqual(['127.0.0.1:5000/a:latest', '127.0.0.1:5000/a', '127.0.0.1:5000']);
  });

  it('a file: its path, then each parent directory', () => {
    expect(pathScopes('/a/b/c.tar')).toEqual(['/a/b/c.tar', '/a/b', '/a', '/']);
  });
});

describe('policy.json decisions', () => {
  const policy = parsePolicy(
    JSON.stringify({
      default: [{ type: 'insecureAcceptAnything' }],
      transports: {
        docker: {
          'r:5000/test/a': [{ type: 'reject' }],
          'r:5000/test/a:2': [{ type: 'insecureAcceptAnything' }],
          'r:5000/test/signed': [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg' }],
        },
        'docker-archive': { '': [{ type: 'reject' }] },
      },
    }),
    '/p.json',
  );
  const pull = (repo: string, tag: string) => () => checkPolicy(policy, 'docker', dockerScopes('r:5000', repo, tag, undefined), `pulling "${repo}:${tag}"`);

  it('the most specific scope wins', () => {
    expect(pull('test/a', '1')).toThrow('pulling "test/a:1" is rejected by the signature policy "/p.json" (transports.docker["r:5000/test/a"])');
    expect(pull('test/a', '2')).not.toThrow();
    expect(pull('test/other', '1')).not.toThrow();
  });

  it("a transport's \"\" scope applies to all of that transport's images before \"default\"", () => {
    expect(() => checkPolicy(policy, 'docker-archive', pathScopes('/x.tar'), 'loading "/x.tar"')).toThrow('loading "/x.tar" is rejected by the signature policy "/p.json" (transports.docker-archive[""])');
    const rejectAll = parsePolicy('{"default":[{"type":"reject"}]}', '/r.json');
    expect(() => checkPolicy(rejectAll, 'oci', pathScopes('/d'), 'loading "/d"')).toThrow('(\"default\")');
  });

  it('a signature requirement is refused, never skipped', () => {
    expect(pull('test/signed', '1')).toThrow('pulling "test/signed:1" needs a signedBy signature check by the signature policy "/p.json" (transports.docker["r:5000/test/signed"]), which pman cannot verify');
  });

  it('no policy file accepts everything', () => {
    expect(() => checkPolicy(undefined, 'docker', ['x'], 'x')).not.toThrow();
  });
});

describe('reading policy.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-policy-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('bad files name the file and what is wrong', () => {
    expect(() => parsePolicy('{', '/p.json')).toThrow(/^invalid signature policy "\/p.json": /);
    expect(() => parsePolicy('{}', '/p.json')).toThrow('invalid signature policy "/p.json": "default" is missing');
    expect(() => parsePolicy('{"default":[]}', '/p.json')).toThrow('invalid signature policy "/p.json": "default" must be a non-empty array of requirements');
    expect(() => parsePolicy('{"default":[{"type":"accept"}]}', '/p.json')).toThrow('"default" has a requirement of unknown type "accept"');
    expect(() => parsePolicy('{"default":[{"type":"reject"}],"transports":{"docker":{"x":{}}}}', '/p.json')).toThrow('transports.docker["x"] must be a non-empty array');
  });

  it('an absent standard file is no policy; a rootless user\'s own file comes first; a named file must exist', () => {
    expect(loadPolicy(path.join(dir, 'none.json'))).toBeUndefined();
    expect(policyPath(undefined, { XDG_CONFIG_HOME: dir }, true)).toBe('/etc/containers/policy.json');
    fs.mkdirSync(path.join(dir, 'containers'));
    fs.writeFileSync(path.join(dir, 'containers/policy.json'), '{"default":[{"type":"reject"}]}');
    expect(policyPath(undefined, { XDG_CONFIG_HOME: dir }, true)).toBe(path.join(dir, 'containers/policy.json'));
    expect(policyPath(undefined, { XDG_CONFIG_HOME: dir }, false)).toBe('/etc/containers/policy.json');
    expect(loadPolicy(path.join(dir, 'containers/policy.json'))?.default).toEqual([{ type: 'reject' }]);
    expect(() => policyPath(path.join(dir, 'nope.json'), {}, false)).toThrow(`invalid --signature-policy "${path.join(dir, 'nope.json')}": no such file`);
  });
});
