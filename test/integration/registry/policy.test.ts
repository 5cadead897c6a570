// policy.json enforced on pull (and on run's pull) against a real docker-registry on loopback:
// the test writes its own policy files and names them with --signature-policy.
import fs from 'node:fs';
import path from 'node:path';
import { RegistryFixture } from './rig/fixture.js';
import { buildLayout, skopeoCopy } from './rig/images.js';
import { startRegistry, type Registry } from './rig/registry-server.js';

let fx: RegistryFixture;
let reg: Registry;
let scoped: string;
let rejectAll: string;

beforeAll(async () => {
  fx = await RegistryFixture.create({ image: false });
  reg = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'reg') }));
  const layout = buildLayout(path.join(fx.dir, 'oci'), 'latest', [{ os: 'linux', architecture: 'amd64', layers: [{ tar: fx.busybox(), compression: 'gzip' }], cmd: ['echo', 'policy ok'] }]);
  for (const dest of ['test/a:1', 'test/a:2', 'test/signed:1']) skopeoCopy(layout, `${reg.host}/${dest}`);
  scoped = path.join(fx.dir, 'scoped.json');
  fs.writeFileSync(
    scoped,
    JSON.stringify({
      default: [{ type: 'insecureAcceptAnything' }],
      transports: {
        docker: {
          [`${reg.host}/test/a`]: [{ type: 'reject' }],
          [`${reg.host}/test/a:2`]: [{ type: 'insecureAcceptAnything' }],
          [`${reg.host}/test/signed`]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/nonexistent.gpg' }],
        },
      },
    }),
  );
  rejectAll = path.join(fx.dir, 'reject.json');
  fs.writeFileSync(rejectAll, '{"default": [{"type": "reject"}]}');
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('policy.json on pull', () => {
  it('a rejected scope refuses the pull and stores nothing; a more specific accepting scope wins', async () => {
    const store = await fx.freshStore();
    let r = await fx.pman(['pull', '--signature-policy', scoped, `${reg.host}/test/a:1`], { root: store });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain(`pulling "${reg.host}/test/a:1" is rejected by the signature policy "${scoped}" (transports.docker["${reg.host}/test/a"])`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await fx.ok(['images', '-q'], { root: store })).toBe('');
    r = await fx.pman(['pull', '-q', '--signature-policy', scoped, `${reg.host}/test/a:2`], { root: store });
    expect(r.exitCode).toBe(0);
    expect(await fx.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'], { root: store })).toBe(`${reg.host}/test/a:2`);
  });

  it('a signature requirement pman cannot verify refuses the pull with the reason', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '--signature-policy', scoped, `${reg.host}/test/signed:1`], { root: store });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('needs a signedBy signature check by the signature policy');
    expect(r.stderr).toContain('which pman cannot verify');
    expect(await fx.ok(['images', '-q'], { root: store })).toBe('');
  });

  it('run pulls under the policy too; a missing named policy file and a bad one are errors', async () => {
    const store = await fx.freshStore();
    let r = await fx.pman(['run', '--rm', '--signature-policy', rejectAll, `${reg.host}/test/a:2`], { root: store });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain(`is rejected by the signature policy "${rejectAll}" ("default")`);
    expect(await fx.ok(['ps', '-aq'], { root: store })).toBe('');
    const missing = path.join(fx.dir, 'missing.json');
    r = await fx.pman(['pull', '--signature-policy', missing, `${reg.host}/test/a:2`], { root: store });
    expect(r).toMatchObject({ exitCode: 125, stderr: `Error: invalid --signature-policy "${missing}": no such file` });
    const bad = path.join(fx.dir, 'bad.json');
    fs.writeFileSync(bad, '{"transports": {}}');
    r = await fx.pman(['pull', '--signature-policy', bad, `${reg.host}/test/a:2`], { root: store });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain(`invalid signature policy "${bad}": "default" is missing`);
    expect(await fx.ok(['images', '-q'], { root: store })).toBe('');
    r = await fx.pman(['run', '--rm', '--signature-policy', scoped, `${reg.host}/test/a:2`], { root: store });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'policy ok' });
  });
});
