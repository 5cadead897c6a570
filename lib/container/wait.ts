// Waiting for a container to stop: through its shim's socket when it has one (an Exit frame comes
// the moment the status is recorded), else by polling the record.
import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { encodeFrame, Frame, FrameDecoder, parseJson, PROTOCOL_VERSION, type ExitMsg } from '../shim/protocol.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainer } from '../state/containers.js';
import { connectShim } from './attach-client.js';
import { reconcile } from './reconcile.js';
import { shimAlive } from './start.js';
import { isCreated, isRunning } from '../state/container-status.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves with the record once the container is no longer running (or undefined when it was
 * removed meanwhile, e.g. --rm). timeoutMs < 0 waits forever; on timeout returns the live record.
 */
export async function waitForExit(ctx: Context, id: string, timeoutMs = -1, heard: Heard = {}): Promise<ContainerRecord | undefined> {
  const deadline = timeoutMs < 0 ? Infinity : Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    let rec: ContainerRecord;
    try {
      rec = await reconcile(ctx, loadContainer(ctx, id));
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    const running = isRunning(rec) || (isCreated(rec) && shimAlive(rec));
    if (!running) return rec;
    if (Date.now() >= deadline) return rec;
    if (!isCreated(rec) && shimAlive(rec)) {
      await waitOnSocket(ctx, rec, deadline - Date.now(), heard);
      delay = 10;
      continue;
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, 200);
  }
}

/** The exit code the shim's Exit frame carried: all a --rm container leaves when a client heard it. */
export interface Heard {
  exitCode?: number;
}

/** Waits for the shim to send Exit or close the connection (bounded by timeout). */
function waitOnSocket(ctx: Context, rec: ContainerRecord, timeoutMs: number, heard: Heard): Promise<void> {
  return new Promise((resolve) => {
    connectShim(ctx, rec).then(
      (sock) => {
        const timer = timeoutMs === Infinity ? undefined : setTimeout(() => sock.destroy(), Math.max(0, timeoutMs));
        const dec = new FrameDecoder('shim');
        sock.write(encodeFrame(Frame.Hello, { version: PROTOCOL_VERSION, kind: 'attach', stdin: false, stdout: false, stderr: false }));
        sock.on('data', (c: Buffer) => {
          try {
            const exit = dec.push(c).find((f) => f.type === Frame.Exit);
            if (!exit) return;
            heard.exitCode = parseJson<ExitMsg>(exit.payload, 'Exit').exitCode;
            sock.destroy();
          } catch {
            sock.destroy();
          }
        });
        sock.on('error', () => undefined);
        sock.on('close', () => {
          if (timer) clearTimeout(timer);
          resolve();
        });
      },
      () => sleep(20).then(() => resolve()),
    );
  });
}
