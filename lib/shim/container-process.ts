// The container's init process as the shim drives it through runc: created (or created and
// started in one `runc run --detach`) with the shim's stdio, started once, signalled, and its exit
// status collected (the shim is its subreaper).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { warmRuncAttach } from '../cgroup/attach-warmup.js';
import { native, type WaitResult } from '../native/native.js';
import { runRuntime, runtimeDelete, runtimeError, runtimeExit, runtimeMessage, spawnRuntime, type RuntimeOptions } from '../oci/runtime.js';
import { containerDir } from '../state/paths.js';
import { trace } from '../util/trace.js';
import type { ContainerIO } from './container-io.js';
import type { Log } from './shim-log.js';
import { failpoint } from '../util/failpoint.js';

/** The exit code of `pman run` when runc cannot create or start the container, as podman's. */
const OCI_RUNTIME_ERROR = 126;

export class ContainerProcess {
  pid = 0;
  /** Set once the container is being started: resolves once it runs and is recorded so. */
  started: Promise<void> | undefined;
  exitStatus: WaitResult | undefined;
  /** `run --preserve-fds`: the shim's descriptors given to the container as 3, 4 … (closed here once runc has them). */
  preserved: number[] = [];

  constructor(
    private readonly ctx: Context,
    private readonly id: string,
    readonly rt: RuntimeOptions,
    private readonly runDir: string,
    private readonly log: Log,
  ) {}

  /** What a client's Welcome says of the container. */
  get status(): 'exited' | 'running' | 'created' {
    return this.exitStatus ? 'exited' : this.started ? 'running' : 'created';
  }

  /**
   * `runc create`, or `runc run --detach` (created and started in one runc process), with `io` as
   * its stdio; sets the init pid. `meanwhile` is called once runc is spawned, while it works.
   */
  async create(verb: 'create' | 'run', io: ContainerIO, meanwhile: () => void): Promise<void> {
    const pidFile = path.join(this.runDir, 'pid');
    fs.rmSync(this.rt.logFile!, { force: true });
    const args = [...(verb === 'run' ? ['--detach'] : []), '--bundle', containerDir(this.ctx, this.id), '--pid-file', pidFile];
    const preserved = this.preserved;
    this.preserved = [];
    if (preserved.length) args.push('--preserve-fds', String(preserved.length));
    if (io.consoleSocket) args.push('--console-socket', io.consoleSocket);
    args.push(this.id);
    // A stale runc state (crash, or a previous run that was not cleaned) would make create fail;
    // only then is it worth a runc call.
    if (fs.existsSync(path.join(this.rt.root, this.id))) await runtimeDelete(this.rt, this.id, true).catch(() => undefined);
    // The kernel's wait before runc's first cgroup.procs write passes while runc starts up.
    const warm = warmRuncAttach(this.ctx.rootless);
    const exited = runtimeExit(this.rt, spawnRuntime(this.rt, verb, args, { stdio: [...io.childStdio, ...preserved] }));
    meanwhile();
    const code = await exited.finally(warm);
    io.closeChildEnds();
    for (const fd of preserved) fs.closeSync(fd);
    if (code !== 0) throw runtimeError(verb === 'run' ? 'start the container' : 'create the container', runtimeMessage(this.rt), OCI_RUNTIME_ERROR);
    this.pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  }

  /** The container is being started by `runc run` already; `running` resolves once it is recorded. */
  startedBy(running: Promise<void>): void {
    this.started = running;
    this.started.catch(() => undefined);
  }

  /** runc start, once, for a created container; then `onRunning` (which records it). */
  start(onRunning: () => Promise<void>): Promise<void> {
    this.started ??= (async () => {
      await this.startCreated();
      failpoint('start.after-runc-start');
      await onRunning();
    })();
    return this.started;
  }

  /** `runc start` of the created container, nothing else (for a caller that records the start itself). */
  async startCreated(): Promise<void> {
    trace('shim: start');
    const r = await runRuntime(this.rt, ['start', this.id]);
    trace('shim: started');
    if (r.code !== 0) throw runtimeError('start the container', runtimeMessage(this.rt, r.stderr), OCI_RUNTIME_ERROR);
  }

  signal(sig: string): void {
    if (this.pid <= 0 || this.exitStatus) return;
    try {
      process.kill(this.pid, sig as NodeJS.Signals);
    } catch (err) {
      this.log(`cannot send ${sig} to the container: ${(err as Error).message}`);
    }
  }

  /** SIGCHLD: the container's exit status, returned the one time it is collected. */
  reap(): WaitResult | undefined {
    if (this.pid <= 0 || this.exitStatus) return undefined;
    const r = native().waitpid(this.pid);
    if (r) this.exitStatus = r;
    return r ?? undefined;
  }
}
