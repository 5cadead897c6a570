// Health checks and events for an unprivileged user: the probe runs in the user's namespace like
// any exec, and each user has an event stream of their own (their runtime directory's).
import { ensureUsers, RootlessEnv, USER1, USER2 } from './rootless-env.js';

let one: RootlessEnv;
let two: RootlessEnv;
const NAME = `rl-health-${process.pid}`;

beforeAll(async () => {
  ensureUsers();
  [one, two] = await Promise.all([RootlessEnv.create(USER1), RootlessEnv.create(USER2, { image: false })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([one?.cleanup(), two?.cleanup()]);
});

describe('rootless', () => {
  it("runs the health check and records its events in the user's own stream only", async () => {
    await one.ok(['run', '-d', '--name', NAME, '--health-cmd', 'test -e /tmp/ok', '--health-interval', 'disable', 'busybox', 'sleep', '100000']);
    expect(await one.pman(['healthcheck', 'run', NAME])).toMatchObject({ exitCode: 1, stdout: 'unhealthy' });
    await one.ok(['exec', NAME, 'touch', '/tmp/ok']);
    expect(await one.pman(['healthcheck', 'run', NAME])).toMatchObject({ exitCode: 0 });
    expect((await one.ok(['inspect', '--format', '{{.State.Health.Status}}', NAME])).trim()).toBe('healthy');
    const mine = await one.ok(['events', '--stream=false', '--filter', `container=${NAME}`, '--format', '{{.Status}} {{.HealthStatus}}']);
    expect(mine.split('\n')).toEqual(['create ', 'init ', 'start ', 'health_status starting', 'exec ', 'exec_died ', 'health_status healthy']);
    const theirs = await two.ok(['events', '--stream=false', '--format', '{{.Type}} {{.Name}}']);
    expect(theirs).not.toContain(NAME);
  });
});
