// Exec sessions (`pman exec`), run by the container's own shim: no new long-lived process per
// session. Each session is `runc exec --detach` with a process spec file (and a console socket for
// -t); the process is re-parented to the shim (subreaper), which reaps it, relays its stdio over
// the requesting client's connection only (never to the container log, as in podman) and sends
// its exit code.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { RuntimeError } from '../errors.js';
import { native, type WaitResult } from '../native/native.js';
import type { RuntimeOptions } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { newId } from '../state/ids.js';
import { PRIMARY_HIGH_WATER, type Client } from './attach-server.js';
import { pipeIO, ttyIO, type ContainerIO } from './container-io.js';
import { Frame, PROTOCOL_VERSION, type ExecRequest, type HelloMsg, type ResizeMsg, type WelcomeMsg } from './protocol.js';
import { containerProcessRequest, runcExec } from './exec-process.js';
import { socketAddress } from './socket-path.js';
import { trace } from '../util/trace.js';
import { containerEvents } from '../events/events-file.js';

/** What `pman inspect` shows of a live session (written to <rundir>/execs/<id>.json). */
export interface ExecSessionInfo {
  ID: string;
  Command: string[];
  Pid: number;
  Running: boolean;
  Tty: boolean;
  Detached: boolean;
}

/** What a session run by the shim itself (a health probe) does with its output and its end. */
interface OwnUse {
  output(chunk: Buffer): void;
  done(status: WaitResult): void;
}

/** The result of a health probe run as an exec session. */
export interface ProbeResult {
  exitCode: number;
  output: Buffer;
  timedOut: boolean;
}

class Session {
  pid = 0;
  status: WaitResult | undefined;
  openOutputs = 0;
  finished = false;
  own: OwnUse | undefined;
  constructor(
    readonly id: string,
    readonly req: ExecRequest,
    readonly io: ContainerIO,
    public client: Client | undefined,
  ) {}
}

export class ExecManager {
  private readonly sessions = new Map<string, Session>();
  private readonly byClient = new Map<Client, Session>();
  private containerRunning = false;
  /** Set once the container is gone: sessions still open end with that reason. */
  private stopping = false;
  readonly execDir: string;

  constructor(
    readonly ctx: Context,
    readonly rec: ContainerRecord,
    readonly rt: RuntimeOptions,
    readonly runDir: string,
    readonly log: (m: string) => void,
  ) {
    this.execDir = path.join(runDir, 'execs');
  }

  /** Called by the shim once the container runs (exec is refused before and after). */
  setRunning(running: boolean): void {
    this.containerRunning = running;
    if (!running && this.sessions.size > 0) this.stopping = true;
  }

  async open(c: Client, hello: HelloMsg): Promise<WelcomeMsg> {
    trace('shim exec: hello');
    const req = hello.exec;
    if (!req || !Array.isArray(req.args) || req.args.length === 0 || !req.args.every((a) => typeof a === 'string')) {
      throw new RuntimeError('malformed exec request: args must be a non-empty list of strings');
    }
    if (!this.containerRunning) throw new RuntimeError(`cannot exec in container "${this.rec.name}": it is not running`);
    const id = newId();
    fs.mkdirSync(this.execDir, { recursive: true, mode: 0o700 });
    const io = req.tty
      ? await ttyIO(socketAddress(this.execDir, `${id.slice(0, 12)}.sock`), () => ({ rows: req.rows ?? 0, cols: req.cols ?? 0 }))
      : pipeIO(hello.stdin && !req.detach);
    const s = new Session(id, req, io, req.detach ? undefined : c);
    await this.launch(s);
    if (s.client) this.byClient.set(c, s);
    await io.ready;
    this.wire(s);
    this.writeInfo(s);
    containerEvents(this.ctx, this.rec, ['exec'], { Attributes: { execID: id } });
    // The process may already have exited (and been missed by a SIGCHLD before we knew its pid).
    this.reap();
    // The client may have gone while runc was starting the process: treat it as gone now.
    if (c.closed && s.client === c) this.clientGone(c);
    setImmediate(() => c.send(Frame.Started, { pid: s.pid }));
    return { version: PROTOCOL_VERSION, tty: req.tty, interactive: hello.stdin, status: 'running', execId: id };
  }

