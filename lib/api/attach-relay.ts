// Relays one attach or exec session between a hijacked API connection and the container's shim,
// through the same client as `pman attach`/`exec` (lib/container/attach-client.ts). The client
// hears `101 UPGRADED` only once the shim has welcomed the session: a start that follows cannot
// produce output this session misses.
import { PassThrough, Writable } from 'node:stream';
import type { Context } from '../context.js';
import { attachSession, type AttachOptions, type AttachResult } from '../container/attach-client.js';
import type { ContainerRecord } from '../state/container-record.js';
import type { Call } from './call.js';
import { addSession } from './sessions.js';
import { ClientOutput } from './stream-frames.js';

export interface RelayOptions {
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  detachKeys: Buffer | null;
  exec?: AttachOptions['exec'];
  /** The key resize requests find this session by (container or exec ID). */
  key: string;
  onWelcome?: (execId: string | undefined) => void;
  /**
   * The end of the client's input closes the process's stdin (exec, and a container created with
   * StdinOnce: docker run -i); otherwise a client that goes leaves the container's stdin open.
   */
  closeStdinAtEnd: boolean;
  /** Only start it (exec -d): the session ends at the shim's welcome, nothing is relayed. */
  detached?: boolean;
}

class Discard extends Writable {
  override _write(_c: Buffer, _e: BufferEncoding, cb: () => void): void {
    cb();
  }
}

export async function relaySession(ctx: Context, call: Call, rec: ContainerRecord, opts: RelayOptions): Promise<AttachResult | undefined> {
  const h = await call.prepareHijack();
  const out = new ClientOutput(h.output, opts.tty ? null : 1, opts.tty);
  const err = new ClientOutput(h.output, opts.tty ? null : 2, opts.tty);
  const remove = addSession(opts.key, out);
  const input = opts.closeStdinAtEnd ? h.input : h.input.pipe(new PassThrough(), { end: false });
  try {
    return await attachSession(ctx, rec, {
      io: {
        stdin: input as NodeJS.ReadStream,
        stdout: (opts.stdout ? out : new Discard()) as unknown as NodeJS.WriteStream,
        stderr: (opts.stderr ? err : new Discard()) as unknown as NodeJS.WriteStream,
      },
      stdin: opts.stdin,
      tty: opts.tty,
      start: false,
      detachKeys: opts.detachKeys,
      sigProxy: false,
      exec: opts.exec,
      onWelcome: (w) => {
        opts.onWelcome?.(w.execId);
        if (opts.detached) return false;
        h.accept();
        return true;
      },
    });
  } catch (e) {
    // An exec whose command cannot be run: dockerd reports it in the stream, with 126 or 127 as
    // the session's exit code (clients probing for a shell rely on that).
    const code = (e as { exitCode?: number }).exitCode;
    if (opts.exec && !opts.detached && (code === 126 || code === 127)) {
      h.accept();
      await new Promise<void>((resolve) => err.write(`${(e as Error).message}\n`, () => resolve()));
      return { kind: 'exit', exitCode: code };
    }
    if (!h.accepted) throw e;
    ctx.debug(`api: session of ${rec.name} ended: ${(e as Error).message}`);
    return undefined;
  } finally {
    remove();
    h.close();
  }
}
