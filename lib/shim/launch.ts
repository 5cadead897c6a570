// The CLI's side of the launch handshake (the shim's is lib/shim/channel.ts, the messages are in
// lib/shim/protocol.ts): have a shim process start early, take it, send it its options, read its
// report. For commands that will start a container the shim is started as early as possible and
// then waits for its options: by bin/pman, before the CLI's own Node even starts, or else by the
// CLI itself first thing (with a socket pair as its fd 3); lib/fast-path.ts walks the whole path.
// A shim that gets no options (the command failed first, or did not start a container) exits.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { isFresh } from '../boot.js';
import type { Context } from '../context.js';
import { eventsBackend } from '../events/events-file.js';
import { PmanError, RuntimeError } from '../errors.js';
import { HIDDEN_CA_CERTS, SHIM_THREADPOOL_SIZE, STANDBY, STANDBY_WAIT_MS, takeStandbyShim } from '../fast-path.js';
import { PROJECT_ROOT } from '../project.js';
import type { ContainerRecord } from '../state/container-record.js';
import { processAlive } from '../util/proc.js';
import { decodeReport, encodeLine, PRESERVED_FDS_ENV, type ShimOptions, type ShimReport } from './protocol.js';

/** A shim process waiting for its options, and the pipe to send them on. */
export interface ShimHandle {
  pid: number;
  /** Options out, the report (or a foreground run's attach session) back. */
  channel: net.Socket;
  /** " (status N)" / " (killed by SIG…)" once the shim is seen to have exited, else "". */
  exitHow(): Promise<string>;
  /** This CLI no longer waits for the shim (it lives on without us). */
  unref(): void;
  /** How many of this process's descriptors it was spawned with (`run --preserve-fds`). */
  preservedFds?: number;
}

/** The shim's process entry (lib/shim/entry.ts): its CommonJS bundle when fresh, else tsc's output. */
function shimEntry(): string {
  const bundled = path.join(PROJECT_ROOT, 'dist/bundle/shim-entry.cjs');
  const unbundled = path.join(PROJECT_ROOT, 'dist/lib/shim/entry.js');
  return isFresh(bundled, unbundled) ? bundled : unbundled;
}

/**
 * The standby shim lives on globalThis: lib/main.ts launches it (or notes bin/pman's) before the
 * CLI bundle is loaded, and the bundle has its own copy of this module.
 */
const shared = globalThis as { __pmanStandbyShim?: ChildProcess; __pmanStandby?: { path: string; pid: number } };

/**
 * Spawns a shim process (detached: its own session), its launch channel on fd 3 and, for `run
 * --preserve-fds`, this process's descriptors `fds` as its 4, 5 … .
 */
function spawnShim(fds: number[] = []): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, UV_THREADPOOL_SIZE: SHIM_THREADPOOL_SIZE };
  if (fds.length) env[PRESERVED_FDS_ENV] = String(fds.length);
  // The shim never opens a TLS connection: without NODE_EXTRA_CA_CERTS, Node does not parse
  // that CA bundle as it starts (nor has it bin/pman's copy of it, when launched first thing).
  for (const name of ['NODE_EXTRA_CA_CERTS', HIDDEN_CA_CERTS, ...Object.values(STANDBY)]) delete env[name];
  const child = spawn(process.execPath, [shimEntry()], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', ...fds],
    cwd: '/',
    env,
  });
  child.on('error', () => undefined);
  // The standby shim must never keep this CLI alive.
  child.unref();
  (child.stdio[3] as unknown as { unref?: () => void }).unref?.();
  return child;
}

function exitHow(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? ` (killed by ${signal})` : code !== null ? ` (status ${code})` : '';
}

function spawnedHandle(child: ChildProcess): ShimHandle {
  return {
    pid: child.pid ?? 0,
    channel: child.stdio[3] as unknown as net.Socket,
    exitHow: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(exitHow(child.exitCode, child.signalCode));
        // Its exit is usually seen just after its end of the pipe closed.
        const t = setTimeout(() => resolve(''), 500);
        child.once('exit', (code, signal) => {
          clearTimeout(t);
          resolve(exitHow(code, signal));
        });
      }),
    unref: () => child.unref(),
  };
}

/**
 * bin/pman's standby shim: connect (it may still be starting: retried while its process lives, for
 * `waitMs`), read the pid it says first. Undefined when it is not there (it failed, or went away).
 */
export async function connectStandby(standby: { path: string; pid: number }, waitMs = STANDBY_WAIT_MS): Promise<ShimHandle | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Given up only when an attempt made after the deadline failed: this CLI's own synchronous
    // work (creating the container meanwhile) may hold the answer to an earlier one past it.
    const late = Date.now() > deadline;
    const shim = await connectOnce(standby);
    if (shim !== 'not yet') return shim;
    if (late || !processAlive(standby.pid)) return undefined;
    await new Promise((r) => setTimeout(r, 2));
  }
}