  /**
   * Runs `args` in the container as its own process would run (user, environment, working
   * directory), with no client: a health probe. Output is kept up to `keepBytes`; at `timeoutMs`
   * the probe's process group is killed. Never listed as an exec session of the container.
   */
  async probe(args: string[], timeoutMs: number, keepBytes: number): Promise<ProbeResult> {
    if (!this.containerRunning) throw new RuntimeError(`cannot run the health check of container "${this.rec.name}": it is not running`);
    const id = newId();
    fs.mkdirSync(this.execDir, { recursive: true, mode: 0o700 });
    const io = pipeIO(false);
    const s = new Session(id, containerProcessRequest(this, args), io, undefined);
    const chunks: Buffer[] = [];
    let kept = 0;
    let timedOut = false;
    const finished = new Promise<WaitResult>((resolve) => {
      s.own = {
        output: (chunk) => {
          if (kept >= keepBytes) return;
          chunks.push(chunk.subarray(0, keepBytes - kept));
          kept += Math.min(chunk.length, keepBytes - kept);
        },
        done: resolve,
      };
    });
    await this.launch(s);
    await io.ready;
    this.wire(s);
    this.reap();
    const timer = setTimeout(() => {
      if (s.status) return;
      timedOut = true;
      killGroup(s.pid);
    }, timeoutMs);
    try {
      const status = await finished;
      return { exitCode: status.code, output: Buffer.concat(chunks), timedOut };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `runc exec` of the session's process; the session is known (and reaped) from then on. */
  private async launch(s: Session): Promise<void> {
    try {
      s.pid = await runcExec(this, s.id, s.req, s.io);
    } catch (err) {
      s.io.closeChildEnds();
      for (const o of s.io.outputs) o.readable.destroy();
      throw err;
    }
    this.sessions.set(s.id, s);
  }

  private wire(s: Session): void {
    for (const src of s.io.outputs) {
      s.openOutputs++;
      const type = src.stream === 'stdout' ? Frame.Stdout : Frame.Stderr;
      src.readable.on('data', (chunk: Buffer) => {
        s.own?.output(chunk);
        const c = s.client;
        if (!c || c.closed) return;
        c.sendData(type, chunk);
        if (c.backlog > PRIMARY_HIGH_WATER) {
          for (const o of s.io.outputs) o.readable.pause();
          c.socket.once('drain', () => s.io.outputs.forEach((o) => o.readable.resume()));
        }
      });
      let ended = false;
      const done = () => {
        if (ended) return;
        ended = true;
        s.openOutputs--;
        this.maybeFinish(s);
      };
      src.readable.on('end', done);
      src.readable.on('close', done);
      src.readable.on('error', done);
    }
  }

  stdin(c: Client, data: Buffer): void {
    const s = this.byClient.get(c);
    if (!s?.io.write) return;
    c.socket.pause();
    s.io.write(data, () => c.socket.resume());
  }

  stdinClose(c: Client): void {
    const s = this.byClient.get(c);
    if (s && !s.req.tty) s.io.closeInput?.();
  }

  resize(c: Client, size: ResizeMsg): void {
    this.byClient.get(c)?.io.resize?.(size.rows, size.cols);
  }

  signal(c: Client, sig: string): void {
    const s = this.byClient.get(c);
    if (!s || s.status) return;
    try {
      process.kill(s.pid, sig as NodeJS.Signals);
    } catch (err) {
      this.log(`exec ${s.id.slice(0, 12)}: cannot send ${sig}: ${(err as Error).message}`);
    }
  }

  /** The client detached on purpose: the session runs on, its output is read and dropped. */
  detach(c: Client): void {
    const s = this.byClient.get(c);
    if (!s) return;
    this.byClient.delete(c);
    s.client = undefined;
  }

  /**
   * The client went away mid-session: a terminal session's pty is closed (the process gets
   * SIGHUP); a piped one gets EOF on stdin and its output pipes close. It is still reaped here.
   */
  clientGone(c: Client): void {
    const s = this.byClient.get(c);
    if (!s) return;
    this.byClient.delete(c);
    s.client = undefined;
    if (s.status) return;
    s.io.closeInput?.();
    for (const o of s.io.outputs) o.readable.destroy();
    if (s.req.tty) {
      try {
        process.kill(s.pid, 'SIGHUP');
      } catch {
        /* already gone */
      }
    }
  }

  /** SIGCHLD: collect every finished exec process. */
  reap(): void {
    for (const s of this.sessions.values()) {
      if (s.status || s.pid <= 0) continue;
      const r = native().waitpid(s.pid);
      if (!r) continue;
      trace('shim exec: reaped');
      s.status = r;
      // Give the outputs a bounded time to drain: a background child of the exec'd process may
      // hold the pipe open after the process itself is gone.
      setTimeout(() => {
        if (s.openOutputs > 0) {
          for (const o of s.io.outputs) o.readable.destroy();
          s.openOutputs = 0;
          this.maybeFinish(s);
        }
      }, 1000).unref();
      if (r.signal === 9 && this.containerRunning) {
        // When the container's init dies the kernel kills its other processes first, and init's
        // own exit is reapable only after they are: so a SIGKILLed session may be the first sign
        // of the container stopping. Wait a moment to be able to tell the client why.
        setTimeout(() => this.maybeFinish(s), 200);
      } else this.maybeFinish(s);
    }
  }

  private maybeFinish(s: Session): void {
    if (!s.status || s.openOutputs > 0 || s.finished) return;
    const reason = this.stopping ? `container "${this.rec.name}" stopped while the exec session was running` : undefined;
    s.finished = true;
    this.sessions.delete(s.id);
    fs.rmSync(path.join(this.execDir, `${s.id}.json`), { force: true });
    s.own?.done(s.status);
    if (!s.own) containerEvents(this.ctx, this.rec, ['exec_died'], { ExitCode: s.status.code, Attributes: { execID: s.id } });
    const c = s.client;
    if (c && !c.closed) {
      trace('shim exec: exit sent');
      c.send(Frame.Exit, { exitCode: s.status.code, ...(reason ? { reason } : {}) });
      c.socket.end();
    }
    if (c) this.byClient.delete(c);
  }

  private writeInfo(s: Session): void {
    const info: ExecSessionInfo = { ID: s.id, Command: s.req.args, Pid: s.pid, Running: true, Tty: s.req.tty, Detached: s.req.detach };
    fs.writeFileSync(path.join(this.execDir, `${s.id}.json`), JSON.stringify(info), { mode: 0o600 });
  }

  /**
   * The container stopped: its exec processes die with its PID namespace. Wait (bounded) until
   * each is reaped and its client told, with the reason.
   */
  async containerExited(): Promise<void> {
    this.setRunning(false);
    const deadline = Date.now() + 3000;
    while (this.sessions.size > 0 && Date.now() < deadline) {
      this.reap();
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const s of this.sessions.values()) {
      s.status ??= { pid: s.pid, code: 137, signal: 9 };
      for (const o of s.io.outputs) o.readable.destroy();
      s.openOutputs = 0;
      this.maybeFinish(s);
    }
  }
}

/** SIGKILL to a probe and whatever it started in its process group (runc makes it a session leader). */
function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* no such group, or already gone */
    }
  }
}
