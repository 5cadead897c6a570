// Rootless login, push and pull against a real docker-registry (htpasswd, loopback): credentials
// land in the user's own runtime directory, and a pulled image keeps its owners.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { htpasswdLine } from '../registry/rig/certs.js';
import { startRegistry, type Registry } from '../registry/rig/registry-server.js';
import { ensureUsers, RootlessEnv, USER1, USER2 } from './rootless-env.js';

const USER = 'rl-tester';
const PASS = 'rl-secret';
let one: RootlessEnv;
let two: RootlessEnv;
let reg: Registry | undefined;
let regDir: string;

beforeAll(async () => {
  ensureUsers();
  regDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-rl-registry-'));
  fs.writeFileSync(path.join(regDir, 'htpasswd'), `${htpasswdLine(USER, PASS)}\n`);
  reg = await startRegistry({ dir: regDir, htpasswd: path.join(regDir, 'htpasswd') });
  [one, two] = await Promise.all([RootlessEnv.create(USER1), RootlessEnv.create(USER2, { image: false })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([one?.cleanup(), two?.cleanup(), reg?.stop()]);
  fs.rmSync(regDir, { recursive: true, force: true });
});

describe('rootless registry use', () => {
  it('logs in with the credentials in the user\'s own XDG_RUNTIME_DIR', async () => {
    expect(await one.ok(['login', '-u', USER, '-p', PASS, reg!.host])).toBe('Login Succeeded!');
    const st = fs.statSync(path.join(one.xdg, 'containers', 'auth.json'));
    expect({ uid: st.uid, mode: (st.mode & 0o777).toString(8) }).toEqual({ uid: one.uid, mode: '600' });
  });

  it('pushes as one user and pulls as another, owners intact', async () => {
    const ref = `${reg!.host}/rootless/busybox:1`;
    await one.ok(['push', '-q', 'busybox', ref]);
    const anon = await two.pman(['pull', '-q', ref]);
    expect(anon.exitCode).toBe(125);
    expect(anon.stderr).toMatch(/authentication required/);
    await two.ok(['pull', '-q', '--creds', `${USER}:${PASS}`, ref]);
    expect(await two.ok(['run', '--rm', ref, 'stat', '-c', '%u:%g %a', '/home/pmanuser', '/bin/busybox'])).toBe('1000:1000 700\n0:0 755');
  });
});
