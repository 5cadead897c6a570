// Unix socket paths are limited to 107 bytes. A socket in a deep directory is reached through
// /proc/<pid>/fd/<dirfd>/<name> instead (the directory fd stays open for the process's life).
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';

const SUN_PATH_MAX = 107;
const dirFds = new Map<string, number>();

/** Listens on a unix socket path (replacing a stale socket there), owner-only (0600). */
export function listenOwnerOnly(server: net.Server, socketPath: string): Promise<void> {
  try {
    fs.unlinkSync(socketPath);
  } catch {
    /* none there */
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      try {
        fs.chmodSync(socketPath, 0o600);
        resolve();
      } catch (err) {
        reject(err);
      }
    });
  });
}

export function socketAddress(dir: string, name: string): string {
  const full = path.join(dir, name);
  if (Buffer.byteLength(full) <= SUN_PATH_MAX) return full;
  let fd = dirFds.get(dir);
  // A directory removed since (a container's runtime directory goes with its shim, and the next
  // start makes a new one): its old fd leads nowhere.
  if (fd !== undefined && fs.fstatSync(fd).nlink === 0) {
    fs.closeSync(fd);
    fd = undefined;
  }
  if (fd === undefined) {
    fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    dirFds.set(dir, fd);
  }
  // /proc/<pid>, not /proc/self: the path is also handed to runc (--console-socket).
  return `/proc/${process.pid}/fd/${fd}/${name}`;
}
