// One exec session as the shim holds it: the process, its stdio and who hears it (the client that
// asked for it, or the shim itself for a health probe), and the relay of its output with the
// client's back-pressure. lib/shim/exec-manager.ts starts, reaps and ends sessions.
import type { WaitResult } from '../native/native.js';
import { PRIMARY_HIGH_WATER, type Client } from './attach-server.js';
import type { ContainerIO } from './container-io.js';
import { Frame, type ExecRequest } from './protocol.js';

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
export interface OwnUse {
  output(chunk: Buffer): void;
  done(status: WaitResult): void;
}

export class ExecSession {
  pid = 0;
  status: WaitResult | undefined;
  openOutputs = 0;
  finished = false;
  constructor(
    readonly id: string,
    readonly req: ExecRequest,
    readonly io: ContainerIO,
    public client: Client | undefined,
    readonly own?: OwnUse,
  ) {}

  info(): ExecSessionInfo {
    return { ID: this.id, Command: this.req.args, Pid: this.pid, Running: true, Tty: this.req.tty, Detached: this.req.detach };
  }

  /**
   * Relays each output to the shim's own use and to the client (pausing the outputs while the
   * client's socket is backed up); `outputEnded` runs once per output when it ends or fails.
   */
  relayOutput(outputEnded: () => void): void {
    for (const src of this.io.outputs) {
      this.openOutputs++;
      const type = src.stream === 'stdout' ? Frame.Stdout : Frame.Stderr;
      src.readable.on('data', (chunk: Buffer) => {
        this.own?.output(chunk);
        const c = this.client;
        if (!c || c.closed) return;
        c.sendData(type, chunk);
        if (c.backlog > PRIMARY_HIGH_WATER) {
          for (const o of this.io.outputs) o.readable.pause();
          c.socket.once('drain', () => this.io.outputs.forEach((o) => o.readable.resume()));
        }
      });
      let ended = false;
      const done = () => {
        if (ended) return;
        ended = true;
        this.openOutputs--;
        outputEnded();
      };
      src.readable.on('end', done);
      src.readable.on('close', done);
      src.readable.on('error', done);
    }
  }

  /** Stops reading the outputs (the process is gone, or its reader is). */
  dropOutputs(): void {
    for (const o of this.io.outputs) o.readable.destroy();
  }
}
