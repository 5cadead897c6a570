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
import { deleteContainerFiles } from '../state/containers.js';
import { exitCodeFile } from '../state/paths.js';
import { removeAnonymousVolumes } from '../volume/anonymous.js';
import type { AttachServer, Client } from './attach-server.js';
import type { Log } from './shim-log.js';

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
    unmountRootfs(ctx, id);
  } catch (err) {
    log((err as Error).message);
  }
  return { unwired };
}

/** The runtime directory: before the record lets another shim take the container over. */
export function removeRunDir(runDir: string): void {
  fs.rmSync(runDir, { recursive: true, force: true });
}

/** --rm: the container goes, its exit code stays for `pman wait`, its anonymous volumes go too. */
export async function removeAutoRemoved(ctx: Context, rec: ContainerRecord, exitCode: number, log: Log): Promise<void> {
  try {
    fs.mkdirSync(path.dirname(exitCodeFile(ctx, rec.id)), { recursive: true, mode: 0o700 });
    fs.writeFileSync(exitCodeFile(ctx, rec.id), String(exitCode));
  } catch (err) {
    log(`cannot keep the exit code for pman wait: ${(err as Error).message}`);
  }
  deleteContainerFiles(ctx, rec);
  removeContainerLog(ctx, rec);
  await removeAnonymousVolumes(ctx, rec).catch((err) => log(`cannot remove anonymous volumes: ${(err as Error).message}`));
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
