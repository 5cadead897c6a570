// `pman kube generate` (and `generate kube`): a pod (or containers, put in one pod as podman does)
// described as a Kubernetes Pod, and with --service a NodePort Service for its published ports,
// written so that kube play makes an equivalent pod: the same images, commands, env, working
// directories, ports, mounts, limits and security settings (docs/kube.md).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { ImageConfigSpec } from '../image/image-record.js';
import { loadImageRecord } from '../image/records.js';
import { podContainers } from '../pod/members.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers, resolveContainer } from '../state/containers.js';
import type { PodRecord } from '../state/pod-record.js';
import { resolvePod } from '../state/pods.js';
import { cpuText, memoryText } from './quantity.js';
import { EMPTYDIR_LABEL } from './model.js';
import { loadVolume, volumeExists } from '../volume/volumes.js';

type Obj = Record<string, unknown>;

export interface GenerateOptions {
  refs: string[];
  service: boolean;
}

/** A Kubernetes name from a pman one: lower case, dashes for what DNS labels refuse. */
export function kubeName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return s.slice(0, 63) || 'container';
}

function imageConfig(ctx: Context, rec: ContainerRecord): ImageConfigSpec {
  try {
    return loadImageRecord(ctx, rec.image).config ?? {};
  } catch {
    return {}; // image removed since: emit everything
  }
}

const same = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
const RESTART: Record<string, string> = { always: 'Always', 'unless-stopped': 'Always', 'on-failure': 'OnFailure', no: 'Never' };

interface Built {
  container: Obj;
  volumes: Obj[];
}

function buildContainer(ctx: Context, rec: ContainerRecord, podName: string, ports: Obj[], warn: (m: string) => void): Built {
  const cfg = rec.config;
  const ic = imageConfig(ctx, rec);
  const c: Obj = { name: kubeName(rec.name.startsWith(`${podName}-`) ? rec.name.slice(podName.length + 1) : rec.name), image: rec.imageName };
  const commandChanged = !same(cfg.entrypoint, ic.Entrypoint);
  if (commandChanged) c.command = cfg.entrypoint;
  if (cfg.cmd.length && (commandChanged || !same(cfg.cmd, ic.Cmd))) c.args = cfg.cmd;
  const imageEnv = new Set(ic.Env ?? []);
  const env = cfg.env.filter((e) => !imageEnv.has(e)).map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  if (env.length) c.env = env;
  if (cfg.workingDir && cfg.workingDir !== (ic.WorkingDir || '/')) c.workingDir = cfg.workingDir;
  if (ports.length) c.ports = ports;
  if (cfg.tty) c.tty = true;
  if (cfg.interactive) c.stdin = true;
  const volumes: Obj[] = [];
  const mounts: Obj[] = [];
  for (const m of cfg.mounts ?? []) {
    const readOnly = m.options.includes('ro');
    let volume: Obj;
    if (m.type === 'bind') {
      const st = fs.statSync(m.source, { throwIfNoEntry: false });
      volume = { name: kubeName(`${c.name as string}-host-${volumes.length}`), hostPath: { path: m.source, type: st?.isFile() ? 'File' : 'Directory' } };
    } else if (m.type === 'volume') {
      const emptyDirOf = volumeExists(ctx, m.source) ? loadVolume(ctx, m.source).labels[EMPTYDIR_LABEL] : undefined;
      volume = emptyDirOf ? { name: kubeName(m.source.slice(emptyDirOf.length + 1)), emptyDir: {} } : { name: kubeName(`${m.source}-pvc`), persistentVolumeClaim: { claimName: m.source } };
    } else {
      warn(`kube generate: the tmpfs on ${m.destination} of container ${rec.name} has no Kubernetes equivalent and is left out`);
      continue;
    }
    volumes.push(volume);
    mounts.push({ name: volume.name, mountPath: m.destination, ...(readOnly ? { readOnly: true } : {}) });
  }
  if (mounts.length) c.volumeMounts = mounts;
  const limits: Obj = {};
  if (cfg.resources?.memory) limits.memory = memoryText(cfg.resources.memory);
  if (cfg.resources?.nanoCpus) limits.cpu = cpuText(cfg.resources.nanoCpus);
  if (Object.keys(limits).length) c.resources = { limits };
  const sc: Obj = {};
  const caps = (l: string[] | undefined) => (l ?? []).map((x) => x.replace(/^CAP_/, ''));
  if (cfg.security?.capAdd?.length || cfg.security?.capDrop?.length) {
    sc.capabilities = { ...(cfg.security.capAdd?.length ? { add: caps(cfg.security.capAdd) } : {}), ...(cfg.security.capDrop?.length ? { drop: caps(cfg.security.capDrop) } : {}) };
  }
  if (cfg.security?.privileged) sc.privileged = true;
  if (cfg.readOnly) sc.readOnlyRootFilesystem = true;
  const user = /^([0-9]+)(?::([0-9]+))?$/.exec(cfg.user);
  if (user) {
    sc.runAsUser = Number(user[1]);
    if (user[2] !== undefined) sc.runAsGroup = Number(user[2]);
  } else if (cfg.user) warn(`kube generate: user "${cfg.user}" of container ${rec.name} is not numeric: Kubernetes needs runAsUser as a number, left out`);
  if (Object.keys(sc).length) c.securityContext = sc;
  return { container: c, volumes };
}

