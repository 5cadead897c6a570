// POST /containers/{id}/wait's conditions: not-running (now, if it is not running), next-exit
// (the end of the next run, also of one not yet started: docker run asks before it starts) and
// removed (the record gone too: docker run --rm).
import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { removedExitCode } from '../container/exit-code.js';
import { reconcile } from '../container/reconcile.js';
import { shimAlive } from '../container/start.js';
import { waitForExit, type Heard } from '../container/wait.js';
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

/**
 * Exit codes this service's attach sessions heard from shims. A --rm container's shim keeps its
 * code on disk only when nobody heard the exit (docs/reliability.md), and a docker client's wait
 * may find the container gone while its attach session (heard, so nothing kept) has not yet
 * passed the code on. Bounded: the oldest are dropped.
 */
const heard = new Map<string, number>();
const attaching = new Map<string, Promise<unknown>>();
const HEARD_MAX = 1024;

/** An attach session of this service to container `id`; `code` resolves with the exit it heard. */
export function attachEnding(id: string, code: Promise<number | undefined>): void {
  const done = code.then(
    (c) => {
      if (c === undefined) return;
      heard.delete(id);
      heard.set(id, c);
      if (heard.size > HEARD_MAX) heard.delete(heard.keys().next().value!);
    },
    () => undefined,
  );
  attaching.set(id, done);
  void done.then(() => {
    if (attaching.get(id) === done) attaching.delete(id);
  });
}

/** A removed container's exit code: heard by this wait, by an attach session of this service, or kept by its shim. */
async function goneExitCode(ctx: Context, id: string, fromShim: Heard): Promise<number | undefined> {
  if (fromShim.exitCode !== undefined) return fromShim.exitCode;
  await attaching.get(id);
  return heard.get(id) ?? removedExitCode(ctx, id);
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
  const fromShim: Heard = {};
  const startedAt = rec0.state.startedAt;
  let code = rec0.state.exitCode;
  // The run to wait for: until one has started (next-exit, removed), poll.
  for (;;) {
    if (gone) return undefined;
    const r = await current(ctx, id);
    if (!r) return (await goneExitCode(ctx, id, fromShim)) ?? code;
    const live = isRunning(r) || (isCreated(r) && shimAlive(r));
    if (live) {
      const after = await waitForExit(ctx, id, -1, fromShim);
      if (!after) return (await goneExitCode(ctx, id, fromShim)) ?? code;
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
    if (!(await current(ctx, id))) return (await goneExitCode(ctx, id, fromShim)) ?? code;
    await sleep(POLL_MS);
  }
}
