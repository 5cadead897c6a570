// `pman healthcheck run`: the container's shim runs its probe now (recorded like a scheduled one)
// and says how it went; and the health a container is in, for ps, inspect and wait.
import type { Context } from '../context.js';
import { InvalidStateError, RuntimeError } from '../errors.js';
import { encodeFrame, Frame, FrameDecoder, parseJson, PROTOCOL_VERSION, type ErrorMsg, type HealthExitMsg } from '../shim/protocol.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning, isRunningNotPaused } from '../state/container-status.js';
import { readHealth, type Health, type HealthStatus } from '../state/health.js';
import { connectShim } from './attach-client.js';
import { reconcile } from './reconcile.js';

export interface HealthcheckOutcome {
  /** 0: the probe passed; 1: it failed. */
  exitCode: number;
  status: HealthStatus;
  output: string;
}

/** Runs the container's health probe once, through its shim. */
export async function runHealthcheck(ctx: Context, rec0: ContainerRecord): Promise<HealthcheckOutcome> {
  const rec = await reconcile(ctx, rec0);
  if (!rec.config.healthcheck) throw new InvalidStateError(`container "${rec.name}" has no defined healthcheck`);
  if (!isRunningNotPaused(rec)) throw new InvalidStateError(`cannot run the health check of container "${rec.name}": it is not running (state ${rec.state.status})`);
  const sock = await connectShim(ctx, rec);
  sock.write(encodeFrame(Frame.Hello, { version: PROTOCOL_VERSION, kind: 'healthcheck', stdin: false, stdout: false, stderr: false }));
  return new Promise<HealthcheckOutcome>((resolve, reject) => {
    const dec = new FrameDecoder('shim');
    sock.on('data', (chunk: Buffer) => {
      try {
        for (const f of dec.push(chunk)) {
          if (f.type === Frame.Exit) {
            const e = parseJson<HealthExitMsg>(f.payload, 'Exit');
            sock.destroy();
            resolve({ exitCode: e.exitCode === 0 ? 0 : 1, status: e.status, output: typeof e.output === 'string' ? e.output : '' });
          } else if (f.type === Frame.Error) {
            const e = parseJson<ErrorMsg>(f.payload, 'Error');
            sock.destroy();
            reject(new InvalidStateError(e.message));
          }
        }
      } catch (err) {
        sock.destroy();
        reject(err as Error);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => reject(new RuntimeError(`container "${rec.name}": the shim closed the connection before the health check ended`)));
  });
}

/**
 * The health to show: the shim's file while the container runs with a check; none otherwise (a
 * container without a check, or one not running, has no health status, as in podman's ps).
 */
export function containerHealth(ctx: Context, rec: ContainerRecord): Health | undefined {
  if (!rec.config.healthcheck) return undefined;
  const h = readHealth(ctx, rec.id);
  if (!h) return isRunning(rec) ? { Status: 'starting', FailingStreak: 0, Log: [] } : undefined;
  return h;
}

/** What ps shows and filters on: the health of a running container with a check, else none. */
export function runningHealth(ctx: Context, rec: ContainerRecord): HealthStatus | undefined {
  return isRunningNotPaused(rec) ? containerHealth(ctx, rec)?.Status : undefined;
}
