// The shim's attach socket: accepts any number of clients, fans container output out to them,
// relays their input, and keeps one slow client from hurting anyone else.
//
// Flow control: the client that started the container in the foreground ("primary": `run`
// without -d, `start -a`) gets lossless, flow-controlled output — when it falls behind, the shim
// stops reading the container's output, exactly as a pipe to a slow reader blocks a local process.
// Every other client gets at most SECONDARY_LIMIT bytes of unread output buffered; past that it is
// sent a notice and disconnected, and the container, the log and other clients go on.
import net from 'node:net';
import { exitCodeOf } from '../errors.js';
import {
  encodeFrame,
  Frame,
  FrameDecoder,
  frameHeader,
  parseJson,
  ProtocolError,
  PROTOCOL_VERSION,
  type HelloMsg,
  type ResizeMsg,
  type SignalMsg,
  type WelcomeMsg,
} from './protocol.js';
import { listenOwnerOnly } from './socket-path.js';

export const PRIMARY_HIGH_WATER = 4 << 20;
export const SECONDARY_LIMIT = 8 << 20;

export class Client {
  hello?: HelloMsg;
  primary = false;
  closed = false;
  /** Set when the client was cut off for being too slow: no more output is queued. */
  dropped = false;
  readonly decoder = new FrameDecoder('client');
  constructor(readonly socket: net.Socket) {}

  send(type: Frame, payload?: Buffer | string | object): void {
    if (this.closed || this.dropped) return;
    this.socket.write(encodeFrame(type, payload));
  }

  /** Queues a data frame without copying the payload. */
  sendData(type: Frame, data: Buffer): void {
    if (this.closed || this.dropped) return;
    this.socket.cork();
    this.socket.write(frameHeader(type, data.length));
    this.socket.write(data);
    this.socket.uncork();
  }

  get backlog(): number {
    return this.socket.writableLength;
  }
}

export interface AttachHandlers {
  /** A client said hello; return the welcome or throw to refuse (message goes to the client). */
  onHello(client: Client, hello: HelloMsg): WelcomeMsg | Promise<WelcomeMsg>;
  onStdin(client: Client, data: Buffer): void;
  onStdinClose(client: Client): void;
  onResize(client: Client, size: ResizeMsg): void;
  onStart(client: Client): void;
  onSignal(client: Client, msg: SignalMsg): void;
  onDetach(client: Client): void;
  onClose(client: Client): void;
  log(message: string): void;
}

export class AttachServer {
  readonly clients = new Set<Client>();
  private readonly server: net.Server;
  /** Called when the primary client has drained enough for output reading to resume. */
  onPrimaryDrain: () => void = () => undefined;

  constructor(private readonly h: AttachHandlers) {
    this.server = net.createServer((sock) => this.accept(sock));
  }

  listen(socketPath: string): Promise<void> {
    return listenOwnerOnly(this.server, socketPath);
  }

  /** Stops accepting clients (the socket's path is unlinked); connected clients stay. */
  close(): void {
    if (this.server.listening) this.server.close();
  }

  /** Fans one chunk of container output out. Returns false when the primary client is backed up. */
  broadcast(type: Frame.Stdout | Frame.Stderr, data: Buffer): boolean {
    let ok = true;
    for (const c of this.clients) {
      if (!c.hello || c.closed || c.dropped || c.hello.kind !== 'attach') continue;
      if (type === Frame.Stdout ? !c.hello.stdout : !c.hello.stderr) continue;
      c.sendData(type, data);
      if (c.primary) {
        if (c.backlog > PRIMARY_HIGH_WATER) ok = false;
      } else if (c.backlog > SECONDARY_LIMIT) {
        this.drop(c, `output not read fast enough: more than ${SECONDARY_LIMIT >> 20} MiB unread, disconnected`);
      }
    }
    return ok;
  }

  /** Sends a frame to every attach client (exit, notices). */
  sendAll(type: Frame, payload?: object): void {
    for (const c of this.clients) if (c.hello?.kind === 'attach') c.send(type, payload);
  }

