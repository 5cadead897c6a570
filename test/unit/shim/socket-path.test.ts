// Unix socket addresses in deep directories go through an open fd of the directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { socketAddress } from '../../../lib/shim/socket-path.js';
import { connectShim } from '../../../lib/container/attach-client.js';
import { createContext } from '../../../lib/context.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';

describe('socketAddress', () => {
  let top: string;
  beforeAll(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-sock-'));
  });
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it('keeps short paths as they are', () => {
    expect(socketAddress(top, 'attach')).toBe(path.join(top, 'attach'));
  });

  it('reaches a deep directory through /proc, and a re-created one through a fresh fd', () => {
    const deep = path.join(top, 'x'.repeat(60), 'y'.repeat(60));
    fs.mkdirSync(deep, { recursive: true });
    const first = socketAddress(deep, 'attach');
    expect(first).toMatch(new RegExp(`^/proc/${process.pid}/fd/\\d+/attach$`));
    fs.writeFileSync(path.join(deep, 'mark'), 'old');
    expect(fs.readFileSync(path.join(path.dirname(first), 'mark'), 'utf8')).toBe('old');
    // The directory goes (its shim ended) and comes back (a new start): the address follows.
    fs.rmSync(deep, { recursive: true });
    fs.mkdirSync(deep);
    fs.writeFileSync(path.join(deep, 'mark'), 'new');
    const second = socketAddress(deep, 'attach');
    expect(fs.readFileSync(path.join(path.dirname(second), 'mark'), 'utf8')).toBe('new');
    // Gone for good: an error to report, not a stale address.
    fs.rmSync(deep, { recursive: true });
    expect(() => socketAddress(deep, 'attach')).toThrow(/ENOENT/);
  });
});

describe('connectShim', () => {
  it('rejects (never throws) when a deep runtime directory is gone: callers retry or report it', async () => {
    const runroot = path.join(os.tmpdir(), `pman-gone-${'z'.repeat(40)}`);
    const ctx = createContext({ root: path.join(runroot, 'root'), runroot });
    const rec = { id: 'a'.repeat(64), name: 'gone' } as ContainerRecord;
    let attempt: Promise<unknown> | undefined;
    expect(() => {
      attempt = connectShim(ctx, rec);
    }).not.toThrow();
    await expect(attempt).rejects.toThrow('cannot attach to container "gone": its shim is not reachable (ENOENT); is it running?');
  });
});
