// The shim: one detached supervisor per started container (like conmon). Its life is a sequence:
// become subreaper -> make stdio -> listen on the attach socket -> mount the rootfs -> start the
// container -> relay output to the log and clients -> on exit: drain, fsync, clean up, record
// the status, exit. Three ways to start (ShimOptions): `runc run --detach` and a report on fd 3
// (run -d, start); `runc run --detach` with the launching CLI as the first client, on fd 3
// (foreground run: no report, no second connection); or `runc create`, a report, and `runc start`
// when a client sends Start (start -a).
import fs from 'node:fs';
import path from 'node:path';
import { createContext, type Context } from '../context.js';
import { native, type WaitResult } from '../native/native.js';
import { mountRootfs, unmountRootfs } from '../oci/rootfs.js';
import { runRuntime, runtimeDelete, runtimeError, runtimeMessage, runtimeExit, spawnRuntime, type RuntimeOptions } from '../oci/runtime.js';
import { deleteContainerFiles, loadContainer, updateContainer } from '../state/containers.js';
import { validateContainerRecord, type ContainerRecord } from '../state/container-record.js';
import { containerDir, containerRunDir, exitCodeFile, runcRoot } from '../state/paths.js';
import { AttachServer, type Client } from './attach-server.js';
import { pipeIO, ttyIO, type ContainerIO } from './container-io.js';
import { LogWriter } from './log-writer.js';
import { Frame, PROTOCOL_VERSION, type ShimReport } from './protocol.js';
import { bootId, processStartTime } from '../util/proc.js';
import { ExecManager } from './exec-manager.js';
import { socketAddress } from './socket-path.js';
import { LAUNCHER_FD, openChannel, readOptions, sendReport, type Channel } from './channel.js';
import { trace } from '../util/trace.js';
import { oomKilled } from '../cgroup/cgroup.js';
import { restartIfPolicy } from './restart-policy.js';
import { removeAnonymousVolumes } from '../volume/anonymous.js';

export interface ShimOptions {
  id: string;
  root: string;
  runroot: string;
  runtime: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Start right after create (run -d, start without -a); else wait for a client's Start frame. */
  startNow: boolean;
  /** Launched by the previous shim's restart policy (keeps the restart count). */
  restarted?: boolean;
  /**
   * The CLI that launched this shim stays on fd 3 as the container's first, primary attach client
   * (foreground `run`): the container starts at once, its output waits for that client's Start.
   */
  launcherAttached?: boolean;
  /** The container's record as the CLI has just written it (spares reading and validating it). */
  record?: ContainerRecord;
}

/** The restart policy's next run: a new shim, like `pman start` launches (loaded only when needed). */
async function relaunch(ctx: Context, rec: ContainerRecord): Promise<void> {
  const { spawnShim } = await import('../container/start.js');
  await spawnShim(ctx, rec, true, { restarted: true });
}

/** The pipe to the launching CLI (lib/shim/channel.ts), once it is open. */
let channel: Channel | undefined;
/** Set once the channel carries the launcher's attach session, or the one report was sent. */
let channelTaken = false;

/** The one report to the launching CLI (then the channel ends); resolves once it is written. */
function report(msg: ShimReport): Promise<void> {
  if (!channel || channelTaken) return Promise.resolve();
  channelTaken = true;
  return sendReport(channel, msg);
}

/** The shim's own diagnostics go to <rundir>/shim.log once its options have arrived. */
let logFd = 2;

function log(message: string): void {
  try {
    fs.writeSync(logFd, `${new Date().toISOString()} ${message}\n`);
  } catch {
    /* nowhere to log */
  }
}

