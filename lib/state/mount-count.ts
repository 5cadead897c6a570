// How many times `pman mount` mounted a container's root filesystem and `pman unmount` has not yet
// undone it (podman's mount counter): <runroot>/mounts/<id>, a decimal count. In the runtime
// directory because a mount does not outlive a reboot, and neither should its count. Changed only
// under the container's lock; a shim ending its run (or reconciliation) leaves the root mounted
// while this count is above 0 (docs/commands.md, "pman mount").
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { writeFileAtomic } from './atomic.js';

export function mountCountFile(ctx: Context, id: string): string {
  return path.join(ctx.runroot, 'mounts', id);
}

/** The count (0 when there is none, or when the file holds anything but a count). */
export function mountCount(ctx: Context, id: string): number {
  let text: string;
  try {
    text = fs.readFileSync(mountCountFile(ctx, id), 'utf8');
  } catch {
    return 0;
  }
  return /^\d{1,9}\n?$/.test(text) ? Number(text.trim()) : 0;
}

export function setMountCount(ctx: Context, id: string, count: number): void {
  const file = mountCountFile(ctx, id);
  if (count <= 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${count}\n`, 0o600);
}

/** The IDs of containers with a count above 0. */
export function mountedByUser(ctx: Context): string[] {
  try {
    return fs.readdirSync(path.join(ctx.runroot, 'mounts')).filter((id) => /^[0-9a-f]{64}$/.test(id) && mountCount(ctx, id) > 0);
  } catch {
    return [];
  }
}
