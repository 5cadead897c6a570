import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../../lib/context.js';
import type { HealthcheckConfig } from '../../../lib/state/container-record.js';
import { applyResult, capOutput, healthFile, initialHealth, probeArgs, readHealth, writeHealth, type Health } from '../../../lib/state/health.js';

const cfg: HealthcheckConfig = { test: ['CMD', 'true'], interval: 1e9, timeout: 1e9, startPeriod: 10e9, startInterval: 1e9, retries: 2 };
const started = '2026-01-01T00:00:00.000Z';
const at = (sec: number, code: number) => {
  const t = new Date(Date.parse(started) + sec * 1000).toISOString();
  return { Start: t, End: t, ExitCode: code, Output: `probe at ${sec}` };
};

describe('health transitions (Docker rules)', () => {
  it('does not count failures while starting within the start period', () => {
    const h = applyResult(applyResult(initialHealth(), at(1, 1), cfg, started), at(2, 1), cfg, started);
    expect(h).toMatchObject({ Status: 'starting', FailingStreak: 0 });
    expect(h.Log).toHaveLength(2);
  });

  it('turns unhealthy when the failing streak reaches the retries after the start period', () => {
    const one = applyResult(initialHealth(), at(11, 1), cfg, started);
    expect(one).toMatchObject({ Status: 'starting', FailingStreak: 1 });
    expect(applyResult(one, at(12, 2), cfg, started)).toMatchObject({ Status: 'unhealthy', FailingStreak: 2 });
  });

  it('counts failures inside the start period once the container was healthy', () => {
    const healthy = applyResult(initialHealth(), at(1, 0), cfg, started);
    expect(healthy).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    const h = applyResult(applyResult(healthy, at(2, 1), cfg, started), at(3, 1), cfg, started);
    expect(h).toMatchObject({ Status: 'unhealthy', FailingStreak: 2 });
  });

  it('a success clears the streak and keeps only the last five results', () => {
    let h: Health = initialHealth();
    for (let i = 11; i < 18; i++) h = applyResult(h, at(i, 1), cfg, started);
    h = applyResult(h, at(18, 0), cfg, started);
    expect(h.Status).toBe('healthy');
    expect(h.FailingStreak).toBe(0);
    expect(h.Log.map((r) => r.Output)).toEqual(['probe at 14', 'probe at 15', 'probe at 16', 'probe at 17', 'probe at 18']);
  });

  it('caps output at 4096 bytes', () => {
    expect(capOutput(Buffer.alloc(10000, 'x'))).toHaveLength(4096);
    expect(capOutput(Buffer.from('short'))).toBe('short');
  });

  it('runs CMD as given and CMD-SHELL through /bin/sh -c', () => {
    expect(probeArgs(['CMD', 'test', '-e', '/x'])).toEqual(['test', '-e', '/x']);
    expect(probeArgs(['CMD-SHELL', 'test -e /x || exit 1'])).toEqual(['/bin/sh', '-c', 'test -e /x || exit 1']);
  });
});

describe('the health file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-health-'));
  const ctx = createContext({ root: dir, runroot: path.join(dir, 'run') });
  const id = 'a'.repeat(64);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back what was written', () => {
    fs.mkdirSync(path.dirname(healthFile(ctx, id)), { recursive: true });
    const h = applyResult(initialHealth(), at(1, 0), cfg, started);
    writeHealth(ctx, id, h);
    expect(readHealth(ctx, id)).toEqual(h);
  });

  it('treats a missing or damaged file as no health, never as an error', () => {
    expect(readHealth(ctx, 'b'.repeat(64))).toBeUndefined();
    fs.writeFileSync(healthFile(ctx, id), '{"Status":"fine","FailingStreak":0,"Log":[]}');
    expect(readHealth(ctx, id)).toBeUndefined();
    fs.writeFileSync(healthFile(ctx, id), '{"Status":"healthy","FailingStreak":0,"Log":[{"Start":1}]}');
    expect(readHealth(ctx, id)).toBeUndefined();
    fs.writeFileSync(healthFile(ctx, id), '{trunc');
    expect(readHealth(ctx, id)).toBeUndefined();
  });
});
