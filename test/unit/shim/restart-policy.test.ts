import { backoffMs, shouldRestart } from '../../../lib/shim/restart-policy.js';

describe('restart policy decisions', () => {
  it('restarts on failure until the retry count is used up', () => {
    const p = { name: 'on-failure' as const, maximumRetryCount: 3 };
    expect(shouldRestart(p, 1, 0, false)).toBe(true);
    expect(shouldRestart(p, 1, 2, false)).toBe(true);
    expect(shouldRestart(p, 1, 3, false)).toBe(false);
    expect(shouldRestart(p, 0, 0, false)).toBe(false);
    expect(shouldRestart({ name: 'on-failure', maximumRetryCount: 0 }, 2, 100, false)).toBe(true);
  });

  it('always restarts with always and unless-stopped, never after a user stop or with no', () => {
    expect(shouldRestart({ name: 'always', maximumRetryCount: 0 }, 0, 50, false)).toBe(true);
    expect(shouldRestart({ name: 'unless-stopped', maximumRetryCount: 0 }, 0, 0, false)).toBe(true);
    expect(shouldRestart({ name: 'always', maximumRetryCount: 0 }, 137, 0, true)).toBe(false);
    expect(shouldRestart({ name: 'no', maximumRetryCount: 0 }, 1, 0, false)).toBe(false);
    expect(shouldRestart(undefined, 1, 0, false)).toBe(false);
  });

  it('backs off exponentially up to a minute and starts over after a stable run', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n, 100))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(30, 100)).toBe(60_000);
    expect(backoffMs(30, 20_000)).toBe(100);
  });
});
