// The `until` filters read Go durations with several units (1h30m, 1.5h) as `logs --since` does:
// one duration parser behind all of them.
import { TestEnv } from './harness.js';

let env: TestEnv;

beforeAll(async () => {
  env = await TestEnv.create({ image: false });
  await env.ok(['volume', 'create', 'old']);
}, 120_000);

afterAll(async () => {
  await env?.cleanup();
});

describe('until filters', () => {
  it.each(['1h30m', '1.5h', '90m', '300ms'])('volume ls --filter until=%s accepts the duration', async (d) => {
    const r = await env.pman(['volume', 'ls', '-q', '--filter', `until=${d}`]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    // Created just now: not before now − d (300ms may already have passed, so only the long ones are sure).
    if (d !== '300ms') expect(r.stdout.trim()).toBe('');
  });

  it('volume prune --filter until=1h30m accepts the duration and keeps a volume created since', async () => {
    const r = await env.pman(['volume', 'prune', '-f', '--filter', 'until=1h30m']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect((await env.ok(['volume', 'ls', '-q'])).trim()).toBe('old');
  });

  it('volume prune --filter until=0s removes a volume created before now', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const r = await env.pman(['volume', 'prune', '-f', '--filter', 'until=0s']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('old');
    expect((await env.ok(['volume', 'ls', '-q'])).trim()).toBe('');
  });

  it('rejects a value that is no time or duration, naming it', async () => {
    const r = await env.pman(['volume', 'ls', '--filter', 'until=1x']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/invalid until filter "1x"/);
  });
});
