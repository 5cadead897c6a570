// Exec sessions (`pman exec`), run by the container's own shim: no new long-lived process per
// session. Each session is `runc exec --detach` with a process spec file (and a console socket for
// -t); the process is re-parented to the shim (subreaper), which reaps it, relays its stdio over
// the requesting client's connection only (never to the container log, as in podman) and sends
// its exit code.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { RuntimeError } from '../errors.js';
import { native } from '../native/native.js';
import type { RuntimeOptions } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { newId } from '../state/ids.js';
import type { Client } from './attach-server.js';
import { pipeIO, ttyIO } from './container-io.js';
import { ExecSession, type OwnUse } from './exec-session.js';
import { Frame, PROTOCOL_VERSION, type HelloMsg, type ResizeMsg, type WelcomeMsg } from './protocol.js';
import { containerProcessRequest, runcExec } from './exec-process.js';
import { socketAddress } from './socket-path.js';
import { trace } from '../util/trace.js';
import { containerEvents } from '../events/events-file.js';

export class ExecManager {
  private readonly sessions = new Map<string, ExecSession>();
  private readonly byClient = new Map<Client, ExecSession>();
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
    const s = new ExecSession(id, req, io, req.detach ? undefined : c);
    await this.start(s);
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
   * Starts a session the shim uses itself (a health probe, lib/shim/health-probe.ts): `args` run
   * as the container's own process runs, with no client; never listed as an exec session.
   */
  async startOwn(args: string[], own: OwnUse): Promise<ExecSession> {
    if (!this.containerRunning) throw new RuntimeError(`cannot run the health check of container "${this.rec.name}": it is not running`);
    fs.mkdirSync(this.execDir, { recursive: true, mode: 0o700 });
    const s = new ExecSession(newId(), containerProcessRequest(this, args), pipeIO(false), undefined, own);
    await this.start(s);
    this.reap();
    return s;
  }

  /** Launches the session's process and relays its output once its stdio is ready. */
  private async start(s: ExecSession): Promise<void> {
    await this.launch(s);
    if (s.client) this.byClient.set(s.client, s);
    await s.io.ready;
    s.relayOutput(() => this.maybeFinish(s));
  }

  /** `runc exec` of the session's process; the session is known (and reaped) from then on. */
  private async launch(s: ExecSession): Promise<void> {
    try {
      s.pid = await runcExec(this, s.id, s.req, s.io);
    } catch (err) {
      s.io.closeChildEnds();
      s.dropOutputs();
      throw err;
    }
    this.sessions.set(s.id, s);
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
    s.dropOutputs();
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
          s.dropOutputs();
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

  private maybeFinish(s: ExecSession): void {
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

  private writeInfo(s: ExecSession): void {
    fs.writeFileSync(path.join(this.execDir, `${s.id}.json`), JSON.stringify(s.info()), { mode: 0o600 });
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
      s.dropOutputs();
      s.openOutputs = 0;
      this.maybeFinish(s);
    }
  }
}
