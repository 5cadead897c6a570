// `pman kube play`: Kubernetes objects become pman objects, as podman makes them: a
// PersistentVolumeClaim a named volume, a Pod (or a Deployment's template) a pod whose containers
// are named <pod>-<container>, ConfigMaps the source of env values and configMap volumes. The
// whole file is read and checked before anything is created.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, PmanError } from '../errors.js';
import type { ContainersConf } from '../config/containers-conf.js';
import { podSysctlsOf } from '../container/conf-defaults.js';
import { applyConfDefaultsWithoutFlags } from '../container/conf-defaults-flagless.js';
import { createContainer, type CreateOptions } from '../container/create.js';
import { emptyConfigOptions, type ConfigOptions } from '../container/host-config.js';
import { removeContainer } from '../container/remove.js';
import { startDetached } from '../container/start.js';
import { waitForExit } from '../container/wait.js';
import { createPod } from '../pod/create.js';
import { startPod } from '../pod/lifecycle.js';
import { removePod } from '../pod/remove.js';
import type { PullPolicy } from '../registry/ensure-image.js';
import type { PullOptions } from '../registry/pull.js';
import { nameOwner } from '../state/containers.js';
import { podExists } from '../state/pods.js';
import { createVolume, deleteVolumeFiles, listVolumes, volumeExists, volumeUsers, withVolumeLocks } from '../volume/volumes.js';
import { EMPTYDIR_LABEL, readKubeObjects, type KubeContainer, type KubeObjects, type KubePod, type KubeVolume } from './model.js';
import { cpuQuantity, memoryQuantity } from './quantity.js';
import { readKubeDocuments } from './yaml-docs.js';


export interface PlayOptions {
  /** The file's name as given ('-' for stdin), for messages and the pod records. */
  file: string;
  text: string;
  replace: boolean;
  /** false: create everything, start nothing (--start=false). */
  start: boolean;
  pull?: { policy: PullPolicy; options: Omit<PullOptions, 'reference'> };
  /** --network: the pods' networks (default: pman's default bridge network when a port is published, else none). */
  network?: string;
  /** containers.conf: the defaults of the containers (and the pods' infra sysctls), as `pman run` applies them. */
  conf?: ContainersConf;
  /** The command line that asked for the play: the infra containers' CreateCommand (podman's). */
  commandLine?: string[];
}

export interface PlayResult {
  volumes: string[];
  pods: Array<{ id: string; name: string; containers: string[] }>;
}

/** The file's objects, checked. */
export function readKubeFile(ctx: Context, file: string, text: string): KubeObjects {
  return readKubeObjects(readKubeDocuments(text, file), file, (m) => ctx.warn(m));
}

function configMapValue(objs: KubeObjects, ref: { name: string; key: string; optional: boolean }, what: string): string | undefined {
  const data = objs.configMaps.get(ref.name);
  if (data && ref.key in data) return data[ref.key];
  if (ref.optional) return undefined;
  throw new NotFoundError(`${what}: ConfigMap "${ref.name}"${data ? ` has no key "${ref.key}"` : ' is not in the file'}`);
}

function envOf(objs: KubeObjects, c: KubeContainer): string[] {
  const env: string[] = [];
  for (const f of c.envFromConfigMaps) {
    const data = objs.configMaps.get(f.name);
    if (!data && !f.optional) throw new NotFoundError(`container "${c.name}" envFrom: ConfigMap "${f.name}" is not in the file`);
    for (const [k, v] of Object.entries(data ?? {})) env.push(`${k}=${v}`);
  }
  for (const e of c.env) {
    const value = e.configMapKeyRef ? configMapValue(objs, e.configMapKeyRef, `container "${c.name}" env ${e.name}`) : e.value;
    if (value !== undefined) env.push(`${e.name}=${value}`);
  }
  return env;
}

/** A hostPath volume's source checked (Directory, File) or made (DirectoryOrCreate, FileOrCreate) as Kubernetes does. */
function hostPathSource(v: Extract<KubeVolume, { kind: 'hostPath' }>): string {
  const st = fs.statSync(v.path, { throwIfNoEntry: false });
  const fail = (what: string) => new InvalidArgumentError(`volume "${v.name}": hostPath "${v.path}" ${what} (type ${v.type})`);
  switch (v.type) {
    case 'Directory':
      if (!st?.isDirectory()) throw fail('is not an existing directory');
      break;
    case 'File':
      if (!st?.isFile()) throw fail('is not an existing file');
      break;
    case 'DirectoryOrCreate':
      if (!st) fs.mkdirSync(v.path, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) throw fail('exists and is not a directory');
      break;
    case 'FileOrCreate':
      if (!st) {
        fs.mkdirSync(path.dirname(v.path), { recursive: true, mode: 0o755 });
        fs.writeFileSync(v.path, '', { mode: 0o644 });
      } else if (!st.isFile()) throw fail('exists and is not a file');
      break;
    default:
      if (!st) throw new InvalidArgumentError(`volume "${v.name}": hostPath "${v.path}" does not exist (give type DirectoryOrCreate or FileOrCreate to create it)`);
  }
  return v.path;
}

