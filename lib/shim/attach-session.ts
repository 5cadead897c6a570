// A client joined to the container's own stdio (`pman attach`, `start -a`, a foreground `run`):
// its input goes to the container's stdin, its resizes to the pty, its signals to the container,
// and its Start starts a created container.
import type { ContainerRecord } from '../state/container-record.js';
import type { Client } from './attach-server.js';
import type { ContainerIO } from './container-io.js';
import type { ContainerProcess } from './container-process.js';
import { Frame, PROTOCOL_VERSION } from './protocol.js';
import type { Session } from './session-router.js';

export interface ContainerSide {
  rec: ContainerRecord;
  io: ContainerIO;
  proc: ContainerProcess;
  /** The terminal size asked for last (the pty gets it when it arrives, and on each change). */
  winsize: { rows: number; cols: number };
  /** The client sent Start. */
  start(client: Client): void;
}

export function containerStdioSession(c: Client, side: ContainerSide): Session {
  const { rec, io, proc } = side;
  let refusedInput = false;
  return {
    welcome: () => ({ version: PROTOCOL_VERSION, tty: rec.config.tty, interactive: rec.config.interactive, status: proc.status }),
    stdin(data) {
      if (!io.write || !rec.config.interactive) {
        // Refused, not silently dropped: the container has no open input.
        if (!refusedInput) c.send(Frame.Notice, { message: `container "${rec.name}" was not started with -i: input is discarded` });
        refusedInput = true;
        return;
      }
      c.socket.pause();
      io.write(data, () => c.socket.resume());
    },
    stdinClose() {
      if (!rec.config.tty) io.closeInput?.();
    },
    resize(size) {
      side.winsize.rows = size.rows;
      side.winsize.cols = size.cols;
      io.resize?.(size.rows, size.cols);
    },
    start: () => side.start(c),
    signal: (sig) => proc.signal(sig),
    detach: () => undefined,
    close: () => undefined,
  };
}