  private drop(c: Client, message: string): void {
    c.send(Frame.Notice, { message });
    c.dropped = true;
    this.h.log(`attach client dropped: ${message}`);
    c.socket.end();
    setTimeout(() => c.socket.destroy(), 30_000).unref();
  }

  /**
   * Takes an already connected socket as a client (the launching CLI's end of the shim's fd 3),
   * with the bytes it sent that were read before (`initial`).
   */
  adopt(sock: net.Socket, initial: Buffer): Client {
    const c = this.accept(sock);
    if (initial.length > 0) this.receive(c, initial);
    sock.resume();
    return c;
  }

  private accept(sock: net.Socket): Client {
    const c = new Client(sock);
    this.clients.add(c);
    sock.on('data', (chunk: Buffer) => this.receive(c, chunk));
    sock.on('drain', () => {
      if (c.primary) this.onPrimaryDrain();
    });
    sock.on('end', () => {
      // Half-close from the client = end of its input.
      if (c.hello?.stdin && !c.closed) this.h.onStdinClose(c);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      c.closed = true;
      this.clients.delete(c);
      this.h.onClose(c);
      if (c.primary) this.onPrimaryDrain();
    });
    return c;
  }

  private receive(c: Client, chunk: Buffer): void {
    let frames;
    try {
      frames = c.decoder.push(chunk);
    } catch (err) {
      this.reject(c, err);
      return;
    }
    for (const f of frames) {
      try {
        this.handle(c, f.type, f.payload);
      } catch (err) {
        this.reject(c, err);
        return;
      }
    }
  }

  private reject(c: Client, err: unknown): void {
    const message = err instanceof ProtocolError ? `protocol error: ${err.message}` : (err as Error).message;
    this.h.log(`closing client: ${message}`);
    c.send(Frame.Error, { message, exitCode: exitCodeOf(err) });
    c.closed = true;
    c.socket.end();
    setTimeout(() => c.socket.destroy(), 1000).unref();
  }

  private handle(c: Client, type: Frame, payload: Buffer): void {
    if (c.closed) return;
    if (!c.hello) {
      if (type !== Frame.Hello) throw new ProtocolError('the first frame must be Hello');
      const hello = parseJson<HelloMsg>(payload, 'Hello');
      if (hello.version !== PROTOCOL_VERSION) {
        throw new ProtocolError(`protocol version ${hello.version} is not supported (shim speaks ${PROTOCOL_VERSION})`);
      }
      if (hello.kind !== 'attach' && hello.kind !== 'exec' && hello.kind !== 'healthcheck') throw new ProtocolError(`unknown client kind "${hello.kind}"`);
      c.hello = { ...hello, stdin: !!hello.stdin, stdout: hello.stdout !== false, stderr: hello.stderr !== false };
      Promise.resolve()
        .then(() => this.h.onHello(c, c.hello!))
        .then((welcome) => c.send(Frame.Welcome, welcome))
        .catch((err) => this.reject(c, err));
      return;
    }
    switch (type) {
      case Frame.Stdin:
        if (!c.hello.stdin) throw new ProtocolError('this client did not ask for stdin');
        this.h.onStdin(c, payload);
        return;
      case Frame.StdinClose:
        if (c.hello.stdin) this.h.onStdinClose(c);
        return;
      case Frame.Resize: {
        const r = parseJson<ResizeMsg>(payload, 'Resize');
        if (!Number.isInteger(r.rows) || !Number.isInteger(r.cols) || r.rows < 0 || r.cols < 0 || r.rows > 65535 || r.cols > 65535) {
          throw new ProtocolError('malformed Resize frame: rows and cols must be integers 0-65535');
        }
        this.h.onResize(c, r);
        return;
      }
      case Frame.Start:
        this.h.onStart(c);
        return;
      case Frame.Signal: {
        const s = parseJson<SignalMsg>(payload, 'Signal');
        if (typeof s.signal !== 'string') throw new ProtocolError('malformed Signal frame');
        this.h.onSignal(c, s);
        return;
      }
      case Frame.Detach:
        this.h.onDetach(c);
        return;
      case Frame.Hello:
        throw new ProtocolError('Hello sent twice');
      default:
        throw new ProtocolError(`unexpected frame type 0x${(type as number).toString(16)}`);
    }
  }
}
