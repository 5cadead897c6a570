// lib/shim/launch.ts connectStandby: the CLI's wait for bin/pman's standby shim to listen.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectStandby } from '../../../lib/shim/launch.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-launch-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('connectStandby', () => {
  it('takes a standby that listens once this process was held past the deadline by its own work', async () => {
    const sock = path.join(dir, 'standby.sock');
    const server = net.createServer((c) => c.write(`${JSON.stringify({ pid: process.pid })}\n`));
    try {
      // The first attempt is made now and fails (nothing listens); its answer is read only after
      // this process has been busy past the 20 ms deadline, by which time the standby listens.
      const taking = connectStandby({ path: sock, pid: process.pid }, 20);
      const busyUntil = Date.now() + 100;
      while (Date.now() < busyUntil) {
        /* the CLI's synchronous work (creating the container) */
      }
      await new Promise<void>((resolve) => server.listen(sock, resolve));
      const shim = await taking;
      expect(shim?.pid).toBe(process.pid);
      shim?.channel.destroy();
    } finally {
      server.close();
    }
  });

  it('gives up on a live process that never listens once an attempt after the deadline failed', async () => {
    expect(await connectStandby({ path: path.join(dir, 'never.sock'), pid: process.pid }, 20)).toBeUndefined();
  });
});
