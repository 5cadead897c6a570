// The shim's start-up, in order: become the subreaper, make the container's stdio, spawn runc
// (`runc run --detach`, or `runc create` for `start -a`) as early as possible, and put the rest of
// the shim together while runc works: exec manager, log writer, attach socket, output pump. Then
// report to the launching CLI, or, for a foreground run, let the launcher's attach session go on.
import fs from 'node:fs';
import path from 'node:path';
import { createContext } from '../context.js';
import { setRuntimeFlags } from '../oci/runtime.js';
import { containerEvents } from '../events/events-file.js';
import { exitCodeOf, systemError } from '../errors.js';
import { LAUNCHER_FD } from '../fast-path.js';
import { native } from '../native/native.js';
import { joinContainerNetns } from '../network/join.js';
import { addressesOf, startWiring, wireContainer } from '../network/wiring.js';
import { isUserMode } from '../network/user-mode/options.js';
import { hostsWithWiredAddresses, keepPodMemberLines } from '../oci/spec-network.js';
import { mountRootfs } from '../oci/rootfs.js';
import { giveToMappedRoot, hostOwner } from '../oci/idmap.js';
import { linkMtab } from '../oci/mtab.js';
import { validateContainerRecord, type ContainerRecord } from '../state/container-record.js';
import { loadContainer } from '../state/containers.js';
import { writeFileAtomic } from '../state/atomic.js';
import { containerDir, containerRunDir, runcRoot } from '../state/paths.js';
import { trace } from '../util/trace.js';
import { AttachServer, type Client } from './attach-server.js';
import { containerStdioSession, type ContainerSide } from './attach-session.js';
import { preservedFds, type LauncherLink } from './channel.js';
import { pipeIO, ttyIO } from './container-io.js';
import { ContainerProcess } from './container-process.js';
import { ExecManager } from './exec-manager.js';
import { drainMs, failBeforeStart, maybeFinish, onChildExit } from './exit-sequence.js';
import { LauncherHold } from './launcher-hold.js';
import { LogWriter } from './log-writer.js';
import { OutputPump } from './output-pump.js';
import { Frame, type HelloMsg, type ShimOptions } from './protocol.js';
import { execSession, healthSession, sessionRouter } from './session-router.js';
import type { ShimParts } from './shim-parts.js';
import type { Log } from './shim-log.js';
import { socketAddress } from './socket-path.js';
import { recordRunning } from './status-records.js';
import { onExtrasRunning } from './run-extras.js';
import { failpoint } from '../util/failpoint.js';
import { bundleDurability, isVolatile } from '../state/volatile.js';

