// Starting a container = spawning its shim, detached, and waiting for the shim's first report on
// fd 3 ("created" or "started", or an error). The shim then lives on without the CLI.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import type { Context } from '../context.js';
import { InvalidStateError, PmanError, RuntimeError } from '../errors.js';
import type { ShimOptions } from '../shim/main.js';
import type { ShimReport } from '../shim/protocol.js';
import { processAlive, processStartTime } from '../shim/proc.js';
import type { ContainerRecord } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { shortId } from '../state/ids.js';
import { containerRunDir } from '../state/paths.js';
import { reconcile } from './reconcile.js';
import { takeShim } from '../shim/launch.js';

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
  let childPid = 0;
  let pipe: net.Socket | undefined;
  let child: ChildProcess | undefined;
  await updateContainer(ctx, rec1.id, (rec) => {
    if (rec.state.status === 'running' || rec.state.status === 'paused' || shimAlive(rec)) {
      throw new InvalidStateError(`container "${rec.name}" is already running: stop it first`);
    }
    const runDir = containerRunDir(ctx, rec.id);
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
    child = takeShim();
    childPid = shimPid(child, rec.name);
    rec.state.shimPid = childPid;
    rec.state.shimStartTime = processStartTime(childPid);
    rec.state.error = '';
    pipe = sendOptions(child, shimOptions(ctx, rec, { startNow, ...extra }));
  });
  return awaitReport(rec1, pipe!, child!);
}

/** The pid of a launched shim; a shim that could not be spawned is an error. */
export function shimPid(child: ChildProcess, name?: string): number {
  if (!child.pid) throw new PmanError('system', `cannot start the shim${name ? ` for container "${name}"` : ' for a new container'}: its process could not be spawned`);
  return child.pid;
}

function shimOptions(ctx: Context, rec: ContainerRecord, how: Omit<ShimOptions, 'id' | 'root' | 'runroot' | 'runtime' | 'logLevel' | 'record'>): ShimOptions {
  return { id: rec.id, root: ctx.root, runroot: ctx.runroot, runtime: rec.config.runtime, logLevel: ctx.logLevel, record: rec, ...how };
}

/** The shim's options (with the record): the one line it waits for on its fd 3. */
function sendOptions(child: ChildProcess, opts: ShimOptions): net.Socket {
  const pipe = child.stdio[3] as unknown as net.Socket;
  pipe.ref();
  pipe.write(`${JSON.stringify(opts)}\n`);
  return pipe;
}

async function awaitReport(rec: ContainerRecord, pipe: net.Socket, child: ChildProcess): Promise<StartResult> {
  const report = await readReport(pipe, child);
  child.unref();
  if (report.event === 'error') {
    throw new RuntimeError(report.message, { exitCode: report.exitCode });
  }
  return { rec, event: report.event, pid: report.pid };
}

/**
 * `run -d`: starts a container this process has just created with `child` named as its shim in
 * the first record, so no second (locked) update of the record is needed.
 */
export function startCreated(ctx: Context, rec: ContainerRecord, child: ChildProcess): Promise<StartResult> {
  return awaitReport(rec, sendOptions(child, shimOptions(ctx, rec, { startNow: true })), child);
}

/**
 * Foreground `run`: as startCreated, but this process stays on the shim's fd 3 as the container's
 * first attach client; returns that connection (see attachSession's `socket`).
 */
export function attachCreated(ctx: Context, rec: ContainerRecord, child: ChildProcess): net.Socket {
  return sendOptions(child, shimOptions(ctx, rec, { startNow: false, launcherAttached: true }));
}

function readReport(stream: net.Socket, child: ChildProcess): Promise<ShimReport> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('error', () => undefined);
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
      // Say how it ended: its exit is usually seen just after its end of the pipe closed.
      if (child.exitCode !== null || child.signalCode !== null) return fail(exitHow(child.exitCode, child.signalCode));
      const t = setTimeout(() => fail(''), 500);
      child.once('exit', (code, signal) => {
        clearTimeout(t);
        fail(exitHow(code, signal));
      });
    });
  });
}

function exitHow(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? ` (killed by ${signal})` : code !== null ? ` (status ${code})` : '';
}

/** `pman start` without attaching: start (or finish starting) and return the container. */
export async function startDetached(ctx: Context, rec: ContainerRecord): Promise<ContainerRecord> {
  const r = await reconcile(ctx, rec);
  if (r.state.status === 'running' || r.state.status === 'paused') {
    throw new InvalidStateError(`cannot start container "${r.name}": it is already running; stop it first or use "pman restart"`);
  }
  if (r.state.status === 'created' && shimAlive(r)) {
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
