// socketHolders finds the process listening on a unix socket path (how rm -f finds the shim of a
// container whose record cannot be read), and nobody for a path nobody listens on.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { socketHolders } from '../../../lib/util/proc.js';

describe('socketHolders', () => {
  it('names the listening process, and nobody once it is gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-sh-'));
    const sock = path.join(dir, 'attach');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up')); setInterval(() => {}, 1000)`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      expect(socketHolders(sock)).toEqual([child.pid]);
      expect(socketHolders(path.join(dir, 'other'))).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      // Its fds are closed before its parent hears of its exit.
      await exited;
    }
    expect(socketHolders(sock)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