/** `exit` ends the shim process: only the entry (main.ts) decides how the process ends. */
export async function startShim(opts: ShimOptions, launcher: LauncherLink, log: Log, exit: (code: number) => never): Promise<void> {
  trace('shim: loaded');
  const ctx = createContext({ root: opts.root, runroot: opts.runroot, runtime: opts.runtime, logLevel: opts.logLevel, engine: opts.engine });
  if (opts.engine?.runtimeFlags) setRuntimeFlags(opts.engine.runtimeFlags);
  const runDir = containerRunDir(ctx, opts.id);
  const proc = new ContainerProcess(ctx, opts.id, { runtime: opts.runtime, root: runcRoot(ctx), logFile: path.join(runDir, 'runc.log') }, runDir, log);
  if (opts.preservedFds) proc.preserved = preservedFds().slice(0, opts.preservedFds);
  let parts: ShimParts | undefined;
  setupProcess(launcher, proc, () => parts);
  const rec = opts.record ?? loadContainer(ctx, opts.id);
  const winsize = { rows: 0, cols: 0 };
  const io = rec.config.tty ? await ttyIO(socketAddress(runDir, 'console.sock'), () => winsize) : pipeIO(rec.config.interactive);

  const runNow = opts.startNow || opts.launcherAttached === true;
  const launched = (async () => {
    const merged = mountRootfs(ctx, rec.id, rec.layers, { volatile: isVolatile(rec), idMaps: rec.config.idMaps });
    if (rec.config.idMaps) (await import('../oci/idmap-mounts.js')).mountIdmappedMounts(ctx, rec);
    // Not in a build step's container (config.volatile): buildah's RUN steps make no /etc/mtab,
    // and a link made here would become part of the step's layer.
    if (rec.config.volatile !== true) addMtab(rec, merged);
    failpoint('start.after-mount');
    trace('shim: mounted');
    // Its network namespace, wired by netavark or uplinked by pasta/slirp4netns. A bridge's addresses
    // are leased (and /etc/hosts written) first; netavark wires the namespace while runc creates the
    // container in it, and the container's process starts once both are done.
    const mode = rec.config.network?.mode;
    let wired: Promise<unknown> | undefined;
    if (mode === 'bridge') {
      const wiring = await startWiring(ctx, rec);
      wired = wiring?.done;
      const hosts = hostsWithWiredAddresses(ctx, rec, addressesOf(wiring?.setup.options));
      if (hosts !== undefined) {
        const file = path.join(containerDir(ctx, rec.id), 'hosts');
        writeFileAtomic(file, rec.config.infra ? keepPodMemberLines(readIfThere(file), hosts, rec.name) : hosts, 0o644, bundleDurability(rec));
        if (rec.config.idMaps) giveToMappedRoot(file, rec.config.idMaps);
      }
    } else if (mode === 'container') {
      joinContainerNetns(ctx, rec.id, rec.config.network!.container!);
    } else if (isUserMode(mode)) {
      await wireContainer(ctx, rec);
    }
    if (wired) {
      const [net, created] = await Promise.allSettled([wired, proc.create('create', io, () => warmUp(rec))]);
      for (const r of [net, created]) if (r.status === 'rejected') throw r.reason;
      failpoint('start.after-network');
      failpoint('start.after-runc-create');
      if (runNow) await proc.startCreated();
    } else {
      failpoint('start.after-network');
      await proc.create(runNow ? 'run' : 'create', io, () => warmUp(rec));
      failpoint('start.after-runc-create');
    }
    trace(runNow ? 'shim: started' : 'shim: created');
  })();
  // The rest of the set-up happens while runc works (no client can connect before the listen,
  // and the record says running only after it).
  const s = (parts = setupParts(opts, launcher, log, { ctx, runDir, rec, proc, io, winsize, launched, exit }));
  // Before any client can send Start: for these the container is being started already.
  if (runNow) proc.startedBy(launched.then(() => markRunning(s)));
  // Synchronously after runc was spawned: its output is held before any event is handled.
  if (opts.launcherAttached) s.hold.adopt(s.server, launcher);
  // runc is at work already: a socket that cannot listen still has to stop what it starts.
  const listening = s.server.listen(socketAddress(runDir, 'attach')).then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  try {
    await launched;
    const notListening = await listening;
    if (notListening) throw notListening;
  } catch (err) {
    await failBeforeStart(s, err);
    return;
  }
  await io.ready;
  if (s.hold.released) s.pump.wire();
  onChildExit(s);
  // A foreground run's client says Started (or the error) itself; there is nothing to report.
  if (opts.launcherAttached) return;
  if (!opts.startNow) {
    void launcher.report({ event: 'created', pid: proc.pid });
    return;
  }
  try {
    await proc.start(() => markRunning(s));
  } catch (err) {
    void launcher.report({ event: 'error', message: (err as Error).message, exitCode: exitCodeOf(err) });
    return;
  }
  void launcher.report({ event: 'started', pid: proc.pid });
}

/**
 * /etc/mtab -> /proc/mounts in the container's layer when its image has none (lib/oci/mtab.ts); with
 * --rootfs DIR (no :O) the container runs in DIR itself, and podman 4.3.1 makes the link there.
 */
function addMtab(rec: ContainerRecord, merged: string): void {
  const x = rec.config.extras;
  const root = x?.rootfs && !x.rootfsOverlay ? x.rootfs : merged;
  try {
    linkMtab(root, rec.config.idMaps && hostOwner(rec.config.idMaps, { uid: 0, gid: 0 }));
  } catch (err) {
    throw systemError(`make /etc/mtab in container "${rec.name}"`, err);
  }
}

/** The shim as a process: subreaper, fd 3 kept from runc, signals. */
function setupProcess(launcher: LauncherLink, proc: ContainerProcess, parts: () => ShimParts | undefined): void {
  native().setSubreaper();
  // fd 3 (the pipe to the CLI) must not leak into runc and the container, or the CLI would
  // wait for its EOF until the container exits.
  if (launcher.inheritedFd) native().setCloexec(LAUNCHER_FD);
  process.on('SIGCHLD', () => {
    const s = parts();
    if (s) onChildExit(s);
  });
  // A terminal hang-up or a stray SIGTERM/SIGINT to the shim must not kill it without cleanup:
  // forward termination signals to the container instead, like conmon.
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const) {
    process.on(sig, () => {
      if (proc.pid > 0) proc.signal(sig);
    });
  }
  process.on('SIGPIPE', () => undefined);
}

