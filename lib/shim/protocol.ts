// The whole client <-> shim protocol (docs/shim-protocol.md), shared by the CLI and the shim.
// A connection to a container's attach socket carries frames: [type u8][length u32 BE][payload].
// Control frames carry JSON; data frames carry raw bytes.

export const PROTOCOL_VERSION = 1;
/** Largest payload accepted in one frame; a bigger length is a protocol error. */
export const MAX_FRAME = 1 << 20;
export const HEADER_SIZE = 5;

export const enum Frame {
  // client -> shim
  Hello = 0x01,
  Stdin = 0x02,
  StdinClose = 0x03,
  Resize = 0x04,
  Start = 0x05,
  Signal = 0x06,
  /** The client detaches on purpose: an exec session goes on without it (no SIGHUP, no EOF). */
  Detach = 0x07,
  // shim -> client
  Stdout = 0x81,
  Stderr = 0x82,
  Exit = 0x83,
  Error = 0x84,
  Started = 0x85,
  Notice = 0x86,
  Welcome = 0x87,
}

const CLIENT_TYPES = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
const SHIM_TYPES = new Set([0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87]);

/** First frame of every connection. */
export interface HelloMsg {
  version: number;
  /** attach: join the container's stdio; exec: run a new process (see ExecRequest). */
  kind: 'attach' | 'exec';
  /** Whether this client sends input. */
  stdin: boolean;
  /** Whether the client wants output frames at all. */
  stdout: boolean;
  stderr: boolean;
  /** For kind=exec. */
  exec?: ExecRequest;
}

export interface ExecRequest {
  args: string[];
  env: string[];
  cwd: string;
  user: { uid: number; gid: number; additionalGids: number[] };
  tty: boolean;
  privileged: boolean;
  detach: boolean;
  rows?: number;
  cols?: number;
}

/** Shim's answer to Hello: what the container looks like. */
export interface WelcomeMsg {
  version: number;
  tty: boolean;
  interactive: boolean;
  status: string;
  /** For exec: the session ID. */
  execId?: string;
}

export interface ResizeMsg {
  rows: number;
  cols: number;
}

export interface SignalMsg {
  signal: string;
}

export interface ExitMsg {
  exitCode: number;
  /** Set when the process could not be run at all (e.g. exec of a missing command). */
  error?: string;
  /** Set when the container stopped underneath an exec session. */
  reason?: string;
}

export interface ErrorMsg {
  message: string;
  exitCode: number;
}

export interface StartedMsg {
  pid: number;
}

export interface NoticeMsg {
  message: string;
}

export function encodeFrame(type: Frame, payload?: Buffer | string | object): Buffer {
  const body =
    payload === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const head = Buffer.allocUnsafe(HEADER_SIZE);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Writes header and payload without copying the payload (hot path for output). */
export function frameHeader(type: Frame, length: number): Buffer {
  const head = Buffer.allocUnsafe(HEADER_SIZE);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(length, 1);
  return head;
}

export class ProtocolError extends Error {}

export interface DecodedFrame {
  type: Frame;
  payload: Buffer;
}

/**
 * Incremental frame decoder. `side` says which frame types are valid from the peer: a shim
 * decodes client frames, a client decodes shim frames. Throws ProtocolError on a bad frame.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly from: 'client' | 'shim') {}

  push(chunk: Buffer): DecodedFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: DecodedFrame[] = [];
    let off = 0;
    while (this.buf.length - off >= HEADER_SIZE) {
      const type = this.buf.readUInt8(off);
      const len = this.buf.readUInt32BE(off + 1);
      const valid = this.from === 'client' ? CLIENT_TYPES : SHIM_TYPES;
      if (!valid.has(type)) throw new ProtocolError(`unknown frame type 0x${type.toString(16)}`);
      if (len > MAX_FRAME) throw new ProtocolError(`frame of ${len} bytes exceeds the ${MAX_FRAME}-byte limit`);
      if (this.buf.length - off < HEADER_SIZE + len) break;
      out.push({ type: type as Frame, payload: this.buf.subarray(off + HEADER_SIZE, off + HEADER_SIZE + len) });
      off += HEADER_SIZE + len;
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
    return out;
  }

  /** Bytes of an unfinished frame still buffered (non-zero at EOF means a truncated frame). */
  get pending(): number {
    return this.buf.length;
  }
}

/** Parses a JSON control payload; a malformed one is a protocol error. */
export function parseJson<T>(payload: Buffer, what: string): T {
  try {
    const v = JSON.parse(payload.toString('utf8')) as unknown;
    if (v === null || typeof v !== 'object') throw new Error('not an object');
    return v as T;
  } catch (err) {
    throw new ProtocolError(`malformed ${what} frame: ${(err as Error).message}`);
  }
}

/** Messages the shim writes, one JSON line each, on fd 3 to the CLI that spawned it. */
export type ShimReport =
  | { event: 'created'; pid: number }
  | { event: 'started'; pid: number }
  | { event: 'error'; message: string; exitCode: number };