class Shim {
  private readonly ctx: Context;
  private rec!: ContainerRecord;
  private io!: ContainerIO;
  private server!: AttachServer;
  private logWriter!: LogWriter;
  private readonly rt: RuntimeOptions;
  private pid = 0;
  private started: Promise<void> | undefined;
  private exitStatus: WaitResult | undefined;
  private openOutputs = 0;
  private finishing = false;
  private winsize = { rows: 0, cols: 0 };
  private exec!: ExecManager;
  private readonly runDir: string;
  /** Output is wired (and the exit may be handled) once the launcher's client is there. */
  private released = true;
  private wired = false;
  private launcherSettled: Promise<void> = Promise.resolve();
  private settleLauncher: () => void = () => undefined;
  /** Mounting and runc create / run (what comes out of the pipes before it succeeded is runc's). */
  private launched: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ShimOptions) {
    this.ctx = createContext({ root: opts.root, runroot: opts.runroot, runtime: opts.runtime, logLevel: opts.logLevel });
    this.runDir = containerRunDir(this.ctx, opts.id);
    this.rt = { runtime: opts.runtime, root: runcRoot(this.ctx), logFile: path.join(this.runDir, 'runc.log') };
  }

  async run(): Promise<void> {
    trace('shim: loaded');
    native().setSubreaper();
    // fd 3 (the pipe to the CLI) must not leak into runc and the container, or the CLI would
    // wait for its EOF until the container exits.
    if (channel?.inheritedFd) native().setCloexec(LAUNCHER_FD);
    process.on('SIGCHLD', () => this.reap());
    // A terminal hang-up or a stray SIGTERM/SIGINT to the shim must not kill it without cleanup:
    // forward termination signals to the container instead, like conmon.
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const) {
      process.on(sig, () => {
        if (this.pid > 0) this.signal(sig);
      });
    }
    process.on('SIGPIPE', () => undefined);
    this.rec = this.opts.record ?? loadContainer(this.ctx, this.opts.id);

    this.io = this.rec.config.tty
      ? await ttyIO(socketAddress(this.runDir, 'console.sock'), () => this.winsize)
      : pipeIO(this.rec.config.interactive);

    const runNow = this.opts.startNow || this.opts.launcherAttached === true;
    const launched = (this.launched = (async () => {
      mountRootfs(this.ctx, this.rec.id, this.rec.layers);
      trace('shim: mounted');
      this.pid = await this.create(runNow ? 'run' : 'create');
      trace(runNow ? 'shim: started' : 'shim: created');
    })());
    if (runNow) {
      // Before any client can send Start: for these the container is being started already.
      this.started = launched.then(() => this.markRunning());
      this.started.catch(() => undefined);
    }
    // The rest of the set-up happens while runc works (no client can connect before the listen,
    // and the record says running only after it).
    this.exec = new ExecManager(this.ctx, this.rec, this.rt, this.runDir, log);
    this.logWriter = new LogWriter(this.rec.config.logPath, this.rec.config.logDriver, log, this.rec.config.logOpts);
    const refusedInput = new WeakSet<Client>();
    this.server = new AttachServer({
      onHello: (c, hello) => {
        if (hello.kind === 'exec') return this.exec.open(c, hello);
        return {
          version: PROTOCOL_VERSION,
          tty: this.rec.config.tty,
          interactive: this.rec.config.interactive,
          status: this.exitStatus ? 'exited' : this.started ? 'running' : 'created',
        };
      },
      onStdin: (c, data) => {
        if (c.hello?.kind === 'exec') return this.exec.stdin(c, data);
        if (!this.io.write || !this.rec.config.interactive) {
          // Refused, not silently dropped: the container has no open input.
          if (!refusedInput.has(c)) c.send(Frame.Notice, { message: `container "${this.rec.name}" was not started with -i: input is discarded` });
          refusedInput.add(c);
          return;
        }
        c.socket.pause();
        this.io.write(data, () => c.socket.resume());
      },
      onStdinClose: (c) => {
        if (c.hello?.kind === 'exec') return this.exec.stdinClose(c);
        if (!this.rec.config.tty) this.io.closeInput?.();
      },
      onResize: (c, size) => {
        if (c.hello?.kind === 'exec') return this.exec.resize(c, size);
        this.winsize = size;
        this.io.resize?.(size.rows, size.cols);
      },
      onStart: (c) => {
        if (c.hello?.kind !== 'attach') return;
        c.primary = true;
        this.release();
        this.start().then(
          () => c.send(Frame.Started, { pid: this.pid }),
          (err) => c.send(Frame.Error, { message: (err as Error).message, exitCode: (err as { exitCode?: number }).exitCode ?? 125 }),
        );
      },
      onSignal: (c, msg) => {
        if (c.hello?.kind === 'exec') return this.exec.signal(c, msg.signal);
        this.signal(msg.signal);
      },
      onDetach: (c) => {
        if (c.hello?.kind === 'exec') this.exec.detach(c);
      },
      onClose: (c) => {
        if (c.hello?.kind === 'exec') this.exec.clientGone(c);
      },
      log,
    });
    this.server.onPrimaryDrain = () => this.resumeOutputs();
    // Synchronously after runc was spawned: its output is held before any event is handled.
    if (this.opts.launcherAttached) this.adoptLauncher();
    // runc is at work already: a socket that cannot listen still has to stop what it starts.
    const listening = this.server.listen(socketAddress(this.runDir, 'attach')).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    try {
      await launched;
      const notListening = await listening;
      if (notListening) throw notListening;
    } catch (err) {
      await this.failBeforeStart(err);
      return;
    }
    await this.io.ready;
    if (this.released) this.wireOutputs();
    this.reap();
    if (this.opts.launcherAttached) {
      // Its client says Started (or the error) itself; there is nothing to report on fd 3.
      return;
    }
    if (this.opts.startNow) {
      try {
        await this.start();
      } catch (err) {
        void report({ event: 'error', message: (err as Error).message, exitCode: (err as { exitCode?: number }).exitCode ?? 125 });
        return;
      }
      void report({ event: 'started', pid: this.pid });
    } else {
      void report({ event: 'created', pid: this.pid });
    }
  }

  /**
   * `runc create`, or `runc run --detach` (created and started in one runc process), with our
   * stdio; returns the container init pid.
   */
  private async create(verb: 'create' | 'run'): Promise<number> {
    const pidFile = path.join(this.runDir, 'pid');
    fs.rmSync(this.rt.logFile!, { force: true });
    const args = [...(verb === 'run' ? ['--detach'] : []), '--bundle', containerDir(this.ctx, this.rec.id), '--pid-file', pidFile];
    if (this.io.consoleSocket) args.push('--console-socket', this.io.consoleSocket);
    args.push(this.rec.id);
    // A stale runc state (crash, or a previous run that was not cleaned) would make create fail;
    // only then is it worth a runc call.
    if (fs.existsSync(path.join(this.rt.root, this.rec.id))) await runtimeDelete(this.rt, this.rec.id, true).catch(() => undefined);
    const exited = runtimeExit(this.rt, spawnRuntime(this.rt, verb, args, { stdio: this.io.childStdio }));
    this.warmUp();
    const code = await exited;
    this.io.closeChildEnds();
    if (code !== 0) throw runtimeError(verb === 'run' ? 'start the container' : 'create the container', runtimeMessage(this.rt));
    return Number(fs.readFileSync(pidFile, 'utf8').trim());
  }

  /**
   * While runc works (tens of ms), load what recording the container's state needs next (the
   * record validator): otherwise it is loaded between the start and the exit.
   */
  private warmUp(): void {
    setImmediate(() => validateContainerRecord(this.rec));
  }

  /** runc start, once, for a created container; records the container as running. */
  private start(): Promise<void> {
    if (!this.started) {
      this.started = (async () => {
        trace('shim: start');
        const r = await runRuntime(this.rt, ['start', this.rec.id]);
        trace('shim: started');
        if (r.code !== 0) throw runtimeError('start the container', runtimeMessage(this.rt, r.stderr));
        await this.markRunning();
      })();
    }
    return this.started;
  }

  /** The record says running, with this shim and the container's pid. */
  private async markRunning(): Promise<void> {
    const boot = bootId();
    this.rec = await updateContainer(this.ctx, this.rec.id, (rec) => {
      rec.state.status = 'running';
      rec.state.pid = this.pid;
      rec.state.shimPid = process.pid;
      rec.state.shimStartTime = processStartTime(process.pid);
      rec.state.bootId = boot;
      rec.state.startedAt = new Date().toISOString();
      rec.state.finishedAt = '0001-01-01T00:00:00Z';
      rec.state.exitCode = 0;
      rec.state.error = '';
      rec.state.oomKilled = false;
      if (!this.opts.restarted) {
        // Started by a user: a new run of the restart policy.
        rec.state.restartCount = 0;
        rec.state.stoppedByUser = false;
      }
    });
    this.exec.setRunning(true);
  }

  /**
   * Foreground `run`: the launching CLI's end of fd 3 becomes an attach client, with whatever
   * frames it sent after the options. Output is held for it until it sends Start (it sends Start
   * with its Hello), or until it goes away first, when the container carries on as if detached.
   */
  private adoptLauncher(): void {
    this.released = false;
    this.launcherSettled = new Promise((resolve) => (this.settleLauncher = resolve));
    channelTaken = true;
    const sock = channel!.socket;
    const client = this.server.adopt(sock, pendingInput);
    pendingInput = Buffer.alloc(0);
    sock.once('close', () => {
      if (!client.primary) this.release();
    });
  }

  /** Lets held output flow (and a held exit be handled): the launcher's client is attached or gone. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.settleLauncher();
    Promise.all([this.launched, this.io.ready]).then(
      () => {
        this.wireOutputs();
        if (this.exitStatus) this.armDrainTimer();
        this.maybeFinish();
      },
      () => undefined, // failBeforeStart tells the client
    );
  }

  private signal(sig: string): void {
    if (this.pid <= 0 || this.exitStatus) return;
    try {
      process.kill(this.pid, sig as NodeJS.Signals);
    } catch (err) {
      log(`cannot send ${sig} to the container: ${(err as Error).message}`);
    }
  }

  private wireOutputs(): void {
    if (this.wired) return;
    this.wired = true;
    for (const src of this.io.outputs) {
      this.openOutputs++;
      const type = src.stream === 'stdout' ? Frame.Stdout : Frame.Stderr;
      src.readable.on('data', (chunk: Buffer) => {
        this.logWriter.write(src.stream, chunk);
        if (!this.server.broadcast(type, chunk)) this.pauseOutputs();
      });
      let ended = false;
      const done = () => {
        if (ended) return;
        ended = true;
        this.openOutputs--;
        this.maybeFinish();
      };
      src.readable.on('end', done);
      src.readable.on('close', done);
      // EIO on a pty master = the terminal's other side is gone.
      src.readable.on('error', done);
    }
  }

  private pauseOutputs(): void {
    for (const s of this.io.outputs) s.readable.pause();
  }

  private resumeOutputs(): void {
    const primary = [...this.server.clients].find((c) => c.primary && !c.closed);
    if (primary && primary.backlog > 0) return;
    for (const s of this.io.outputs) s.readable.resume();
  }

  /** SIGCHLD: collect the container's status (and exec sessions'); never touch libuv's children. */
  private reap(): void {
    if (this.pid <= 0 || this.exitStatus) {
      this.exec.reap();
      return;
    }
    const r = native().waitpid(this.pid);
    if (!r) {
      this.exec.reap();
      return;
    }
    this.exitStatus = r;
    // Before reaping exec sessions, so the ones that die with the container say why.
    this.exec.setRunning(false);
    this.exec.reap();
    log(`container exited with status ${r.code}`);
    if (this.released) this.armDrainTimer();
    this.maybeFinish();
  }

  /**
   * In a PID namespace every process dies with init, so the pipes reach EOF promptly; a tty
   * master may linger, so give outputs a bounded time to drain.
   */
  private armDrainTimer(): void {
    setTimeout(() => {
      if (this.openOutputs > 0) {
        log('outputs did not reach EOF after exit; closing them');
        for (const s of this.io.outputs) s.readable.destroy();
        this.openOutputs = 0;
        this.maybeFinish();
      }
    }, this.rec.config.tty ? 200 : 5000).unref();
  }

  private maybeFinish(): void {
    if (!this.exitStatus || this.openOutputs > 0 || this.finishing || !this.released) return;
    this.finishing = true;
    this.finish().catch((err) => {
      log(`cleanup failed: ${(err as Error).stack}`);
      process.exit(1);
    });
  }

  private async finish(): Promise<void> {
    const status = this.exitStatus!;
    trace('shim: finishing');
    // No new clients from here; and closing a listening socket unlinks its path, which must happen
    // before the exit is recorded, while the path cannot yet be a next shim's socket.
    this.server.close();
    if (this.started) await this.started.catch(() => undefined);
    this.logWriter.close();
    await this.exec.containerExited();
    const finishedAt = new Date().toISOString();
    // Before runc delete removes the cgroup that counted it.
    const oom = oomKilled(this.rec.id);
    trace('shim: exec sessions ended');
    const autoRemove = this.rec.config.autoRemove;
    // runc's state and the root mount go before the exit is recorded: from then on a `pman start`
    // may mount and create this container again. (A --rm container's runc state goes after the
    // client is told, ~10 ms sooner for `run --rm`: nothing can start that ID again.)
    await this.cleanup(!autoRemove);
    // The runtime directory too (connected clients keep their sockets): a `pman start` right
    // after the exit is recorded makes it anew for its own shim.
    this.removeRunDir();
    trace('shim: unmounted');
    if (autoRemove) {
      // No "exited" record first: it would make the container startable until its files go.
      try {
        fs.mkdirSync(path.dirname(exitCodeFile(this.ctx, this.rec.id)), { recursive: true, mode: 0o700 });
        fs.writeFileSync(exitCodeFile(this.ctx, this.rec.id), String(status.code));
      } catch (err) {
        log(`cannot keep the exit code for pman wait: ${(err as Error).message}`);
      }
      deleteContainerFiles(this.ctx, this.rec);
      await removeAnonymousVolumes(this.ctx, this.rec).catch((err) => log(`cannot remove anonymous volumes: ${(err as Error).message}`));
    } else {
      this.rec = await updateContainer(this.ctx, this.rec.id, (rec) => {
        rec.state.status = 'exited';
        rec.state.oomKilled = oom;
        rec.state.exitCode = status.code;
        rec.state.finishedAt = finishedAt;
        rec.state.pid = 0;
        rec.state.shimPid = 0;
        rec.state.shimStartTime = 0;
      });
    }
    trace('shim: cleaned up');
    this.server.sendAll(Frame.Exit, { exitCode: status.code });
    if (autoRemove) await this.runtimeDelete();
    await this.closeClients();
    await restartIfPolicy(this.ctx, this.rec, Date.now() - Date.parse(this.rec.state.startedAt), (r) => relaunch(this.ctx, r), log);
    process.exit(0);
  }

  /** The runtime directory: before the record lets another shim take the container over. */
  private removeRunDir(): void {
    fs.rmSync(this.runDir, { recursive: true, force: true });
  }

  private async runtimeDelete(): Promise<void> {
    await runtimeDelete(this.rt, this.rec.id, true).catch((err) => log(`runc delete: ${(err as Error).message}`));
  }

  /** runc's state of the container (unless told to leave it for later), then its root mount. */
  private async cleanup(withRuntime = true): Promise<void> {
    if (withRuntime) await this.runtimeDelete();
    try {
      unmountRootfs(this.ctx, this.rec.id);
    } catch (err) {
      log((err as Error).message);
    }
  }

  /** Ends every client connection, giving each a bounded time to read what is queued. */
  private async closeClients(): Promise<void> {
    this.server.close();
    const waits = [...this.server.clients].map(
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

  /** runc create failed: record nothing as running, tell the CLI why, clean up, exit. */
  private async failBeforeStart(err: unknown): Promise<void> {
    const message = (err as Error).message;
    const exitCode = (err as { exitCode?: number }).exitCode ?? 125;
    log(`create failed: ${message}`);
    // This is the way out: a container started meanwhile and stopped below is not finished twice.
    this.finishing = true;
    this.server.close();
    // (Recorded as running when runc did start it: that comes first, then this.)
    await this.started?.catch(() => undefined);
    await this.cleanup();
    this.removeRunDir();
    // The launcher's client hears it once it is attached (its Start gets this error).
    await this.launcherSettled;
    await updateContainer(this.ctx, this.rec.id, (rec) => {
      rec.state.shimPid = 0;
      rec.state.shimStartTime = 0;
      rec.state.error = message;
      if (rec.state.status === 'running') {
        // runc started it, then the shim could not go on (its socket): it was stopped above.
        rec.state.status = 'exited';
        rec.state.pid = 0;
        rec.state.exitCode = exitCode;
        rec.state.finishedAt = new Date().toISOString();
      }
      if (exitCode === 126 || exitCode === 127) {
        // The container "ran" and failed to exec, as podman records it.
        rec.state.status = 'exited';
        rec.state.exitCode = exitCode;
        rec.state.finishedAt = new Date().toISOString();
      }
    }).catch((e) => log(`cannot record the failure: ${(e as Error).message}`));
    const reported = report({ event: 'error', message, exitCode });
    this.server.sendAll(Frame.Error, { message, exitCode });
    await Promise.all([reported, this.closeClients()]);
    process.exit(0);
  }
}

/** What the launcher sent after its options line (its first attach frames, launcherAttached). */
let pendingInput: Buffer = Buffer.alloc(0);

process.on('uncaughtException', (err) => {
  log(`shim failed: ${err.stack}`);
  process.exit(1);
});
// Set by bin/pman for a shim it starts ahead of the CLI (lib/shim/channel.ts).
const standbyPath = process.env._PMAN_STANDBY_LISTEN;
const standbyParent = Number(process.env._PMAN_STANDBY_PARENT);
delete process.env._PMAN_STANDBY_LISTEN;
delete process.env._PMAN_STANDBY_PARENT;
openChannel(standbyPath ? { path: standbyPath, parent: standbyParent } : undefined)
  .then((ch) => {
    trace('shim: waiting for options');
    channel = ch ?? undefined;
    return ch ? readOptions<ShimOptions>(ch) : null;
  })
  .then((got) => {
    // No options: the CLI that launched this shim ahead of time did not need it.
    if (!got) process.exit(0);
    const opts = got.options;
    pendingInput = got.rest;
    const runDir = containerRunDir(createContext({ root: opts.root, runroot: opts.runroot }), opts.id);
    try {
      fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
      logFd = fs.openSync(path.join(runDir, 'shim.log'), 'a', 0o600);
    } catch {
      /* keep stderr */
    }
    return new Shim(opts).run();
  })
  .catch((err) => {
    log(`shim failed: ${(err as Error).stack}`);
    void report({ event: 'error', message: `container shim failed: ${(err as Error).message}`, exitCode: 125 }).then(() => process.exit(1));
  });