type Early = Pick<ShimParts, 'ctx' | 'runDir' | 'rec' | 'proc' | 'io' | 'launched' | 'exit'> & { winsize: { rows: number; cols: number } };

/** Exec manager, log writer, attach server (its sessions routed), output pump, launcher hold. */
function setupParts(opts: ShimOptions, launcher: LauncherLink, log: Log, e: Early): ShimParts {
  const exec = new ExecManager(e.ctx, e.rec, e.proc.rt, e.runDir, log);
  const logWriter = new LogWriter(e.rec.config.logPath, e.rec.config.logDriver, log, e.rec.config.logOpts);
  const side = { rec: e.rec, io: e.io, proc: e.proc, winsize: e.winsize, start: (c: Client) => onStart(s, c) };
  const kinds = { attach: (c: Client, hello: HelloMsg) => attachSession(s, c, hello, side), exec: (c: Client, hello: HelloMsg) => execSession(exec, c, hello), healthcheck: (c: Client) => healthSession(s, c) };
  const server = new AttachServer(sessionRouter(kinds, log));
  const pump = new OutputPump(e.io, logWriter, server, () => maybeFinish(s), log);
  server.onPrimaryDrain = () => pump.resume();
  const hold = new LauncherHold(() => onRelease(s));
  const s: ShimParts = { ...e, opts, log, launcher, exec, logWriter, server, pump, hold, finishing: false };
  return s;
}

/**
 * While runc works (tens of ms), load what recording the container's state needs next (the
 * record validator): otherwise it is loaded between the start and the exit.
 */
function warmUp(rec: ContainerRecord): void {
  setImmediate(() => validateContainerRecord(rec));
}

async function markRunning(s: ShimParts): Promise<void> {
  s.rec = await recordRunning(s.ctx, s.rec.id, s.proc.pid, s.opts.restarted === true);
  failpoint('start.after-record');
  s.exec.setRunning(true);
  containerEvents(s.ctx, s.rec, ['init', 'start']);
  if (s.rec.config.extras) onExtrasRunning(s);
  if (s.rec.config.healthcheck) s.healthReady = startHealth(s);
}

/** A client joined to the container's stdio; one that wants output or input is an attach event. */
function attachSession(s: ShimParts, c: Client, hello: HelloMsg, side: ContainerSide) {
  if (hello.stdin || hello.stdout || hello.stderr) containerEvents(s.ctx, s.rec, ['attach']);
  return containerStdioSession(c, side);
}

/** Only a container with a health check loads the monitor and has a timer. */
async function startHealth(s: ShimParts): Promise<void> {
  try {
    const { HealthMonitor } = await import('./health-monitor.js');
    if (s.finishing || s.proc.exitStatus) return;
    s.health = new HealthMonitor(s);
    s.health.start();
  } catch (err) {
    s.log(`cannot start the health check: ${(err as Error).message}`);
  }
}

/** An attach client's Start: it becomes the primary client, output flows, the container starts. */
function onStart(s: ShimParts, c: Client): void {
  c.primary = true;
  s.hold.release();
  s.proc.start(() => markRunning(s)).then(
    () => c.send(Frame.Started, { pid: s.proc.pid }),
    // A container that could not be started at all: failBeforeStart tells every client, once it
    // has cleaned up (told now, a `run --rm` client would remove the container meanwhile and tear
    // its network down a second time, beside the shim).
    (err) => s.finishing || c.send(Frame.Error, { message: (err as Error).message, exitCode: exitCodeOf(err) }),
  );
}

/** Held output flows (and a held exit is handled) once runc has done its part. */
function onRelease(s: ShimParts): void {
  Promise.all([s.launched, s.io.ready]).then(
    () => {
      s.pump.wire();
      if (s.proc.exitStatus) s.pump.closeAfter(drainMs(s));
      maybeFinish(s);
    },
    () => undefined, // failBeforeStart tells the client
  );
}

function readIfThere(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

