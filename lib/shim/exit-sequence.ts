// The shim's way out, in order. After the container's exit: wait for its outputs to end, stop
// listening, end the exec sessions, remove what the run left (runc state, mount, runtime
// directory), and only then record the exit (from then on a `pman start` may launch a new shim
// that must find nothing of this one in its way); tell the clients, close them, apply the restart
// policy, exit. Or, when the container could not be started: clean up, record why, tell, exit.
import { oomKilled } from '../cgroup/cgroup.js';
import { cgroupPathOf } from '../state/container-cgroup.js';
import { exitCodeOf } from '../errors.js';
import { containerEvents } from '../events/events-file.js';
import { trace } from '../util/trace.js';
import { closeClients, releaseRun, removeAutoRemoved, removeRunDir, removeRuntimeState } from './cleanup.js';
import { Frame } from './protocol.js';
import { restartIfPolicy } from './restart-policy.js';
import { TIMEOUT_EXIT_CODE } from './run-extras.js';
import type { ShimParts } from './shim-parts.js';
import { recordExited, recordFailed } from './status-records.js';
import { failpoint } from '../util/failpoint.js';
import { isVolatile } from '../state/volatile.js';
import { removeRetired } from '../state/retired.js';
import { hasPoststopHooks } from '../oci/poststop-hooks.js';
import { containerDir } from '../state/paths.js';

/** SIGCHLD: collect the container's status (and exec sessions'); never touch libuv's children. */
export function onChildExit(s: ShimParts): void {
  const status = s.proc.reap();
  if (!status) {
    s.exec.reap();
    return;
  }
  // Before reaping exec sessions, so the ones that die with the container say why.
  s.health?.stop();
  s.exec.setRunning(false);
  s.exec.reap();
  if (s.timedOut) status.code = TIMEOUT_EXIT_CODE;
  trace('shim: reaped');
  s.log(`container exited with status ${status.code}`);
  if (s.hold.released) s.pump.closeAfter(drainMs(s));
  maybeFinish(s);
}

/**
 * How long outputs may stay open after the exit. In a PID namespace every process dies with
 * init, so the pipes reach EOF promptly; a tty master may linger.
 */
export function drainMs(s: ShimParts): number {
  return s.rec.config.tty ? 200 : 5000;
}

/** Finishes once the container has exited, its outputs have ended and no launcher is awaited. */
export function maybeFinish(s: ShimParts): void {
  if (!s.proc.exitStatus || s.pump.pending || s.finishing || !s.hold.released) return;
  s.finishing = true;
  finish(s).catch((err) => {
    s.log(`cleanup failed: ${(err as Error).stack}`);
    s.exit(1);
  });
}

async function finish(s: ShimParts): Promise<void> {
  const status = s.proc.exitStatus!;
  trace('shim: finishing');
  s.health?.stop();
  // No new clients from here; and closing a listening socket unlinks its path, which must happen
  // before the exit is recorded, while the path cannot yet be a next shim's socket.
  s.server.close();
  if (s.proc.started) await s.proc.started.catch(() => undefined);
  const autoRemove = s.rec.config.autoRemove;
  let retired: string | undefined;
  // A volatile (--rm) container's log is removed with it below: flushing it to disk is wasted.
  s.logWriter.close(!isVolatile(s.rec));
  trace('shim: log closed');
  await s.exec.containerExited();
  const finishedAt = new Date().toISOString();
  // Before runc delete removes the cgroup that counted it.
  const oom = oomKilled(cgroupPathOf(s.rec));
  trace('shim: exec sessions ended');
  // runc's state and the root mount go before the exit is recorded: from then on a `pman start`
  // may mount and create this container again. (A --rm container's runc state goes after the
  // client is told, ~10 ms sooner for `run --rm`: nothing can start that ID again. Unless runc
  // has poststop hooks to run at its delete: they run before `run --rm` returns, as in podman,
  // while the bundle they are given is still there.)
  const deleteAfterExit = autoRemove && !hasPoststopHooks(containerDir(s.ctx, s.rec.id));
  const { unwired } = await releaseRun(s.ctx, s.proc.rt, s.rec.id, s.log, !deleteAfterExit);
  trace('shim: released');
  // The runtime directory too (connected clients keep their sockets): a `pman start` right
  // after the exit is recorded makes it anew for its own shim.
  removeRunDir(s.runDir);
  trace('shim: unmounted');
  if (autoRemove) {
    // No "exited" record first: it would make the container startable until its files go.
    const heard = [...s.server.clients].some((c) => !c.closed && !c.dropped && c.hello?.kind !== 'exec');
    // (Its files go while netavark tears down: nothing can start that ID again.)
    retired = await removeAutoRemoved(s.ctx, s.rec, status.code, heard, s.log);
    trace('shim: removed');
    await unwired;
  } else {
    // A next run of this container (pman start, once the record says exited) wires it anew.
    await unwired;
    failpoint('exit.before-record');
    s.rec = await recordExited(s.ctx, s.rec.id, { exitCode: status.code, oomKilled: oom, finishedAt });
    failpoint('exit.after-record');
  }
  // died, cleanup (and remove for --rm) in one write, once the exit is recorded.
  containerEvents(s.ctx, s.rec, autoRemove ? ['died', 'cleanup', 'remove'] : ['died', 'cleanup'], { ExitCode: status.code });
  trace('shim: cleaned up');
  s.server.sendAll(Frame.Exit, { exitCode: status.code });
  trace('shim: exit sent');
  if (deleteAfterExit) {
    await removeRuntimeState(s.proc.rt, s.rec.id, s.log);
    trace('shim: runc deleted after the exit was sent');
  }
  // The --rm container's files, out of the store's view since removeAutoRemoved (lib/state/retired.ts).
  try {
    failpoint('rm-auto.after-retire');
    removeRetired(retired);
  } catch (err) {
    s.log(`cannot remove the files of the removed container: ${(err as Error).message}`);
  }
  trace('shim: files removed');
  await closeClients(s.server);
  if (s.rec.config.pod) await (await import('./pod-exit-policy.js')).applyPodExitPolicy(s.ctx, s.rec, s.log);
  await restartIfPolicy(s.ctx, s.rec, Date.now() - Date.parse(s.rec.state.startedAt), s.log, s.restartAfterExit === true);
  s.exit(0);
}

/** The container could not be started (or the shim could not go on): record nothing as running. */
export async function failBeforeStart(s: ShimParts, err: unknown): Promise<void> {
  const message = (err as Error).message;
  const exitCode = exitCodeOf(err);
  s.log(`create failed: ${message}`);
  // This is the way out: a container started meanwhile and stopped below is not finished twice.
  s.finishing = true;
  s.server.close();
  // (Recorded as running when runc did start it: that comes first, then this.)
  await s.proc.started?.catch(() => undefined);
  const { unwired } = await releaseRun(s.ctx, s.proc.rt, s.rec.id, s.log);
  removeRunDir(s.runDir);
  await unwired;
  // The launcher's client hears it once it is attached (its Start gets this error).
  await s.hold.settled;
  await recordFailed(s.ctx, s.rec.id, message, exitCode).catch((e) => s.log(`cannot record the failure: ${(e as Error).message}`));
  const reported = s.launcher.report({ event: 'error', message, exitCode });
  s.server.sendAll(Frame.Error, { message, exitCode });
  await Promise.all([reported, closeClients(s.server)]);
  s.exit(0);
}
