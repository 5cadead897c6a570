// The container's stdio as the shim owns it: real pipes for a non-terminal container (Node's
// socketpairs break `> /dev/stdout` inside the container), or the pty master runc hands over the
// console socket for a terminal one.
import fs from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import { native } from '../native/native.js';

export interface OutputSource {
  stream: 'stdout' | 'stderr';
  readable: net.Socket | tty.ReadStream;
}

export interface ContainerIO {
  /** fds for runc's stdio (in, out, err); 'ignore' for /dev/null. */
  childStdio: Array<number | 'ignore'>;
  outputs: OutputSource[];
  /** Writes input to the container (undefined when it has no stdin). */
  write?: (data: Buffer, done: () => void) => void;
  /** Ends the container's input (EOF), for non-tty only. */
  closeInput?: () => void;
  resize?: (rows: number, cols: number) => void;
  /** Closes the shim's copies of the child's ends after runc create. */
  closeChildEnds(): void;
  /** For tty: path of the console socket to pass to runc. */
  consoleSocket?: string;
  /** For tty: resolves once runc delivered the pty master. */
  ready: Promise<void>;
}

/** Pipes for a non-terminal container. stdin is a pipe only with -i, else /dev/null. */
export function pipeIO(interactive: boolean): ContainerIO {
  const n = native();
  const [outR, outW] = n.pipe();
  const [errR, errW] = n.pipe();
  // Bigger pipes mean fewer wake-ups per MiB of output.
  n.setPipeSize(outR, 1 << 20);
  n.setPipeSize(errR, 1 << 20);
  let inR: number | undefined;
  let input: net.Socket | undefined;
  if (interactive) {
    const [r, w] = n.pipe();
    inR = r;
    input = new net.Socket({ fd: w, readable: false, writable: true });
    input.on('error', () => undefined);
  }
  const childEnds = [outW, errW, ...(inR !== undefined ? [inR] : [])];
  return {
    childStdio: [inR ?? 'ignore', outW, errW],
    outputs: [
      { stream: 'stdout', readable: new net.Socket({ fd: outR, readable: true, writable: false }) },
      { stream: 'stderr', readable: new net.Socket({ fd: errR, readable: true, writable: false }) },
    ],
    write: input
      ? (data, done) => {
          if (input!.destroyed || input!.writableEnded) return done();
          if (input!.write(data)) done();
          else input!.once('drain', done);
        }
      : undefined,
    closeInput: input ? () => input!.end() : undefined,
    closeChildEnds() {
      for (const fd of childEnds) n.closeFd(fd);
    },
    ready: Promise.resolve(),
  };
}

/**
 * A console socket for a terminal container: runc connects and sends the pty master over
 * SCM_RIGHTS. libuv must not read that socket (it would drop the fd), so it is paused on connect
 * and the addon polls recvmsg on the raw fd.
 */
export function ttyIO(socketPath: string, initial: () => { rows: number; cols: number }): Promise<ContainerIO> {
  const n = native();
  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  let master = -1;
  const pending: Array<{ data: Buffer; done: () => void }> = [];
  let readStream: tty.ReadStream | undefined;
  const output = new net.Socket(); // placeholder replaced once the master arrives
  const outputs: OutputSource[] = [{ stream: 'stdout', readable: output }];

  const server = net.createServer({ pauseOnConnect: true }, (sock) => {
    const fd = (sock as unknown as { _handle: { fd: number } })._handle.fd;
    let tries = 0;
    const poll = () => {
      let got: number;
      try {
        got = n.recvFd(fd);
      } catch (err) {
        rejectReady(err as Error);
        return;
      }
      if (got >= 0) {
        sock.destroy();
        server.close();
        fs.rmSync(socketPath, { force: true });
        master = got;
        n.setNonblock(master, true);
        const size = initial();
        if (size.rows > 0 && size.cols > 0) n.setWinsize(master, size.rows, size.cols);
        readStream = new tty.ReadStream(master);
        outputs[0].readable = readStream;
        flush();
        resolveReady();
        return;
      }
      if (got === -2 || ++tries > 5000) {
        rejectReady(new Error('the OCI runtime closed the console socket without sending a terminal'));
        return;
      }
      setTimeout(poll, 2);
    };
    poll();
  });

  // Writes go through fs.write with a timer back-off on EAGAIN: a tty.WriteStream on the master
  // would switch it to blocking mode and can freeze the shim.
  let writing = false;
  const flush = () => {
    if (writing || master < 0) return;
    const item = pending[0];
    if (!item) return;
    writing = true;
    fs.write(master, item.data, 0, item.data.length, null, (err, written) => {
      writing = false;
      if (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          setTimeout(flush, 5);
          return;
        }
        // EIO: the terminal is gone; drop input.
        pending.splice(0).forEach((p) => p.done());
        return;
      }
      if (written < item.data.length) item.data = item.data.subarray(written);
      else {
        pending.shift();
        item.done();
      }
      flush();
    });
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve({
        childStdio: ['ignore', 'ignore', 'ignore'],
        outputs,
        consoleSocket: socketPath,
        write(data, done) {
          pending.push({ data: Buffer.from(data), done });
          flush();
        },
        resize(rows, cols) {
          if (master >= 0 && rows > 0 && cols > 0) {
            try {
              n.setWinsize(master, rows, cols);
            } catch {
              /* terminal already gone */
            }
          }
        },
        closeChildEnds() {
          /* runc holds no shim fds in tty mode */
        },
        ready,
      });
    });
  });
}
