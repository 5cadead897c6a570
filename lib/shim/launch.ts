// Launching a shim. Node's start-up is the largest single cost of starting a container, so for
// commands that will start one the shim process is started as early as possible and then waits
// for its options: by bin/pman, before the CLI's own Node even starts (it then listens on a
// socket named in _PMAN_STANDBY_SHIM for this CLI, lib/shim/channel.ts), or else by the CLI
// itself first thing (with a socket pair as its fd 3). A shim that gets no options (the command
// failed first, or did not start a container after all) exits.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { isFresh } from '../boot.js';
import { PROJECT_ROOT } from '../project.js';
import { processAlive } from '../util/proc.js';

/** A shim process waiting for its options, and the pipe to send them on. */
export interface ShimHandle {
  pid: number;
  /** Options out, the report (or a foreground run's attach session) back. */
  channel: net.Socket;
  /** " (status N)" / " (killed by SIG…)" once the shim is seen to have exited, else "". */
  exitHow(): Promise<string>;
  /** This CLI no longer waits for the shim (it lives on without us). */
  unref(): void;
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

/** How long the CLI waits for bin/pman's shim to listen (it started alongside the CLI's Node). */
const STANDBY_WAIT_MS = 5000;

function launch(): ChildProcess {
  // The shim never opens a TLS connection: without NODE_EXTRA_CA_CERTS, Node does not parse
  // that CA bundle as it starts (nor has it bin/pman's copy of it, when launched first thing).
  const { NODE_EXTRA_CA_CERTS: _a, _PMAN_NODE_EXTRA_CA_CERTS: _b, _PMAN_STANDBY_SHIM: _c, _PMAN_STANDBY_PID: _d, _PMAN_STANDBY_LISTEN: _e, _PMAN_STANDBY_PARENT: _f, ...env } = process.env;
  const child = spawn(process.execPath, [shimEntry()], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    cwd: '/',
    env: { ...env, UV_THREADPOOL_SIZE: '2' },
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
 * bin/pman's standby shim: connect (it may still be starting: retried while its process lives),
 * read the pid it says first. Undefined when it is not there (it failed, or went away).
 */
async function connectStandby(standby: { path: string; pid: number }): Promise<ShimHandle | undefined> {
  const deadline = Date.now() + STANDBY_WAIT_MS;
  for (;;) {
    const shim = await connectOnce(standby);
    if (shim !== 'not yet') return shim;
    if (Date.now() > deadline || !processAlive(standby.pid)) return undefined;
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
 * started one for this CLI (_PMAN_STANDBY_SHIM), else one spawned now.
 */
export function prelaunchShim(): void {
  if (shared.__pmanStandbyShim || shared.__pmanStandby) return;
  const socketPath = process.env._PMAN_STANDBY_SHIM;
  const pid = Number(process.env._PMAN_STANDBY_PID);
  delete process.env._PMAN_STANDBY_SHIM;
  delete process.env._PMAN_STANDBY_PID;
  if (socketPath && Number.isInteger(pid) && pid > 0) shared.__pmanStandby = { path: socketPath, pid };
  else shared.__pmanStandbyShim = launch();
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
  return spawnedHandle(spawned && spawned.exitCode === null && spawned.signalCode === null ? spawned : launch());
}
