// Registry authentication end to end: htpasswd (Basic) and token (Bearer) registries, login and
// logout with the containers auth.json, the files credentials are read from and their order, and
// secrets never showing up in any output, not even with --log-level debug.
import fs from 'node:fs';
import path from 'node:path';
import { RegistryFixture, storeContents } from './rig/fixture.js';
import { htpasswdLine, makeSigningCert } from './rig/certs.js';
import { freePort } from './rig/ports.js';
import { startRegistry, type Registry } from './rig/registry-server.js';
import { startTokenServer, type TokenServer } from './rig/token-server.js';

const USER = 'testuser';
const PASS = 's3cret-Pa55';
const B64 = Buffer.from(`${USER}:${PASS}`).toString('base64');

let fx: RegistryFixture;
let basic: Registry;
let bearer: Registry;
let tokens: TokenServer;

beforeAll(async () => {
  fx = await RegistryFixture.create();
  const bdir = path.join(fx.dir, 'reg-basic');
  fs.mkdirSync(bdir, { recursive: true });
  fs.writeFileSync(path.join(bdir, 'htpasswd'), `${htpasswdLine(USER, PASS)}\n`);
  basic = fx.onCleanup(await startRegistry({ dir: bdir, htpasswd: path.join(bdir, 'htpasswd') }));

  const tdir = path.join(fx.dir, 'reg-token');
  const signer = makeSigningCert(tdir);
  const port = await freePort();
  tokens = fx.onCleanup(
    await startTokenServer({ port, service: 'pman-test-registry', issuer: 'pman-test-issuer', key: signer.key, cert: signer.cert, users: { [USER]: PASS }, underGrantFirstPush: true }),
  );
  bearer = fx.onCleanup(
    await startRegistry({ dir: tdir, token: { realm: tokens.url, service: 'pman-test-registry', issuer: 'pman-test-issuer', rootCert: signer.cert } }),
  );
  await fx.ok(['push', '-q', '--creds', `${USER}:${PASS}`, 'busybox', `${basic.host}/private/busybox:1`]);
  await fx.ok(['push', '-q', '--creds', `${USER}:${PASS}`, 'busybox', `${bearer.host}/public/busybox:1`]);
  await fx.ok(['push', '-q', '--creds', `${USER}:${PASS}`, 'busybox', `${bearer.host}/private/busybox:1`]);
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

afterEach(() => {
  fs.rmSync(fx.authFile, { force: true });
  fs.rmSync(path.join(fx.vars.DOCKER_CONFIG, 'config.json'), { force: true });
  fs.rmSync(path.join(fx.vars.XDG_CONFIG_HOME, 'containers'), { recursive: true, force: true });
});

describe('pman login and logout (htpasswd registry)', () => {
  it('refuses a wrong password and writes nothing', async () => {
    const r = await fx.pman(['login', '-u', USER, '-p', 'wrong', basic.host]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toBe(`Error: authentication to ${basic.host} failed: invalid username or password (UNAUTHORIZED: authentication required)`);
    expect(fs.existsSync(fx.authFile)).toBe(false);
  });

  it('stores verified credentials in ${XDG_RUNTIME_DIR}/containers/auth.json with mode 0600', async () => {
    const r = await fx.pman(['login', '-u', USER, '--password-stdin', basic.host], { input: `${PASS}\n` });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'Login Succeeded!' });
    expect(JSON.parse(fs.readFileSync(fx.authFile, 'utf8'))).toEqual({ auths: { [basic.host]: { auth: B64 } } });
    expect(fs.statSync(fx.authFile).mode & 0o777).toBe(0o600);
    expect(await fx.ok(['login', '--get-login', basic.host])).toBe(USER);
    // The stored credentials are used by pull.
    const store = await fx.freshStore();
    expect((await fx.pman(['pull', '-q', `${basic.host}/private/busybox:1`], { root: store })).exitCode).toBe(0);
  });

  it('logs out of one registry, then says it is not logged in', async () => {
    await fx.ok(['login', '-u', USER, '-p', PASS, basic.host]);
    expect(await fx.ok(['logout', basic.host])).toBe(`Removed login credentials for ${basic.host}`);
    expect(JSON.parse(fs.readFileSync(fx.authFile, 'utf8'))).toEqual({ auths: {} });
    expect(await fx.pman(['logout', basic.host])).toMatchObject({ exitCode: 125, stderr: `Error: not logged into ${basic.host}` });
  });

  it('logs out of everything with --all', async () => {
    await fx.ok(['login', '-u', USER, '-p', PASS, basic.host]);
    await fx.ok(['login', '-u', USER, '-p', PASS, `${basic.host}/private`]);
    expect(await fx.ok(['logout', '--all'])).toBe('Removed login credentials for all registries');
    expect(JSON.parse(fs.readFileSync(fx.authFile, 'utf8'))).toEqual({ auths: {} });
  });

  it('uses --authfile and REGISTRY_AUTH_FILE instead of the default file', async () => {
    const a = path.join(fx.dir, 'explicit-auth.json');
    const b = path.join(fx.dir, 'env-auth.json');
    await fx.ok(['login', '--authfile', a, '-u', USER, '-p', PASS, basic.host]);
    await fx.ok(['login', '-u', USER, '-p', PASS, basic.host], { env: { REGISTRY_AUTH_FILE: b } });
    expect(fs.existsSync(fx.authFile)).toBe(false);
    expect(JSON.parse(fs.readFileSync(a, 'utf8')).auths[basic.host].auth).toBe(B64);
    expect(JSON.parse(fs.readFileSync(b, 'utf8')).auths[basic.host].auth).toBe(B64);
    const store = await fx.freshStore();
    expect((await fx.pman(['pull', '-q', '--authfile', a, `${basic.host}/private/busybox:1`], { root: store })).exitCode).toBe(0);
  });

  it('needs a username and password when there is no terminal to ask on', async () => {
    expect(await fx.pman(['login', basic.host])).toMatchObject({ exitCode: 125, stderr: 'Error: a username is required: use --username (there is no terminal to ask on)' });
    expect(await fx.pman(['login', '-u', USER, basic.host])).toMatchObject({ exitCode: 125, stderr: 'Error: a password is required: use --password-stdin (there is no terminal to ask on)' });
  });
});

describe('where credentials are read from', () => {
  const writeAuth = (file: string, auths: Record<string, { auth: string }>) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ auths }));
  };

  it('reads docker\'s config.json when the containers auth.json has nothing', async () => {
    writeAuth(path.join(fx.vars.DOCKER_CONFIG, 'config.json'), { [`https://${basic.host}`]: { auth: B64 } });
    const store = await fx.freshStore();
    expect((await fx.pman(['pull', '-q', `${basic.host}/private/busybox:1`], { root: store })).exitCode).toBe(0);
  });

  it('prefers the containers auth.json over docker\'s config.json, and a repository key over a host key', async () => {
    const bad = Buffer.from(`${USER}:wrong`).toString('base64');
    writeAuth(path.join(fx.vars.DOCKER_CONFIG, 'config.json'), { [basic.host]: { auth: B64 } });
    writeAuth(fx.authFile, { [basic.host]: { auth: bad } });
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', `${basic.host}/private/busybox:1`], { root: store });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('invalid username or password');
    writeAuth(fx.authFile, { [basic.host]: { auth: bad }, [`${basic.host}/private/busybox`]: { auth: B64 } });
    expect((await fx.pman(['pull', '-q', `${basic.host}/private/busybox:1`], { root: store })).exitCode).toBe(0);
  });

  it('falls back to ${XDG_CONFIG_HOME}/containers/auth.json', async () => {
    writeAuth(path.join(fx.vars.XDG_CONFIG_HOME, 'containers', 'auth.json'), { [basic.host]: { auth: B64 } });
    const store = await fx.freshStore();
    expect((await fx.pman(['pull', '-q', `${basic.host}/private/busybox:1`], { root: store })).exitCode).toBe(0);
  });
});

