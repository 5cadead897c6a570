// The whole client <-> shim protocol (docs/shim-protocol.md), shared by the CLI and the shim: the
// launch handshake (ShimOptions in, one ShimReport out, one JSON line each) and the attach
// connection's frames: [type u8][length u32 BE][payload]. Control frames carry JSON; data frames
// carry raw bytes.
import type { ContainerRecord } from '../state/container-record.js';
import type { EngineOptions } from '../context.js';

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
  /**
   * attach: join the container's stdio; exec: run a new process (see ExecRequest); healthcheck:
   * run the container's health probe now (`pman healthcheck run`), answered with Exit.
   */
  kind: 'attach' | 'exec' | 'healthcheck';
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

/** The Exit frame's payload for a healthcheck client: the probe's result and the health after it. */
export interface HealthExitMsg extends ExitMsg {
  status: 'starting' | 'healthy' | 'unhealthy';
  output: string;
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

// ---- The launch handshake (lib/shim/launch.ts on the CLI's side, lib/shim/channel.ts on the shim's)

/** What the launching CLI tells a shim: the first line on the launch channel. */
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
   * The CLI that launched this shim stays on the launch channel as the container's first, primary
   * attach client (foreground `run`): the container starts at once, its output waits for that
   * client's Start.
   */
  launcherAttached?: boolean;
  /** The container's record as the CLI has just written it (spares reading and validating it). */
  record?: ContainerRecord;
  /** The launching command's --runtime-flag, --network-cmd-path, --network-config-dir, --volumepath. */
  engine?: EngineOptions;
  /**
   * `run --preserve-fds N`: the shim (spawned for it, never the standby one) holds the launching
   * command's descriptors 3..3+N-1 as its 4..4+N-1 and gives them to runc's container as 3.. .
   */
  preservedFds?: number;
}

/** The count of preserved descriptors of a shim spawned with them, set in its environment: the shim keeps them open before its options are read. */
export const PRESERVED_FDS_ENV = '_PMAN_PRESERVED_FDS';

/** The one line the shim answers with on the launch channel (unless the launcher stays attached). */
export type ShimReport =
  | { event: 'created'; pid: number }
  | { event: 'started'; pid: number }
  | { event: 'error'; message: string; exitCode: number };

/** One handshake message as its line. */
export function encodeLine(msg: ShimOptions | ShimReport): string {
  return `${JSON.stringify(msg)}\n`;
}

/**
 * The options line at the start of `got`: the options and what came after them (a foreground
 * run's first attach frames); 'partial' until a whole line is there; null when it is malformed.
 */
export function decodeOptions(got: Buffer): { options: ShimOptions; rest: Buffer } | 'partial' | null {
  const nl = got.indexOf(0x0a);
  if (nl < 0) return 'partial';
  try {
    return { options: JSON.parse(got.toString('utf8', 0, nl)) as ShimOptions, rest: got.subarray(nl + 1) };
  } catch {
    return null;
  }
}

/** The report in what the shim wrote before closing the channel; undefined when there is none. */
export function decodeReport(text: string): ShimReport | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '');
  if (!line) return undefined;
  try {
    return JSON.parse(line) as ShimReport;
  } catch {
    return undefined;
  }
}
