// Typed wrapper over pman's one native addon (build/pman_native.node, from lib/native/native.c):
// the system calls Node.js lacks. Loaded lazily so commands that need none of it never pay for it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';

export interface WaitResult {
  pid: number;
  /** Exit status as a shell reports it: the exit code, or 128+signal. */
  code: number;
  /** The terminating signal number, 0 when the process exited normally. */
  signal: number;
}

interface Addon {
  recvFd(sock: number): number;
  setNonblock(fd: number, on: boolean): void;
  /** Marks an fd close-on-exec so spawned children (runc, the container) do not inherit it. */
  setCloexec(fd: number): void;
  setWinsize(fd: number, rows: number, cols: number): void;
  getWinsize(fd: number): [number, number];
  /** Puts a terminal in raw mode (cfmakeraw, OPOST off too); returns the old settings. */
  ttyMakeRaw(fd: number): Buffer;
  ttyRestore(fd: number, saved: Buffer): void;
  setSubreaper(): void;
  /** Leaves the caller's session and process group (terminal signals no longer reach it). */
  setsid(): void;
  waitpid(pid: number): WaitResult | null;
  pipe(): [number, number];
  setPipeSize(fd: number, size: number): number;
  closeFd(fd: number): void;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount(target: string, flags: number): number;
  /** A new network namespace bind-mounted on path (an existing empty file). */
  netnsCreate(path: string): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  /** A new user namespace with these maps ("INSIDE OUTSIDE COUNT" lines), bind-mounted on file (an existing empty file). */
  usernsCreate(file: string, uidMap: string, gidMap: string): void;
  /** A new network namespace owned by the user namespace kept at usernsFile, bind-mounted on file. */
  netnsCreateIn(file: string, usernsFile: string): void;
  /** A clone of the mount at source, its IDs shifted through the user namespace's maps, attached at target. */
  mountIdmapped(source: string, target: string, usernsFd: number, recursive: boolean): void;
}

let addon: Addon | undefined;

export function native(): Addon {
  if (!addon) {
    addon = createRequire(import.meta.url)(path.join(PROJECT_ROOT, 'build/pman_native.node')) as Addon;
  }
  return addon;
}

export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_BIND = 4096;
export const MS_REC = 16384;
export const MS_PRIVATE = 1 << 18;
export const MNT_DETACH = 2;
