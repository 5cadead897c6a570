// TLS registries: a docker-registry serving a certificate from a test CA (made with openssl),
// with htpasswd auth. Verification is on by default; the CA comes from --cert-dir or a
// certs.d/HOST:PORT directory; --tls-verify=false skips verification.
import fs from 'node:fs';
import path from 'node:path';
import { RegistryFixture } from './rig/fixture.js';
import { htpasswdLine, makePki, type TestPki } from './rig/certs.js';
import { startRegistry, type Registry } from './rig/registry-server.js';

let fx: RegistryFixture;
let reg: Registry;
let pki: TestPki;
let certDir: string;
const CREDS = 'tlsuser:tlspass';

beforeAll(async () => {
  fx = await RegistryFixture.create();
  const dir = path.join(fx.dir, 'reg-tls');
  pki = makePki(path.join(dir, 'pki'));
  fs.writeFileSync(path.join(dir, 'htpasswd'), `${htpasswdLine('tlsuser', 'tlspass')}\n`);
  reg = fx.onCleanup(await startRegistry({ dir, htpasswd: path.join(dir, 'htpasswd'), tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert } }));
  certDir = path.join(fx.dir, 'certs');
  fs.mkdirSync(certDir);
  fs.copyFileSync(pki.caCert, path.join(certDir, 'ca.crt'));
  await fx.ok(['push', '-q', '--cert-dir', certDir, '--creds', CREDS, 'busybox', `${reg.host}/tls/busybox:1`]);
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('TLS registries', () => {
  it('refuses a certificate from an unknown CA, and does not fall back to plain HTTP', async () => {
    const r = await fx.pman(['pull', '-q', '--creds', CREDS, `${reg.host}/tls/busybox:1`]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toBe(
      `Error: cannot pull "${reg.host}/tls/busybox:1": cannot reach registry ${reg.host} at https://${reg.host}: certificate signed by unknown authority (use --cert-dir or a certs.d directory with its CA, or --tls-verify=false)`,
    );
  });

  it('trusts the CA in --cert-dir', async () => {
    const store = await fx.freshStore();
    expect((await fx.pman(['pull', '-q', '--cert-dir', certDir, '--creds', CREDS, `${reg.host}/tls/busybox:1`], { root: store })).exitCode).toBe(0);
    expect(await fx.ok(['login', '--cert-dir', certDir, '-u', 'tlsuser', '-p', 'tlspass', reg.host])).toBe('Login Succeeded!');
  });

  it('trusts the CA in /etc/containers/certs.d/HOST:PORT', async () => {
    const dir = path.join('/etc/containers/certs.d', reg.host);
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.copyFileSync(pki.caCert, path.join(dir, 'ca.crt'));
      const store = await fx.freshStore();
      expect((await fx.pman(['pull', '-q', '--creds', CREDS, `${reg.host}/tls/busybox:1`], { root: store })).exitCode).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trusts the CA named by NODE_EXTRA_CA_CERTS (read when the registry is contacted, not at start-up)', async () => {
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', '--creds', CREDS, `${reg.host}/tls/busybox:1`], { root: store, env: { NODE_EXTRA_CA_CERTS: pki.caCert } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('skips verification with --tls-verify=false', async () => {
    const store = await fx.freshStore();
    expect((await fx.pman(['pull', '-q', '--tls-verify=false', '--creds', CREDS, `${reg.host}/tls/busybox:1`], { root: store })).exitCode).toBe(0);
  });

  it('says which --cert-dir is missing', async () => {
    const r = await fx.pman(['pull', '-q', '--cert-dir', '/nonexistent/certs', `${reg.host}/tls/busybox:1`]);
    expect(r).toMatchObject({ exitCode: 125 });
    expect(r.stderr).toContain('cannot use --cert-dir "/nonexistent/certs": no such directory');
  });
});
