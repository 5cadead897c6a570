// POST /containers/{id}/wait's conditions: not-running (now, if it is not running), next-exit
// (the end of the next run, also of one not yet started: docker run asks before it starts) and
// removed (the record gone too: docker run --rm).
import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { removedExitCode } from '../container/exit-code.js';
import { reconcile } from '../container/reconcile.js';
import { shimAlive } from '../container/start.js';
import { waitForExit } from '../container/wait.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainer } from '../state/containers.js';
import { isCreated, isRunning } from '../state/container-status.js';

const POLL_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function current(ctx: Context, id: string): Promise<ContainerRecord | undefined> {
  try {
    return await reconcile(ctx, loadContainer(ctx, id));
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** The exit code once the condition holds; undefined when the client left first. */
export async function waitCondition(
  ctx: Context,
  rec0: ContainerRecord,
  condition: 'not-running' | 'next-exit' | 'removed',
  clientGone: Promise<void>,
): Promise<number | undefined> {
  let gone = false;
  void clientGone.then(() => (gone = true));
  const id = rec0.id;
  const startedAt = rec0.state.startedAt;
  let code = rec0.state.exitCode;
  // The run to wait for: until one has started (next-exit, removed), poll.
  for (;;) {
    if (gone) return undefined;
    const r = await current(ctx, id);
    if (!r) return removedExitCode(ctx, id) ?? code;
    const live = isRunning(r) || (isCreated(r) && shimAlive(r));
    if (live) {
      const after = await waitForExit(ctx, id);
      if (!after) return removedExitCode(ctx, id) ?? code;
      code = after.state.exitCode;
      break;
    }
    code = r.state.exitCode;
    if (condition === 'not-running' || r.state.startedAt !== startedAt) break;
    await sleep(POLL_MS);
  }
  if (condition !== 'removed') return code;
  for (;;) {
    if (gone) return undefined;
    if (!(await current(ctx, id))) return removedExitCode(ctx, id) ?? code;
    await sleep(POLL_MS);
  }
}
