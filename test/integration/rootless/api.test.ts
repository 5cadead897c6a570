// A user's `pman system service`: on their own socket in their runtime directory, serving their
// store only; another user cannot reach it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../harness.js';
import { DOCKER_CLI } from '../api/api-service.js';
import { ensureUsers, RootlessEnv, USER1, USER2 } from './rootless-env.js';

let one: RootlessEnv;
let two: RootlessEnv;

beforeAll(async () => {
  ensureUsers();
  [one, two] = await Promise.all([RootlessEnv.create(USER1), RootlessEnv.create(USER2)]);
}, 120_000);
afterAll(async () => {
  await Promise.all([one?.cleanup(), two?.cleanup()]);
});

describe("a user's API service", () => {
  it("listens on the user's default socket and serves the user's containers only", async () => {
    // --time 2: it ends by itself once the test is done with it (it runs in the user's namespace).
    const svc = spawn('runuser', one.argv(['system', 'service', '--time', '2']), { stdio: 'ignore' });
    const exited = new Promise((r) => svc.once('close', r));
    const socket = path.join(one.runDir, 'pman.sock');
    const docker = (env: RootlessEnv, args: string[]) => env.as([DOCKER_CLI, '-H', `unix://${socket}`, ...args]);
    try {
      expect(await until(async () => fs.existsSync(socket) && (await docker(one, ['version'])).exitCode === 0, 60_000, 100)).toBe(true);
      const st = fs.statSync(socket);
      expect({ uid: st.uid, mode: st.mode & 0o777 }).toEqual({ uid: one.uid, mode: 0o600 });
      const r = await docker(one, ['run', '--rm', '--name', 'via-api', 'localhost/busybox:latest', 'id', '-u']);
      expect(r).toMatchObject({ exitCode: 0, stdout: '0' });
      const id = (await docker(one, ['run', '-d', 'localhost/busybox:latest', 'sleep', '300'])).stdout.trim();
      expect((await one.ok(['ps', '-q', '--no-trunc'])).trim()).toBe(id);
      expect((await two.ok(['ps', '-aq'])).trim()).toBe('');
      const other = await docker(two, ['ps']);
      expect(other.exitCode).toBe(1);
      expect(other.stderr).toMatch(/permission denied/);
      expect((await docker(one, ['rm', '-f', id])).exitCode).toBe(0);
    } finally {
      await exited;
    }
    expect(fs.existsSync(socket)).toBe(false);
  }, 180_000);
});