/** Where a pod's configMap volumes are written (removed with kube down). */
export function configMapDir(ctx: Context, pod: string, volume: string): string {
  return path.join(ctx.root, 'kube', pod, volume);
}

function configMapSource(ctx: Context, objs: KubeObjects, pod: KubePod, v: Extract<KubeVolume, { kind: 'configMap' }>): string {
  const data = objs.configMaps.get(v.configMap);
  if (!data && !v.optional) throw new NotFoundError(`volume "${v.name}": ConfigMap "${v.configMap}" is not in the file`);
  const dir = configMapDir(ctx, pod.name, v.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const items = v.items ?? Object.keys(data ?? {}).map((key) => ({ key, path: key }));
  for (const it of items) {
    const rel = path.normalize(it.path);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new InvalidArgumentError(`volume "${v.name}": item path "${it.path}" must stay inside the volume`);
    if (!(it.key in (data ?? {}))) throw new NotFoundError(`volume "${v.name}": ConfigMap "${v.configMap}" has no key "${it.key}"`);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, rel), data![it.key], { mode: 0o644 });
  }
  return dir;
}

/** -v values for the volumes a pod's containers mount (sources made or checked once per pod). */
function volumeSources(ctx: Context, objs: KubeObjects, pod: KubePod): Map<string, { source: string; readOnly: boolean }> {
  const out = new Map<string, { source: string; readOnly: boolean }>();
  for (const v of pod.volumes) {
    if (v.kind === 'hostPath') out.set(v.name, { source: hostPathSource(v), readOnly: false });
    else if (v.kind === 'pvc') {
      if (!volumeExists(ctx, v.claimName)) createVolume(ctx, { name: v.claimName });
      out.set(v.name, { source: v.claimName, readOnly: v.readOnly });
    } else if (v.kind === 'emptyDir') {
      const name = `${pod.name}-${v.name}`;
      if (!volumeExists(ctx, name)) createVolume(ctx, { name, labels: { [EMPTYDIR_LABEL]: pod.name } });
      out.set(v.name, { source: name, readOnly: false });
    } else out.set(v.name, { source: configMapSource(ctx, objs, pod, v), readOnly: true });
  }
  return out;
}

const RESTART: Record<KubePod['restartPolicy'], string> = { Always: 'always', OnFailure: 'on-failure', Never: 'no' };

function containerOptions(objs: KubeObjects, pod: KubePod, c: KubeContainer, sources: Map<string, { source: string; readOnly: boolean }>, init: boolean): CreateOptions {
  const cfg: ConfigOptions = emptyConfigOptions();
  cfg.volumes = c.volumeMounts.map((m) => {
    const s = sources.get(m.name)!;
    return `${s.source}:${m.mountPath}${m.readOnly || s.readOnly ? ':ro' : ''}`;
  });
  if (c.limits.memory !== undefined) cfg.resources.memory = String(memoryQuantity(c.limits.memory, `container "${c.name}" resources.limits.memory`));
  if (c.limits.cpu !== undefined) cfg.resources.cpus = String(cpuQuantity(c.limits.cpu, `container "${c.name}" resources.limits.cpu`));
  cfg.security.capAdd = c.security.capAdd;
  cfg.security.capDrop = c.security.capDrop;
  cfg.security.privileged = c.security.privileged === true;
  cfg.readOnly = c.security.readOnlyRootFilesystem === true;
  cfg.annotations = Object.entries(pod.annotations).map(([k, v]) => `${k}=${v}`);
  if (!init) cfg.restart = RESTART[pod.restartPolicy];
  const { runAsUser: uid, runAsGroup: gid } = c.security;
  return {
    image: c.image,
    // Kubernetes' command replaces the image's entrypoint, args its cmd.
    entrypoint: c.command ? JSON.stringify(c.command) : undefined,
    command: c.args ?? [],
    name: `${pod.name}-${c.name}`,
    env: envOf(objs, c),
    envFiles: [],
    hostEnv: {},
    workdir: c.workingDir,
    user: uid !== undefined || gid !== undefined ? `${uid ?? 0}${gid !== undefined ? `:${gid}` : ''}` : undefined,
    labels: [],
    rm: false,
    tty: c.tty,
    interactive: c.stdin,
    config: cfg,
  };
}

