// The client side of an attach session (run, start -a, attach, exec): connects the user's
// terminal or pipes to the shim's socket. Output is flow-controlled (nothing is dropped), the
// terminal goes raw only for a tty session on a real terminal and is restored on every exit path.
import net from 'node:net';
import { trace } from '../util/trace.js';
import type { Context } from '../context.js';
import { PmanError, RuntimeError } from '../errors.js';
import {
  encodeFrame,
  Frame,
  FrameDecoder,
  parseJson,
  PROTOCOL_VERSION,
  type ErrorMsg,
  type ExecRequest,
  type ExitMsg,
  type HelloMsg,
  type NoticeMsg,
  type WelcomeMsg,
} from '../shim/protocol.js';
import { socketAddress } from '../shim/socket-path.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerRunDir } from '../state/paths.js';
import { DetachScanner } from './parse/detach-keys.js';
import { native } from '../native/native.js';

export interface AttachIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface AttachOptions {
  io: AttachIO;
  /** Relay our stdin to the container. */
  stdin: boolean;
  /** The session has a terminal (container or exec -t). */
  tty: boolean;
  /** -a/--attach of run/create: only these streams (stdin only when also asked for); absent = all. */
  streams?: Array<'stdin' | 'stdout' | 'stderr'>;
  /** Send Start after attaching (foreground run / start -a). */
  start: boolean;
  /**
   * An open session instead of a connection to the attach socket: the launching CLI's end of the
   * shim's fd 3 (foreground run). Start then goes with the Hello, before the Welcome.
   */
  socket?: net.Socket;
  /** null: detaching disabled. */
  detachKeys: Buffer | null;
  /** Forward signals pman receives to the container / exec process. */
  sigProxy: boolean;
  /** For exec sessions. */
  exec?: ExecRequest;
  /** Sees the shim's Welcome; returning false ends the session there (exec -d). */
  onWelcome?: (w: WelcomeMsg) => boolean;
}

export type AttachResult = { kind: 'exit'; exitCode: number } | { kind: 'detached' };

const PROXIED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT', 'SIGPIPE'];

export function connectShim(ctx: Context, rec: ContainerRecord): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // In a deep runtime directory the address goes through an open fd of the directory, which
    // fails like a connect would once the shim has removed it on its way out.
    const unreachable = (err: NodeJS.ErrnoException) =>
      reject(new PmanError('invalid-state', `cannot attach to container "${rec.name}": its shim is not reachable (${err.code ?? err.message}); is it running?`, { cause: err }));
    let addr: string;
    try {
      addr = socketAddress(containerRunDir(ctx, rec.id), 'attach');
    } catch (err) {
      return unreachable(err as NodeJS.ErrnoException);
    }
    const sock = net.connect(addr);
    sock.once('connect', () => {
      trace('attach: connected');
      resolve(sock);
    });
    // Stays attached after the connect (a later error then rejects nothing): callers add their own.
    sock.once('error', unreachable);
  });
}

/** Tells a waiting shim to start its container, without attaching to its output. */
export async function sendStart(ctx: Context, rec: ContainerRecord): Promise<void> {
  const sock = await connectShim(ctx, rec);
  const hello: HelloMsg = { version: PROTOCOL_VERSION, kind: 'attach', stdin: false, stdout: false, stderr: false };
  sock.write(encodeFrame(Frame.Hello, hello));
  sock.write(encodeFrame(Frame.Start));
  await new Promise<void>((resolve, reject) => {
    const dec = new FrameDecoder('shim');
    sock.on('data', (chunk: Buffer) => {
      for (const f of dec.push(chunk)) {
        if (f.type === Frame.Started) {
          sock.destroy();
          resolve();
        } else if (f.type === Frame.Error) {
          const e = parseJson<ErrorMsg>(f.payload, 'Error');
          sock.destroy();
          reject(new RuntimeError(e.message, { exitCode: e.exitCode }));
        }
      }
    });
    sock.on('close', () => reject(new PmanError('runtime', `container "${rec.name}": the shim closed the connection before starting it`)));
  });
}

