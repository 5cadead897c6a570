// What a finished run leaves behind, removed by its shim: runc's state of the container, its root
// mount, its runtime directory, and with --rm the container itself; and the client connections,
// each ended with a bounded wait for it to read what is queued.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { removeContainerLog } from '../logs/log-files.js';
import { unwireContainer } from '../network/wiring.js';
import { unmountRootfs } from '../oci/rootfs.js';
import { runtimeDelete, type RuntimeOptions } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listStateDir } from '../state/atomic.js';
import { retireContainerFiles } from '../state/retired.js';
import { exitCodeFile } from '../state/paths.js';
import { mountCount, setMountCount } from '../state/mount-count.js';
import { removeAnonymousVolumes } from '../volume/anonymous.js';
import type { AttachServer, Client } from './attach-server.js';
import type { Log } from './shim-log.js';
import { failpoint } from '../util/failpoint.js';

export async function removeRuntimeState(rt: RuntimeOptions, id: string, log: Log): Promise<void> {
  await runtimeDelete(rt, id, true).catch((err) => log(`runc delete: ${(err as Error).message}`));
}

/**
 * runc's state of the container (unless it is left for later) and its root mount, while netavark
 * tears down what it was given on its networks (teardown needs neither: ~150 ms of iptables work
 * overlaps them). Resolves once the mount is gone; `unwired` settles when the teardown is done,
 * which the caller awaits before the run counts as over (before the exit is recorded or told).
 */
export async function releaseRun(ctx: Context, rt: RuntimeOptions, id: string, log: Log, withRuntimeState = true): Promise<{ unwired: Promise<void> }> {
  const unwired = unwireContainer(ctx, id).catch((err) => log(`network teardown: ${(err as Error).message}`));
  if (withRuntimeState) await removeRuntimeState(rt, id, log);
  try {
    // `pman mount` holds it for the user (lib/container/mount.ts): it stays.
    if (mountCount(ctx, id) === 0) unmountRootfs(ctx, id);
  } catch (err) {
    log((err as Error).message);
  }
  return { unwired };
}

/** The runtime directory: before the record lets another shim take the container over. */
export function removeRunDir(runDir: string): void {
  fs.rmSync(runDir, { recursive: true, force: true });
}

/**
 * How long the exit code of a --rm container nobody heard is kept for a later `pman wait`
 * (podman prunes its exit codes after the same 5 minutes).
 */
export const EXIT_CODE_KEEP_MS = 5 * 60_000;

/**
 * --rm: the container goes, its anonymous volumes too. Its exit code stays for a later `pman
 * wait` only when no client was connected to hear it in the Exit frame (a foreground `run --rm`'s
 * launcher, an attach, a waiting `wait`), for EXIT_CODE_KEEP_MS: so exits/ never grows with
 * `run --rm` cycles. Its directory is retired (lib/state/retired.ts), not yet removed: the caller
 * removes what this returns once the clients have been told.
 */
export async function removeAutoRemoved(ctx: Context, rec: ContainerRecord, exitCode: number, heard: boolean, log: Log): Promise<string | undefined> {
  if (!heard) {
    try {
      const file = exitCodeFile(ctx, rec.id);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      pruneExitCodes(path.dirname(file), Date.now() - EXIT_CODE_KEEP_MS);
      fs.writeFileSync(file, String(exitCode));
    } catch (err) {
      log(`cannot keep the exit code for pman wait: ${(err as Error).message}`);
    }
  }
  failpoint('rm-auto.before-files');
  if (mountCount(ctx, rec.id) > 0) {
    // Mounted by `pman mount` as well: the container goes, its mount with it (as `pman rm`).
    setMountCount(ctx, rec.id, 0);
    try {
      unmountRootfs(ctx, rec.id);
    } catch (err) {
      log((err as Error).message);
    }
  }
  const retired = retireContainerFiles(ctx, rec);
  removeContainerLog(ctx, rec);
  await removeAnonymousVolumes(ctx, rec).catch((err) => log(`cannot remove anonymous volumes: ${(err as Error).message}`));
  return retired;
}

/** Removes the kept exit codes written before `before` (ms since the epoch). Returns their IDs. */
export function pruneExitCodes(dir: string, before: number): string[] {
  const pruned: string[] = [];
  for (const name of listStateDir(dir, 'exit codes', () => true)) {
    try {
      if (fs.statSync(path.join(dir, name)).mtimeMs < before) {
        fs.rmSync(path.join(dir, name), { force: true });
        pruned.push(name);
      }
    } catch {
      /* removed meanwhile */
    }
  }
  return pruned;
}

/** Ends every client connection, giving each a bounded time to read what is queued. */
export async function closeClients(server: AttachServer): Promise<void> {
  server.close();
  const waits = [...server.clients].map(
    (c: Client) =>
      new Promise<void>((resolve) => {
        c.socket.end();
        const t = setTimeout(() => {
          c.socket.destroy();
          resolve();
        }, 10_000);
        c.socket.once('close', () => {
          clearTimeout(t);
          resolve();
        });
      }),
  );
  await Promise.all(waits);
}