/** Runs a pod's init containers in order, each to a zero exit, then removes it (podman's "once" init containers). */
async function runInitContainers(ctx: Context, ids: Array<{ id: string; name: string }>): Promise<void> {
  const { loadContainer } = await import('../state/containers.js');
  for (const c of ids) {
    await startDetached(ctx, loadContainer(ctx, c.id));
    const done = await waitForExit(ctx, c.id);
    if (done && done.state.exitCode !== 0) throw new PmanError('runtime', `init container "${c.name}" exited with code ${done.state.exitCode}: the pod's containers were not started`);
    await removeContainer(ctx, c.id, { force: true });
  }
}

async function playPod(ctx: Context, objs: KubeObjects, pod: KubePod, opts: PlayOptions): Promise<PlayResult['pods'][number]> {
  const publish = pod.containers.flatMap((c) => c.ports.filter((p) => p.hostPort !== undefined).map((p) => `${p.hostIP ? `${p.hostIP}:` : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`));
  const rec = await createPod(ctx, {
    name: pod.name,
    infra: true,
    network: { network: pod.hostNetwork ? 'host' : (opts.network ?? (publish.length ? 'bridge' : undefined)), publish },
    // podman's kube play gives the pod a host name: the spec's, else the pod's name.
    hostname: pod.hostname || pod.name,
    labels: Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`),
    kubeFile: opts.file,
    infraCreateCommand: opts.commandLine,
    confSysctls: opts.conf && podSysctlsOf(opts.conf),
  });
  try {
    const sources = volumeSources(ctx, objs, pod);
    const made = async (c: KubeContainer, init: boolean) => {
      const options: CreateOptions = { ...containerOptions(objs, pod, c, sources, init), pull: opts.pull, pod: rec.id };
      return (await createContainer(ctx, opts.conf ? applyConfDefaultsWithoutFlags(options, opts.conf) : options)).id;
    };
    const inits: Array<{ id: string; name: string }> = [];
    for (const c of pod.initContainers) inits.push({ id: await made(c, true), name: `${pod.name}-${c.name}` });
    const ids: string[] = [];
    for (const c of pod.containers) ids.push(await made(c, false));
    if (opts.start) {
      await runInitContainers(ctx, inits);
      await startPod(ctx, rec);
    }
    return { id: rec.id, name: pod.name, containers: ids };
  } catch (err) {
    await removePod(ctx, rec.id, { force: true, timeout: 0 }).catch(() => undefined);
    throw err;
  }
}

export async function kubePlay(ctx: Context, opts: PlayOptions): Promise<PlayResult> {
  const objs = readKubeFile(ctx, opts.file, opts.text);
  for (const pod of objs.pods) {
    const owner = nameOwner(ctx, pod.name);
    if (!owner) continue;
    if (opts.replace && podExists(ctx, owner)) await tearDownPod(ctx, pod.name);
    else throw new InvalidArgumentError(`cannot play "${opts.file}": the name "${pod.name}" is already in use; use --replace or run "pman kube down ${opts.file}" first`);
  }
  const result: PlayResult = { volumes: [], pods: [] };
  for (const claim of objs.claims) {
    if (!volumeExists(ctx, claim)) createVolume(ctx, { name: claim });
    result.volumes.push(claim);
  }
  for (const pod of objs.pods) result.pods.push(await playPod(ctx, objs, pod, opts));
  return result;
}

/** Removes a pod played from a file, with its emptyDir volumes and configMap files; its ID, or undefined when it was not there. */
export async function tearDownPod(ctx: Context, name: string): Promise<string | undefined> {
  const owner = nameOwner(ctx, name);
  let removed: string | undefined;
  if (owner && podExists(ctx, owner) && (await removePod(ctx, owner, { force: true, timeout: 10 }))) removed = owner;
  for (const v of listVolumes(ctx).filter((x) => x.labels[EMPTYDIR_LABEL] === name)) {
    await withVolumeLocks(ctx, [v.name], () => {
      if (volumeExists(ctx, v.name) && volumeUsers(ctx, v.name).length === 0) deleteVolumeFiles(ctx, v.name);
    });
  }
  fs.rmSync(path.join(ctx.root, 'kube', name), { recursive: true, force: true });
  return removed;
}

/** kube down / play --down: the file's pods go (volumes of its claims stay, as in podman). */
export async function kubeDown(ctx: Context, file: string, text: string): Promise<string[]> {
  const objs = readKubeFile(ctx, file, text);
  const removed: string[] = [];
  for (const pod of objs.pods) {
    const id = await tearDownPod(ctx, pod.name);
    if (id) removed.push(id);
  }
  return removed;
}