function connectOnce(standby: { path: string; pid: number }): Promise<ShimHandle | undefined | 'not yet'> {
  return new Promise((resolve) => {
    const sock = net.connect(standby.path);
    let got = '';
    const fail = () => {
      sock.destroy();
      resolve(undefined);
    };
    sock.once('error', (err: NodeJS.ErrnoException) => {
      sock.destroy();
      // Not listening yet (or no longer: then its process is gone too).
      resolve(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? 'not yet' : undefined);
    });
    sock.once('close', fail);
    sock.on('data', (chunk: Buffer) => {
      got += chunk.toString('utf8');
      const nl = got.indexOf('\n');
      if (nl < 0) return;
      sock.removeAllListeners('data');
      sock.removeAllListeners('error');
      sock.removeListener('close', fail);
      sock.pause();
      let pid = 0;
      try {
        pid = Number((JSON.parse(got.slice(0, nl)) as { pid?: unknown }).pid);
      } catch {
        /* below */
      }
      if (pid !== standby.pid || nl + 1 !== got.length) return fail();
      sock.unref();
      // Not our child as Node knows it (bin/pman started it): its exit status is not ours to see.
      resolve({ pid, channel: sock, exitHow: () => Promise.resolve(''), unref: () => undefined });
    });
  });
}

/**
 * Has a shim start now, to be handed its container later by takeShim(): bin/pman's when it
 * started one for this CLI, else one spawned now.
 */
export function prelaunchShim(): void {
  if (shared.__pmanStandbyShim || shared.__pmanStandby) return;
  const standby = takeStandbyShim(process.env);
  if (standby) shared.__pmanStandby = standby;
  else shared.__pmanStandbyShim = spawnShim();
}

/**
 * The pid of the shim takeShim() will hand over, when it is known before connecting to it: the
 * standby shim's (bin/pman named it) or the one this process spawned ahead, if alive. A record can
 * name it while that shim is still booting; takeShim() may still give another one (the standby
 * never listened, or died meanwhile), which the caller then names instead.
 */
export function expectedShimPid(): number | undefined {
  const pid = shared.__pmanStandby?.pid ?? shared.__pmanStandbyShim?.pid;
  return pid && processAlive(pid) ? pid : undefined;
}

/** The shim started ahead of time if there is one (and it is alive), else a new one. */
export async function takeShim(): Promise<ShimHandle> {
  const standby = shared.__pmanStandby;
  shared.__pmanStandby = undefined;
  if (standby) {
    const shim = await connectStandby(standby);
    if (shim) return shim;
  }
  const spawned = shared.__pmanStandbyShim;
  shared.__pmanStandbyShim = undefined;
  return spawnedHandle(spawned && spawned.exitCode === null && spawned.signalCode === null ? spawned : spawnShim());
}

/**
 * A shim spawned now holding this process's descriptors `fds` (`run --preserve-fds`; the standby
 * one cannot have them). The one started ahead is told to go (its channel closed) rather than
 * left waiting as long as this command lives.
 */
export function spawnShimWithFds(fds: number[]): ShimHandle {
  const standby = shared.__pmanStandby;
  const early = shared.__pmanStandbyShim;
  shared.__pmanStandby = undefined;
  shared.__pmanStandbyShim = undefined;
  if (standby) void connectStandby(standby).then((unused) => unused?.channel.destroy());
  (early?.stdio[3] as unknown as net.Socket | undefined)?.destroy();
  return { ...spawnedHandle(spawnShim(fds)), preservedFds: fds.length };
}

/** The pid of a launched shim; a shim that could not be spawned is an error. */
export function shimPid(shim: ShimHandle, name?: string): number {
  if (!shim.pid) throw new PmanError('system', `cannot start the shim${name ? ` for container "${name}"` : ' for a new container'}: its process could not be spawned`);
  return shim.pid;
}

/** How the shim is to start the container: what ShimOptions adds to the context and the record. */
export type StartHow = Pick<ShimOptions, 'startNow' | 'restarted' | 'launcherAttached'>;

/** The options for the shim of `rec` (the record goes along: the shim need not read it). */
export function shimOptions(ctx: Context, rec: ContainerRecord, how: StartHow): ShimOptions {
  const opts: ShimOptions = { id: rec.id, root: ctx.root, runroot: ctx.runroot, runtime: rec.config.runtime, logLevel: ctx.logLevel, record: rec, ...how };
  // The backend the CLI resolved (flag or containers.conf) goes along: the shim reads no configuration.
  const backend = eventsBackend(ctx);
  if (ctx.engine || backend !== 'file') opts.engine = backend === 'file' ? ctx.engine : { ...ctx.engine, eventsBackend: backend };
  return opts;
}

/** The shim's options: the one line it waits for on its channel. Returns the channel. */
export function sendOptions(shim: ShimHandle, opts: ShimOptions): net.Socket {
  const pipe = shim.channel;
  pipe.ref();
  pipe.write(encodeLine(shim.preservedFds ? { ...opts, preservedFds: shim.preservedFds } : opts));
  return pipe;
}

/** The shim's one report: the channel is read to EOF; a shim that exits without one is an error. */
export function readReport(shim: ShimHandle): Promise<ShimReport> {
  const stream = shim.channel;
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('error', () => undefined);
    stream.resume();
    stream.on('close', () => {
      const report = decodeReport(text);
      if (report) {
        resolve(report);
        stream.destroy();
        return;
      }
      const fail = (how: string) =>
        resolve({ event: 'error', message: `the container's shim exited before reporting${how}; see its log in the runtime directory`, exitCode: 125 });
      void shim.exitHow().then(fail);
    });
  });
}

/** The report as a result: the container created or started (and its pid), or the error thrown. */
export async function awaitReport(shim: ShimHandle): Promise<{ event: 'created' | 'started'; pid: number }> {
  const report = await readReport(shim);
  shim.unref();
  if (report.event === 'error') throw new RuntimeError(report.message, { exitCode: report.exitCode });
  return { event: report.event, pid: report.pid };
}
