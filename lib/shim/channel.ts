// The shim's end of its pipe to the CLI that launched it: its options come in on it (one JSON
// line), its report goes out on it (one JSON line), or, for a foreground `run`, the launcher's
// attach session goes on over it. A shim spawned by the CLI has it as fd 3. A shim started by
// bin/pman (ahead of the CLI's own Node start-up, see docs/architecture.md) listens for it on a
// socket in the user's runtime directory, named after the CLI's pid, until that CLI connects or
// exits.
import fs from 'node:fs';
import net from 'node:net';
import { LAUNCHER_FD, PARENT_CHECK_MS } from '../fast-path.js';
import { native } from '../native/native.js';
import { decodeOptions, encodeLine, PRESERVED_FDS_ENV, type ShimOptions, type ShimReport } from './protocol.js';
import { listenOwnerOnly } from './socket-path.js';

export interface Channel {
  socket: net.Socket;
  /** fd 3 of a shim spawned by the CLI; it must not leak into runc and the container. */
  inheritedFd: boolean;
}

/** The pipe to the launching CLI, or null when there will be none (the standby's CLI is gone). */
export function openChannel(standby: { path: string; parent: number } | undefined): Promise<Channel | null> {
  // Whatever else the shim inherited from pman's caller (a CI runner's pipe, a redirection) is not
  // held open for the container's lifetime: a caller waiting for its EOF would wait that long.
  closeInherited(standby ? standby.parent : process.ppid, standby ? [] : [LAUNCHER_FD, ...preservedFds()]);
  if (!standby) return Promise.resolve({ socket: new net.Socket({ fd: LAUNCHER_FD, readable: true, writable: true }), inheritedFd: true });
  return acceptLauncher(standby.path, standby.parent);
}

/** The descriptors `run --preserve-fds` gave a spawned shim, after its launch channel: 4, 5 … */
export function preservedFds(): number[] {
  const n = Number(process.env[PRESERVED_FDS_ENV]);
  return Number.isInteger(n) && n > 0 && n < 10_000 ? Array.from({ length: n }, (_, i) => LAUNCHER_FD + 1 + i) : [];
}

/**
 * Closes the fds (beyond stdio and `keep`) that this process shares with its parent, the CLI:
 * inherited from whoever ran pman. Node marks inherited fds close-on-exec rather than closing
 * them, so they are recognised as the same file (device and inode) at the same number in the
 * parent; only pipes, sockets and files, whose holders matter to others (a separately opened
 * /dev/null has the same inode in both and is harmless anyway).
 */
function closeInherited(parent: number, keep: number[]): void {
  let names: string[];
  try {
    names = fs.readdirSync('/proc/self/fd');
  } catch {
    return;
  }
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd < 3 || keep.includes(fd)) continue;
    try {
      const mine = fs.fstatSync(fd);
      if (!(mine.isFIFO() || mine.isSocket() || mine.isFile())) continue;
      const theirs = fs.statSync(`/proc/${parent}/fd/${fd}`);
      if (mine.dev === theirs.dev && mine.ino === theirs.ino) fs.closeSync(fd);
    } catch {
      /* not there (any more), or not ours to look at: leave it */
    }
  }
}

/**
 * A standby shim: its own session (terminal signals to the CLI's process group must never reach a
 * shim), then one connection on standbyPath from its parent, the CLI (pid `cli`: bin/pman's, which
 * the CLI's Node replaced). It says its pid first (the CLI records it before sending the options).
 */
function acceptLauncher(standbyPath: string, cli: number): Promise<Channel | null> {
  native().setsid();
  // (Its CLI may even be gone already: a command that failed at once.)
  if (process.ppid !== cli) return Promise.resolve(null);
  return new Promise((resolve) => {
    const server = net.createServer({ pauseOnConnect: true });
    let done = false;
    const finish = (socket: net.Socket | null) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      // Closing a listening socket unlinks its path: nobody else can connect after this one.
      server.close();
      resolve(socket ? { socket, inheritedFd: false } : null);
    };
    const watch = setInterval(() => {
      if (process.ppid !== cli) finish(null);
    }, PARENT_CHECK_MS);
    server.once('connection', (socket: net.Socket) => {
      socket.write(`${JSON.stringify({ pid: process.pid })}\n`);
      finish(socket);
    });
    listenOwnerOnly(server, standbyPath).catch(() => finish(null));
  });
}

/**
 * Reads the options line. Resolves with the parsed options and whatever the CLI sent after them
 * (its first attach frames), or null at EOF or on a malformed line. Leaves the socket paused.
 */
export function readOptions(channel: Channel): Promise<{ options: ShimOptions; rest: Buffer } | null> {
  const sock = channel.socket;
  return new Promise((resolve) => {
    let got: Buffer = Buffer.alloc(0);
    const settle = (v: { options: ShimOptions; rest: Buffer } | null) => {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('error', onEnd);
      sock.pause();
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      got = got.length ? Buffer.concat([got, chunk]) : chunk;
      const decoded = decodeOptions(got);
      if (decoded !== 'partial') settle(decoded);
    };
    const onEnd = () => settle(null);
    sock.on('data', onData);
    sock.once('end', onEnd);
    sock.once('error', onEnd);
    sock.resume();
  });
}

/**
 * The shim's end of the channel once the options are in: it carries either the one report, or
 * (foreground run) the launcher's attach session, never both.
 */
export class LauncherLink {
  private taken = false;

  constructor(
    private readonly channel: Channel,
    /** What the launcher sent after its options line (its first attach frames). */
    private pending: Buffer,
  ) {}

  /** fd 3 of a shim spawned by the CLI (to be made close-on-exec before runc is spawned). */
  get inheritedFd(): boolean {
    return this.channel.inheritedFd;
  }

  /** The one report to the launching CLI (then the channel ends); resolves once it is written. */
  report(msg: ShimReport): Promise<void> {
    if (this.taken) return Promise.resolve();
    this.taken = true;
    return sendReport(this.channel, msg);
  }

  /** The channel as the launcher's attach connection, with the frames it sent already. */
  takeForAttach(): { socket: net.Socket; initial: Buffer } {
    this.taken = true;
    const initial = this.pending;
    this.pending = Buffer.alloc(0);
    return { socket: this.channel.socket, initial };
  }
}

/** Sends the one report line and ends the channel (the CLI reads to EOF); resolves once written. */
function sendReport(channel: Channel, msg: ShimReport): Promise<void> {
  const sock = channel.socket;
  if (sock.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    sock.on('error', () => resolve());
    // Written: the fd goes too (the shim lives on for the container's lifetime).
    sock.end(encodeLine(msg), () => {
      sock.destroy();
      resolve();
    });
  });
}