/** Runs an attach (or exec) session until the process exits or the user detaches. */
export async function attachSession(ctx: Context, rec: ContainerRecord, opts: AttachOptions): Promise<AttachResult> {
  const sock = opts.socket ?? (await connectShim(ctx, rec));
  const startSent = opts.start && opts.socket !== undefined;
  const { io } = opts;
  const wanted = (stream: 'stdin' | 'stdout' | 'stderr') => !opts.streams || opts.streams.includes(stream);
  if (!wanted('stdin')) opts = { ...opts, stdin: false };
  const rawTerminal = opts.tty && opts.stdin && io.stdin.isTTY === true;
  const cleanups: Array<() => void> = [];
  const restore = () => {
    while (cleanups.length) {
      try {
        cleanups.pop()!();
      } catch {
        /* best effort */
      }
    }
  };
  process.once('exit', restore);

  try {
    return await new Promise<AttachResult>((resolve, reject) => {
      let settled = false;
      const finish = (r: AttachResult | Error) => {
        if (settled) return;
        settled = true;
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      const dec = new FrameDecoder('shim');
      const send = (type: Frame, payload?: Buffer | object) => {
        if (!sock.destroyed) sock.write(encodeFrame(type, payload));
      };
      const hello: HelloMsg = {
        version: PROTOCOL_VERSION,
        kind: opts.exec ? 'exec' : 'attach',
        stdin: opts.stdin,
        stdout: wanted('stdout'),
        stderr: wanted('stderr'),
        exec: opts.exec,
      };
      send(Frame.Hello, hello);
      const size = () => ({ rows: io.stdout.rows || 0, cols: io.stdout.columns || 0 });
      if (opts.tty && io.stdout.isTTY) {
        const s = size();
        if (s.rows > 0 && s.cols > 0) send(Frame.Resize, s);
        const onResize = () => send(Frame.Resize, size());
        io.stdout.on('resize', onResize);
        process.on('SIGWINCH', onResize);
        cleanups.push(() => {
          io.stdout.off('resize', onResize);
          process.off('SIGWINCH', onResize);
        });
      }
      // The launcher's session: the shim is starting the container already and holds its output
      // until this Start (which makes us the primary client) arrives.
      if (startSent) send(Frame.Start);
      if (rawTerminal) {
        const fd = (io.stdin as unknown as { fd?: number }).fd ?? 0;
        const saved = native().ttyMakeRaw(fd);
        cleanups.push(() => native().ttyRestore(fd, saved));
      }
      if (opts.sigProxy) {
        for (const sig of PROXIED_SIGNALS) {
          const h = () => send(Frame.Signal, { signal: sig });
          process.on(sig, h);
          cleanups.push(() => process.off(sig, h));
        }
      }

      const hangup = () => {
        restore();
        sock.destroy();
        finish({ kind: 'detached' });
      };
      // Our terminal or pipe went away (EIO, EPIPE): stop relaying; never take the container down.
      for (const out of [io.stdout, io.stderr]) {
        const onError = () => hangup();
        out.on('error', onError);
        cleanups.push(() => out.off('error', onError));
      }

      let stdinStarted = false;
      const startStdin = () => {
        if (!opts.stdin || stdinStarted) return;
        stdinStarted = true;
        // Detach keys only apply to terminal sessions (as in podman and docker): piped binary input
        // must reach the container byte for byte, whatever it contains.
        const scanner = new DetachScanner(opts.tty ? opts.detachKeys : null);
        const onData = (chunk: Buffer) => {
          const { forward, detach } = scanner.feed(chunk);
          if (forward.length > 0 && !sock.write(encodeFrame(Frame.Stdin, forward))) {
            io.stdin.pause();
            sock.once('drain', () => io.stdin.resume());
          }
          if (detach) {
            io.stdin.off('data', onData);
            io.stdin.pause();
            restore();
            io.stdout.write('\n');
            sock.end(encodeFrame(Frame.Detach));
            finish({ kind: 'detached' });
          }
        };
        const onEnd = () => {
          if (rawTerminal) {
            // EOF on a raw terminal means it was closed (hang-up): the session ends here, the
            // container and its shim go on (SIGHUP was proxied if the user asked for that).
            hangup();
            return;
          }
          const held = scanner.flush();
          if (held.length > 0) send(Frame.Stdin, held);
          send(Frame.StdinClose);
        };
        io.stdin.on('data', onData);
        io.stdin.once('end', onEnd);
        cleanups.push(() => {
          io.stdin.off('data', onData);
          io.stdin.off('end', onEnd);
          io.stdin.pause();
        });
      };

      let welcomed = false;
      const waitingFor = new Set<NodeJS.WritableStream>();
      sock.on('data', (chunk: Buffer) => {
        let frames;
        try {
          frames = dec.push(chunk);
        } catch (err) {
          finish(new PmanError('runtime', `lost the session with container "${rec.name}": ${(err as Error).message}`));
          sock.destroy();
          return;
        }
        for (const f of frames) {
          switch (f.type) {
            case Frame.Welcome: {
              const w = parseJson<WelcomeMsg>(f.payload, 'Welcome');
              welcomed = true;
              if (opts.onWelcome && !opts.onWelcome(w)) {
                sock.destroy();
                finish({ kind: 'detached' });
                return;
              }
              if (opts.stdin && !opts.exec && !w.interactive && !w.tty) {
                io.stderr.write(`Warning: container "${rec.name}" was not started with -i: its input is closed, input is ignored\n`);
                opts.stdin = false;
              }
              if (opts.start) {
                if (!startSent) send(Frame.Start);
              } else startStdin();
              break;
            }
            case Frame.Started:
              startStdin();
              break;
            case Frame.Stdout:
            case Frame.Stderr: {
              const out = f.type === Frame.Stdout ? io.stdout : io.stderr;
              if (!out.write(f.payload) && !waitingFor.has(out)) {
                // Stop reading from the shim until our output drains: the shim then holds the
                // container back (flow control), nothing is dropped.
                waitingFor.add(out);
                sock.pause();
                out.once('drain', () => {
                  waitingFor.delete(out);
                  if (waitingFor.size === 0) sock.resume();
                });
              }
              break;
            }
            case Frame.Exit: {
              trace('attach: exit frame');
              const e = parseJson<ExitMsg>(f.payload, 'Exit');
              if (e.error) {
                finish(new RuntimeError(e.error, { exitCode: e.exitCode }));
              } else {
                if (e.reason) io.stderr.write(`${e.reason}\n`);
                finish({ kind: 'exit', exitCode: e.exitCode });
              }
              break;
            }
            case Frame.Error: {
              const e = parseJson<ErrorMsg>(f.payload, 'Error');
              finish(new RuntimeError(e.message, { exitCode: e.exitCode }));
              break;
            }
            case Frame.Notice: {
              const n = parseJson<NoticeMsg>(f.payload, 'Notice');
              io.stderr.write(`pman: ${n.message}\n`);
              break;
            }
            default:
              break;
          }
        }
      });
      sock.on('error', () => undefined);
      // (The launcher's session may have been paused while the shim was taken.)
      sock.resume();
      sock.on('close', () => {
        finish(
          new PmanError(
            'runtime',
            welcomed
              ? `lost the connection to container "${rec.name}" before it exited: its shim closed the session`
              : `container "${rec.name}": its shim closed the connection`,
          ),
        );
      });
    });
  } finally {
    restore();
    process.off('exit', restore);
    sock.destroy();
  }
}
