// Starting a container = spawning its shim, detached, and waiting for the shim's first report on
// fd 3 ("created" or "started", or an error). The shim then lives on without the CLI.
import fs from 'node:fs';
import type net from 'node:net';
import type { Context } from '../context.js';
import { PmanError, RuntimeError } from '../errors.js';
import type { ShimOptions } from '../shim/main.js';
import type { ShimReport } from '../shim/protocol.js';
import { processAlive, processStartTime } from '../util/proc.js';
import type { ContainerRecord } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { shortId } from '../state/ids.js';
import { containerRunDir } from '../state/paths.js';
import { reconcile } from './reconcile.js';
import { takeShim, type ShimHandle } from '../shim/launch.js';
import { assertCan, isCreated, withShim } from '../state/container-status.js';

export interface StartResult {
  rec: ContainerRecord;
  /** 'created': the shim waits for a Start frame; 'started': the container runs. */
  event: 'created' | 'started';
  pid: number;
}

/** True when the record's shim process is alive (same pid and start time). */
export function shimAlive(rec: ContainerRecord): boolean {
  return rec.state.shimPid > 0 && processAlive(rec.state.shimPid, rec.state.shimStartTime);
}

/**
 * Spawns the shim for a created or exited container. With startNow=false the container is left
 * created and the caller attaches and sends Start (so no output is missed).
 */
export async function spawnShim(
  ctx: Context,
  rec0: ContainerRecord,
  startNow: boolean,
  extra: Pick<ShimOptions, 'restarted'> = {},
): Promise<StartResult> {
  const rec1 = await reconcile(ctx, rec0);
  const shim = await takeShim();
  try {
    await updateContainer(ctx, rec1.id, (rec) => {
      assertCan(rec, 'start', { shimAlive: shimAlive(rec) });
      const runDir = containerRunDir(ctx, rec.id);
      fs.rmSync(runDir, { recursive: true, force: true });
      fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
      rec.state = withShim(rec.state, { shimPid: shimPid(shim, rec.name), shimStartTime: processStartTime(shim.pid) });
      sendOptions(shim, shimOptions(ctx, rec, { startNow, ...extra }));
    });
  } catch (err) {
    // Not needed after all: its end of the pipe closes, and it exits.
    shim.channel.destroy();
    throw err;
  }
  return awaitReport(rec1, shim);
}

/** The pid of a launched shim; a shim that could not be spawned is an error. */
export function shimPid(shim: ShimHandle, name?: string): number {
  if (!shim.pid) throw new PmanError('system', `cannot start the shim${name ? ` for container "${name}"` : ' for a new container'}: its process could not be spawned`);
  return shim.pid;
}

function shimOptions(ctx: Context, rec: ContainerRecord, how: Omit<ShimOptions, 'id' | 'root' | 'runroot' | 'runtime' | 'logLevel' | 'record'>): ShimOptions {
  return { id: rec.id, root: ctx.root, runroot: ctx.runroot, runtime: rec.config.runtime, logLevel: ctx.logLevel, record: rec, ...how };
}

/** The shim's options (with the record): the one line it waits for on its pipe. */
function sendOptions(shim: ShimHandle, opts: ShimOptions): net.Socket {
  const pipe = shim.channel;
  pipe.ref();
  pipe.write(`${JSON.stringify(opts)}\n`);
  return pipe;
}

async function awaitReport(rec: ContainerRecord, shim: ShimHandle): Promise<StartResult> {
  const report = await readReport(shim);
  shim.unref();
  if (report.event === 'error') {
    throw new RuntimeError(report.message, { exitCode: report.exitCode });
  }
  return { rec, event: report.event, pid: report.pid };
}

/**
 * `run -d`: starts a container this process has just created with `shim` named as its shim in
 * the first record, so no second (locked) update of the record is needed.
 */
export function startCreated(ctx: Context, rec: ContainerRecord, shim: ShimHandle): Promise<StartResult> {
  sendOptions(shim, shimOptions(ctx, rec, { startNow: true }));
  return awaitReport(rec, shim);
}

/**
 * Foreground `run`: as startCreated, but this process stays on the shim's fd 3 as the container's
 * first attach client; returns that connection (see attachSession's `socket`).
 */
export function attachCreated(ctx: Context, rec: ContainerRecord, shim: ShimHandle): net.Socket {
  return sendOptions(shim, shimOptions(ctx, rec, { startNow: false, launcherAttached: true }));
}

function readReport(shim: ShimHandle): Promise<ShimReport> {
  const stream = shim.channel;
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('error', () => undefined);
    stream.resume();
    stream.on('close', () => {
      const line = text.split('\n').find((l) => l.trim() !== '');
      if (line) {
        try {
          resolve(JSON.parse(line) as ShimReport);
          (stream as unknown as { destroy(): void }).destroy();
          return;
        } catch {
          /* fall through */
        }
      }
      const fail = (how: string) =>
        resolve({ event: 'error', message: `the container's shim exited before reporting${how}; see its log in the runtime directory`, exitCode: 125 });
      void shim.exitHow().then(fail);
    });
  });
}

/** `pman start` without attaching: start (or finish starting) and return the container. */
export async function startDetached(ctx: Context, rec: ContainerRecord): Promise<ContainerRecord> {
  const r = await reconcile(ctx, rec);
  assertCan(r, 'start');
  if (isCreated(r) && shimAlive(r)) {
    // A shim is waiting for its Start frame (its foreground client went away): send it.
    const { sendStart } = await import('./attach-client.js');
    await sendStart(ctx, r);
    return r;
  }
  await spawnShim(ctx, r, true);
  return r;
}

export function describe(rec: ContainerRecord): string {
  return `${rec.name} (${shortId(rec.id)})`;
}
