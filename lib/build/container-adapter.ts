// Build's contact with containers, in one place: a RUN step is an ordinary pman container (created
// from the stage's image, run on runc through its shim, its output relayed as `run` relays it),
// and a COPY step is a container whose root filesystem is mounted and written to. Either way the
// step's layer is the container's overlay upper directory, packed with OCI whiteouts.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Context } from '../context.js';
import type { AttachIO } from '../container/attach-client.js';
import { createContainer, type CreateOptions } from '../container/create.js';
import { emptyConfigOptions } from '../container/host-config.js';
import { removeContainer } from '../container/remove.js';
import { runContainer } from '../container/run.js';
import { mountRootfs, rootfsPaths, unmountRootfs } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolveContainer } from '../state/containers.js';
import { isVolatile } from '../state/volatile.js';
import { randomBytes } from '../util/random.js';

export interface StepContainerOptions {
  /** The stage's current image (ID). */
  image: string;
  /** Environment on top of the image's (the build's ARG values). */
  env: string[];
  workdir?: string;
  user?: string;
  /** --network of the build: none or host. */
  network?: string;
  cwd: string;
}

function createOptions(o: StepContainerOptions, command: string[]): CreateOptions {
  const config = emptyConfigOptions(o.cwd);
  // RUN steps get no network unless the build asks for one (not run's default: root's bridge,
  // a rootless user's slirp4netns).
  config.network = { ...config.network, network: o.network ?? 'none' };
  return {
    // A name of our own, so a container whose start failed can still be found and removed.
    name: `pman-build-${randomBytes(6).toString('hex')}`,
    image: o.image,
    command,
    entrypoint: '',
    env: o.env,
    envFiles: [],
    hostEnv: {},
    workdir: o.workdir || undefined,
    user: o.user,
    labels: [],
    rm: false,
    // Its overlay is mounted volatile and its bundle files are not synced: the container lives
    // for one step (docs/build.md, "Speed").
    volatile: true,
    tty: false,
    interactive: false,
    logDriver: 'none',
    config,
  };
}

/** What runc made in the root only to mount over it: empty files and dirs a step did not create. */
const MOUNT_POINTS = ['etc/hosts', 'etc/resolv.conf', 'etc/hostname', 'proc', 'sys', 'dev'];

/** Removes mount points runc created in the upper dir that the image did not have (empty ones only). */
function dropMountPoints(upper: string, lowerHas: (rel: string) => boolean): void {
  for (const rel of MOUNT_POINTS) {
    const p = path.join(upper, rel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    if (lowerHas(rel)) continue;
    if (st.isFile() && st.size === 0) fs.rmSync(p);
    else if (st.isDirectory() && fs.readdirSync(p).length === 0) fs.rmdirSync(p);
  }
  for (const rel of ['etc']) {
    const p = path.join(upper, rel);
    try {
      if (!lowerHas(rel) && fs.readdirSync(p).length === 0) fs.rmdirSync(p);
    } catch {
      /* not there */
    }
  }
}

export interface RunStepResult {
  id: string;
  exitCode: number;
}

/** Runs `command` in a new container of the stage's image, its output to `out`; the container stays for its layer. */
export async function runStepContainer(
  ctx: Context,
  o: StepContainerOptions,
  command: string[],
  out: { stdout: Writable; stderr: Writable; signal?: AbortSignal },
): Promise<RunStepResult> {
  const io = { stdin: process.stdin, stdout: out.stdout, stderr: out.stderr } as unknown as AttachIO;
  const create = createOptions(o, command);
  // Stopping the build removes the step's container, which ends its attach session.
  let removing: Promise<void> | undefined;
  const onAbort = () => {
    removing = removeNamed(ctx, create.name as string);
  };
  out.signal?.addEventListener('abort', onAbort);
  let r: Awaited<ReturnType<typeof runContainer>>;
  try {
    r = await runContainer(ctx, { ...create, detach: false, io, detachKeys: null, sigProxy: false });
  } catch (err) {
    await removing;
    await removeNamed(ctx, create.name as string);
    // Removed under a running session: the session's error is only the echo of the stop.
    if (out.signal?.aborted) return { id: '', exitCode: -1 };
    throw err;
  } finally {
    out.signal?.removeEventListener('abort', onAbort);
  }
  await removing;
  const exitCode = r.detached ? -1 : r.result.kind === 'exit' ? r.result.exitCode : -1;
  return { id: r.rec.id, exitCode };
}

/** A container of the stage's image with its root filesystem mounted, for COPY and ADD to write into. */
export async function mountStepContainer(ctx: Context, o: StepContainerOptions): Promise<{ rec: ContainerRecord; root: string }> {
  const rec = await createContainer(ctx, createOptions(o, ['/bin/sh']));
  try {
    return { rec, root: mountRootfs(ctx, rec.id, rec.layers, { volatile: isVolatile(rec) }) };
  } catch (err) {
    await removeStepContainer(ctx, rec.id);
    throw err;
  }
}

export function unmountStepContainer(ctx: Context, id: string): void {
  unmountRootfs(ctx, id);
}

/** The step's layer: the container's upper directory, without the mount points runc made. */
export function stepLayer(ctx: Context, id: string, lowerHas: (rel: string) => boolean): { dir: string; overlay: boolean } {
  const upper = rootfsPaths(ctx, id).upper;
  dropMountPoints(upper, lowerHas);
  return { dir: upper, overlay: true };
}

async function removeNamed(ctx: Context, name: string): Promise<void> {
  let id: string;
  try {
    id = resolveContainer(ctx, name).id;
  } catch {
    return; // never created
  }
  await removeStepContainer(ctx, id);
}

/** Removes a step's container, whatever state it is in (never fails the build for it). */
export async function removeStepContainer(ctx: Context, id: string): Promise<void> {
  try {
    await removeContainer(ctx, id, { force: true, timeout: 0, volumes: true });
  } catch (err) {
    ctx.warn(`cannot remove build container ${id.slice(0, 12)}: ${(err as Error).message}`);
  }
}