describe('bearer token registry', () => {
  it('pulls a public repository anonymously with a pull-scoped token', async () => {
    tokens.requests.length = 0;
    const store = await fx.freshStore();
    const r = await fx.pman(['pull', '-q', `${bearer.host}/public/busybox:1`], { root: store });
    expect(r.exitCode).toBe(0);
    // One token for the whole pull (manifest, config and layer): cached per scope.
    expect(tokens.requests).toEqual([{ method: 'GET', scopes: ['repository:public/busybox:pull'], account: undefined, user: undefined, grantType: undefined }]);
  });

  it('asks for credentials for a private repository, and pulls it with them', async () => {
    const store = await fx.freshStore();
    const anon = await fx.pman(['pull', '-q', `${bearer.host}/private/busybox:1`], { root: store });
    expect(anon.exitCode).toBe(125);
    expect(anon.stderr).toMatch(new RegExp(`^Error: cannot pull "${bearer.host}/private/busybox:1": authentication required by ${bearer.host}.*: log in with "pman login ${bearer.host}" or pass --creds$`));
    expect(storeContents(store).images).toEqual([]);
    tokens.requests.length = 0;
    expect((await fx.pman(['pull', '-q', '--creds', `${USER}:${PASS}`, `${bearer.host}/private/busybox:1`], { root: store })).exitCode).toBe(0);
    expect(tokens.requests).toEqual([{ method: 'GET', scopes: ['repository:private/busybox:pull'], account: USER, user: USER, grantType: undefined }]);
  });

  it('logs in with a token request, and refuses a wrong password', async () => {
    tokens.requests.length = 0;
    expect(await fx.pman(['login', '-u', USER, '-p', PASS, bearer.host])).toMatchObject({ exitCode: 0, stdout: 'Login Succeeded!' });
    expect(tokens.requests).toEqual([{ method: 'GET', scopes: [], account: USER, user: USER, grantType: undefined }]);
    const bad = await fx.pman(['login', '-u', USER, '-p', 'nope', bearer.host]);
    expect(bad.exitCode).toBe(125);
    expect(bad.stderr).toBe(`Error: authentication to ${bearer.host} failed: invalid username or password (token service answered 401 Unauthorized)`);
  });

  it('gets a new token when the registry answers insufficient_scope', async () => {
    tokens.requests.length = 0;
    // The token server grants only pull the first time this user asks to push here.
    const r = await fx.pman(['push', '--creds', `${USER}:${PASS}`, 'busybox', `${bearer.host}/scoped/busybox:1`]);
    expect(r.exitCode).toBe(0);
    const pushScopes = tokens.requests.filter((q) => q.scopes.includes('repository:scoped/busybox:pull,push'));
    expect(pushScopes.length).toBeGreaterThanOrEqual(2);
  });

  it('never shows the password, its base64 or a token, even with --log-level debug', async () => {
    tokens.requests.length = 0;
    const store = await fx.freshStore();
    const runs = [
      await fx.pman(['--log-level', 'debug', 'login', '-u', USER, '-p', PASS, bearer.host]),
      await fx.pman(['--log-level', 'debug', 'pull', `${bearer.host}/private/busybox:1`], { root: store }),
      await fx.pman(['--log-level', 'debug', 'pull', '--creds', `${USER}:${PASS}`, `${basic.host}/private/busybox:1`], { root: store }),
      await fx.pman(['--log-level', 'debug', 'login', '-u', USER, '-p', 'wrong-Pa55', basic.host]),
    ];
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 0, 125]);
    const all = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(all).toContain('DEBUG:');
    for (const secret of [PASS, B64, 'wrong-Pa55', Buffer.from(`${USER}:wrong-Pa55`).toString('base64'), 'eyJ']) expect(all).not.toContain(secret);
  });
});