function portsOf(owner: ContainerRecord | undefined): Obj[] {
  return (owner?.config.network?.ports ?? []).flatMap((p) =>
    Array.from({ length: p.range || 1 }, (_, i) => ({
      containerPort: p.containerPort + i,
      ...(p.hostPort ? { hostPort: p.hostPort + i } : {}),
      ...(p.hostIp ? { hostIP: p.hostIp } : {}),
      protocol: p.protocol.toUpperCase(),
    })),
  );
}

function podDocument(ctx: Context, name: string, labels: Record<string, string>, members: ContainerRecord[], infra: ContainerRecord | undefined, pod: PodRecord | undefined, warn: (m: string) => void): Obj {
  const containers: Obj[] = [];
  const volumes = new Map<string, Obj>();
  members.forEach((rec, i) => {
    // A pod's published ports are its infra's; podman lists them on the first container.
    const built = buildContainer(ctx, rec, name, i === 0 ? portsOf(infra ?? rec) : [], warn);
    containers.push(built.container);
    for (const v of built.volumes) volumes.set(v.name as string, v);
  });
  const annotations = Object.assign({}, ...members.map((m) => m.config.annotations ?? {})) as Record<string, string>;
  const policy = members[0]?.config.restartPolicy?.name ?? 'no';
  const spec: Obj = { restartPolicy: RESTART[policy] ?? 'Never', containers };
  const hostname = infra?.config.hostname;
  if (infra && pod?.share.includes('uts') && hostname && hostname !== name) spec.hostname = hostname;
  if (infra?.config.network?.mode === 'host') spec.hostNetwork = true;
  if (volumes.size) spec.volumes = [...volumes.values()];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name, ...labels }, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec,
  };
}

function serviceDocument(pod: Obj): Obj | undefined {
  const containers = (pod.spec as Obj).containers as Obj[];
  const ports = containers.flatMap((c) => (c.ports as Obj[] | undefined) ?? []).filter((p) => p.hostPort !== undefined);
  const name = (pod.metadata as Obj).name as string;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: name } },
    spec: {
      ports: ports.map((p) => ({ name: `${String(p.containerPort)}-${String(p.protocol).toLowerCase()}`, port: p.containerPort, targetPort: p.containerPort, protocol: p.protocol, nodePort: p.hostPort })),
      selector: { app: name },
      type: 'NodePort',
    },
  };
}

/** The documents: one Pod per pod named (and one for the containers named, together), then the Services. */
export async function generateKube(ctx: Context, opts: GenerateOptions, warn: (m: string) => void): Promise<Obj[]> {
  if (opts.refs.length === 0) throw new InvalidArgumentError('kube generate needs at least one container or pod name or ID');
  const pods: Obj[] = [];
  const loose: ContainerRecord[] = [];
  const all = listContainers(ctx);
  for (const ref of opts.refs) {
    let pod: PodRecord | undefined;
    try {
      pod = resolvePod(ctx, ref);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (pod) {
      const cs = await podContainers(ctx, pod, all);
      const infra = cs.find((c) => c.id === pod.infraId);
      const members = cs.filter((c) => c.id !== pod.infraId);
      if (members.length === 0) throw new InvalidArgumentError(`cannot generate a Kubernetes Pod for pod "${pod.name}": it has no containers besides its infra`);
      pods.push(podDocument(ctx, kubeName(pod.name), pod.labels, members, infra, pod, warn));
      continue;
    }
    const rec = resolveContainer(ctx, ref);
    if (rec.config.infra) throw new InvalidArgumentError(`cannot generate a Kubernetes Pod for "${rec.name}": it is a pod's infra container; name the pod`);
    if (rec.config.pod) throw new InvalidArgumentError(`cannot generate a Kubernetes Pod for container "${rec.name}" alone: it belongs to a pod; name the pod`);
    loose.push(rec);
  }
  if (loose.length) pods.push(podDocument(ctx, kubeName(`${loose[0].name}-pod`), {}, loose, undefined, undefined, warn));
  const services = opts.service ? pods.map(serviceDocument).filter((s): s is Obj => s !== undefined) : [];
  return [...pods, ...services];
}
