// The container's output, pumped from its pipes or pty to its log and its attach clients. When
// the primary client falls behind, reading stops until it has drained (the container then blocks
// on a full pipe, as with a slow local reader); see docs/shim-protocol.md for the flow control.
import type { AttachServer } from './attach-server.js';
import type { ContainerIO } from './container-io.js';
import type { LogWriter } from './log-writer.js';
import { Frame } from './protocol.js';
import type { Log } from './shim-log.js';

export class OutputPump {
  private open = 0;
  private wired = false;

  constructor(
    private readonly io: ContainerIO,
    private readonly logWriter: LogWriter,
    private readonly server: AttachServer,
    /** Called each time an output reaches its end (the exit sequence waits for all of them). */
    private readonly onEnded: () => void,
    private readonly log: Log,
  ) {}

  /** Whether an output has not reached its end yet. */
  get pending(): boolean {
    return this.open > 0;
  }

  /** Starts reading (once): each chunk to the log, then to the clients. */
  wire(): void {
    if (this.wired) return;
    this.wired = true;
    for (const src of this.io.outputs) {
      this.open++;
      const type = src.stream === 'stdout' ? Frame.Stdout : Frame.Stderr;
      src.readable.on('data', (chunk: Buffer) => {
        this.logWriter.write(src.stream, chunk);
        if (!this.server.broadcast(type, chunk)) this.pause();
      });
      let ended = false;
      const done = () => {
        if (ended) return;
        ended = true;
        this.open--;
        this.onEnded();
      };
      src.readable.on('end', done);
      src.readable.on('close', done);
      // EIO on a pty master = the terminal's other side is gone.
      src.readable.on('error', done);
    }
  }

  private pause(): void {
    for (const s of this.io.outputs) s.readable.pause();
  }

  /** The primary client drained (or went): reading goes on unless it is still behind. */
  resume(): void {
    const primary = [...this.server.clients].find((c) => c.primary && !c.closed);
    if (primary && primary.backlog > 0) return;
    for (const s of this.io.outputs) s.readable.resume();
  }

  /** After the container's exit: outputs still open after `ms` are closed. */
  closeAfter(ms: number): void {
    setTimeout(() => {
      if (this.open > 0) {
        this.log('outputs did not reach EOF after exit; closing them');
        for (const s of this.io.outputs) s.readable.destroy();
        this.open = 0;
        this.onEnded();
      }
    }, ms).unref();
  }
}
