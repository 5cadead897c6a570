// Registry commands on a real terminal (node-pty): live progress lines for pull, and login's
// prompts, with the password never echoed.
import fs from 'node:fs';
import path from 'node:path';
import { ptyPman } from '../pty.js';
import { RegistryFixture } from './rig/fixture.js';
import { htpasswdLine } from './rig/certs.js';
import { startRegistry, type Registry } from './rig/registry-server.js';

let fx: RegistryFixture;
let reg: Registry;

beforeAll(async () => {
  fx = await RegistryFixture.create();
  const dir = path.join(fx.dir, 'reg');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'htpasswd'), `${htpasswdLine('ttyuser', 'tty-Secret-9')}\n`);
  reg = fx.onCleanup(await startRegistry({ dir, htpasswd: path.join(dir, 'htpasswd') }));
  await fx.ok(['push', '-q', '--creds', 'ttyuser:tty-Secret-9', 'busybox', `${reg.host}/tty/busybox:1`]);
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

/** pman in a pty with the fixture's environment. */
const ptyRegistry = (args: string[], root = fx.env) => ptyPman(root, args, { cols: 120, rows: 30, vars: fx.vars });

describe('registry commands on a terminal', () => {
  it('pull draws live per-layer lines and a summary', async () => {
    const store = await fx.freshStore();
    const p = ptyRegistry(['pull', '--creds', 'ttyuser:tty-Secret-9', `${reg.host}/tty/busybox:1`], store);
    expect((await p.exited).exitCode).toBe(0);
    const out = p.output();
    // Redrawn in place: cursor-up and clear-to-end escapes, one line per blob.
    expect(out).toContain('\x1b[');
    expect(out).toMatch(/Copying blob [0-9a-f]{12} (\[|done)/);
    expect(out).toMatch(/Pulled .*tty\/busybox:1: 1 layer, 1 downloaded/);
    expect(out).toMatch(/[0-9a-f]{64}/);
  });

  it('login prompts for the username and the password, and does not echo the password', async () => {
    const p = ptyRegistry(['login', reg.host]);
    await p.waitFor(/Username: /);
    p.write('ttyuser\r');
    await p.waitFor(/Password: /);
    p.write('tty-Secret-9\r');
    expect((await p.exited).exitCode).toBe(0);
    expect(p.output()).toContain('Login Succeeded!');
    expect(p.output()).not.toContain('tty-Secret-9');
    expect(JSON.parse(fs.readFileSync(fx.authFile, 'utf8')).auths[reg.host].auth).toBe(Buffer.from('ttyuser:tty-Secret-9').toString('base64'));
  });
});
