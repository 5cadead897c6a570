// Docker's stream format: without a TTY each chunk is framed with an 8-byte header (stream type:
// 0 stdin, 1 stdout, 2 stderr; 3 zero bytes; the length as uint32 big-endian); with a TTY the bytes
// go raw. The output adapters below give the attach client (lib/container/attach-client.ts) the
// stream interface it writes a terminal through, with the client's window size for resizes.
import { Writable } from 'node:stream';

export type StreamType = 1 | 2;

export function frameHeader(type: StreamType, length: number): Buffer {
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(length, 4);
  return h;
}

/** A stream in attach-client's AttachIO.stdout/stderr place, writing into the client's connection. */
export class ClientOutput extends Writable {
  isTTY: boolean;
  rows = 0;
  columns = 0;

  constructor(
    private readonly sink: NodeJS.WritableStream & { destroyed?: boolean },
    private readonly type: StreamType | null,
    tty: boolean,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.isTTY = tty;
    // The client went away: the session sees an output error and lets go (the container goes on).
    (sink as NodeJS.EventEmitter).once('close', () => this.destroy(new Error('client connection closed')));
    this.on('error', () => undefined);
  }

  /** The client's terminal size changed (a resize request): the session sends it to the shim. */
  resize(rows: number, cols: number): void {
    this.rows = rows;
    this.columns = cols;
    this.emit('resize');
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.sink.destroyed) {
      cb(new Error('client connection closed'));
      return;
    }
    const data = this.type === null ? chunk : Buffer.concat([frameHeader(this.type, chunk.length), chunk]);
    if (this.sink.write(data)) cb();
    else this.sink.once('drain', () => cb());
  }
}
