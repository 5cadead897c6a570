// Joining a network namespace a container does not own: `--network container:NAME` (the
// namespace of another, running container, as podman's NetNsCtr) and `--network ns:PATH` (a
// namespace file). The bundle names `<runroot>/netns/<id>` for a container that joins another
// container; the shim, before runc runs, makes that file a bind mount of the other container's
// namespace (joinContainerNetns), and unwiring removes it as it removes a bridge container's
// namespace (wiring.ts). A container stopped while another has joined its namespace takes its
// interfaces with it (netavark's teardown); the joiner keeps loopback, as in podman.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, InvalidStateError, systemError } from '../errors.js';
import { MS_BIND, native } from '../native/native.js';
import type { ContainerRecord, NetworkConfig } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { loadContainer, resolveContainer } from '../state/containers.js';
import { netnsPath } from './network-paths.js';
import { removeNetns } from './netns.js';

/**
 * At create: `container:NAME` is recorded as that container's ID (it must exist; it need not run
 * until this one starts); `ns:PATH` must name an existing file.
 */
export function resolveJoin(ctx: Context, n: NetworkConfig | undefined): void {
  if (n?.mode === 'container') n.container = resolveContainer(ctx, n.container!).id;
  if (n?.mode === 'ns' && !fs.existsSync(n.nsPath!)) throw new InvalidArgumentError(`invalid --network ns:${n.nsPath}: no such file, give the path of a network namespace (such as /run/netns/NAME)`);
}

/** The namespace file runc joins for a container that joins one (container:, ns:), else undefined. */
export function joinedNetnsPath(ctx: Context, rec: ContainerRecord): string | undefined {
  const n = rec.config.network;
  if (n?.mode === 'container') return netnsPath(ctx, rec.id);
  if (n?.mode === 'ns') return n.nsPath;
  return undefined;
}

/**
 * Makes container `id`'s namespace file (`<runroot>/netns/<id>`) a bind mount of the network
 * namespace of the running container `targetId`, and returns its path; runc joins it by path.
 * Refused (nothing mounted) when the target is not running. Used for `--network container:`; a
 * pod's containers join their infra container the same way.
 */
export function joinContainerNetns(ctx: Context, id: string, targetId: string): string {
  const target = loadContainer(ctx, targetId);
  if (!isRunning(target) || target.state.pid <= 0) {
    throw new InvalidStateError(`cannot join the network namespace of container "${target.name}": it is not running, start it first`);
  }
  const file = netnsPath(ctx, id);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    removeNetns(ctx, id);
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    native().mount(`/proc/${target.state.pid}/ns/net`, file, null, MS_BIND, null);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw systemError(`join the network namespace of container "${target.name}" at "${file}"`, err);
  }
  return file;
}

/**
 * The container whose networking a container shows (addresses, published ports): for one that
 * joined another container's namespace, that container (followed while it joined one too), as
 * podman shows the NetNsCtr's; else itself.
 */
export function networkHolder(ctx: Context, rec: ContainerRecord): ContainerRecord {
  let holder = rec;
  for (let hops = 0; holder.config.network?.mode === 'container' && hops < 8; hops++) {
    try {
      holder = loadContainer(ctx, holder.config.network.container!);
    } catch {
      break; // removed meanwhile: show the container's own (empty) networking
    }
  }
  return holder;
}
