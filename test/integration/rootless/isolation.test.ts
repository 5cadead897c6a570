// Two unprivileged users and root: none sees or reaches another's containers, images, sockets or
// user namespace.
import { execa } from 'execa';
import path from 'node:path';
import { PMAN_BIN } from '../harness.js';
import { ensureUsers, RootlessEnv, USER1, USER2 } from './rootless-env.js';

let one: RootlessEnv;
let two: RootlessEnv;
let id: string;
const NAME = `rl-private-${process.pid}`;

beforeAll(async () => {
  ensureUsers();
  [one, two] = await Promise.all([RootlessEnv.create(USER1), RootlessEnv.create(USER2)]);
  id = (await one.ok(['run', '-d', '--name', NAME, 'busybox', 'sleep', '1000'])).trim();
}, 120_000);
afterAll(async () => {
  await Promise.all([one?.cleanup(), two?.cleanup()]);
});

describe('another unprivileged user', () => {
  it('does not see the container or the image in their own pman', async () => {
    expect(await two.ok(['ps', '-a', '--format', '{{.ID}} {{.Names}}'])).not.toMatch(new RegExp(`${NAME}|${id.slice(0, 12)}`));
    for (const cmd of [['attach', NAME], ['exec', NAME, 'true'], ['logs', NAME], ['stop', NAME], ['inspect', id]]) {
      const r = await two.pman(cmd);
      expect({ cmd, exitCode: r.exitCode }).toEqual({ cmd, exitCode: 125 });
      expect(r.stderr).toMatch(/no container with name or ID|no such object/);
    }
  });

  it('cannot open the first user\'s store or runtime directory, even by pointing pman at them', async () => {
    const args = ['--root', one.root, '--runroot', one.runDir];
    for (const cmd of [['ps', '-a'], ['images']]) {
      const r = await two.pman([...args, ...cmd]);
      expect(r.exitCode).toBe(125);
      expect(r.stderr).toMatch(/permission denied/);
    }
    // The record cannot even be seen to exist.
    const exec = await two.pman([...args, 'exec', NAME, 'true']);
    expect(exec.exitCode).toBe(125);
    expect(exec.stderr).toMatch(/no container with name or ID/);
    const ls = await two.as(['ls', one.root, one.runDir]);
    expect(ls.exitCode).not.toBe(0);
    expect(ls.stderr).toMatch(/Permission denied/);
  });

  it('cannot connect to the container\'s attach socket', async () => {
    const sock = path.join(one.runDir, 'containers', id, 'attach');
    const script = `require('net').connect(${JSON.stringify(sock)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(1); })`;
    const r = await two.as(['node', '-e', script]);
    expect(r).toMatchObject({ exitCode: 1, stdout: 'EACCES' });
  });

  it('cannot join the first user\'s namespace or signal its processes', async () => {
    const pause = one.pausePid()!;
    const join = await two.as(['nsenter', '--user', '--mount', '--preserve-credentials', '--target', String(pause), 'true']);
    expect(join.exitCode).not.toBe(0);
    expect(join.stderr).toMatch(/Operation not permitted|Permission denied/);
    const shim = await one.ok(['inspect', '--format', '{{.State.ConmonPid}}', NAME]);
    const kill = await two.as(['kill', '-9', shim, String(pause)]);
    expect(kill.exitCode).not.toBe(0);
    expect(await one.ok(['inspect', '--format', '{{.State.Status}}', NAME])).toBe('running');
  });
});

describe('root', () => {
  it('does not list users\' containers in its own pman ps', async () => {
    const r = await execa(PMAN_BIN, ['ps', '-a', '--format', '{{.ID}} {{.Names}}'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(new RegExp(`${NAME}|${id.slice(0, 12)}`));
  });
});
