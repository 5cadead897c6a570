// The Kubernetes objects kube play understands, read from parsed YAML into a small typed model.
// Every field is checked for its type (a wrong one is an error naming file, line and field);
// fields pman does not support are reported once each by name (a warning) and ignored, never
// dropped silently. docs/kube.md lists what is supported, field by field.
import { InvalidArgumentError } from '../errors.js';
import type { KubeDocument } from './yaml-docs.js';

export interface KubeEnv {
  name: string;
  value?: string;
  configMapKeyRef?: { name: string; key: string; optional: boolean };
}

export interface KubeContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: KubeEnv[];
  envFromConfigMaps: Array<{ name: string; optional: boolean }>;
  workingDir?: string;
  ports: Array<{ containerPort: number; hostPort?: number; protocol: string; hostIP?: string }>;
  volumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }>;
  limits: { memory?: string; cpu?: string };
  security: { runAsUser?: number; runAsGroup?: number; capAdd: string[]; capDrop: string[]; readOnlyRootFilesystem?: boolean; privileged?: boolean };
  tty: boolean;
  stdin: boolean;
}

export type KubeVolume =
  | { name: string; kind: 'hostPath'; path: string; type: string }
  | { name: string; kind: 'emptyDir' }
  | { name: string; kind: 'pvc'; claimName: string; readOnly: boolean }
  | { name: string; kind: 'configMap'; configMap: string; optional: boolean; items?: Array<{ key: string; path: string }> };

export interface KubePod {
  /** The pod's name (a Deployment's: <name>-pod, as podman names it). */
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hostname?: string;
  hostNetwork: boolean;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  containers: KubeContainer[];
  initContainers: KubeContainer[];
  volumes: KubeVolume[];
}

export interface KubeObjects {
  pods: KubePod[];
  configMaps: Map<string, Record<string, string>>;
  claims: string[];
}

/** The label on the volumes made for a pod's emptyDir volumes (removed by kube down; kube generate writes them back as emptyDir). */
export const EMPTYDIR_LABEL = 'io.pman.kube.emptydir';

export const KINDS = ['Pod', 'Deployment', 'ConfigMap', 'PersistentVolumeClaim', 'Service'];
export const HOST_PATH_TYPES = ['', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

type Obj = Record<string, unknown>;

/** Reads one document: where errors and warnings point, and which unsupported fields were seen. */
class DocReader {
  constructor(
    readonly file: string,
    readonly line: number,
    private readonly unsupported: (field: string) => void,
  ) {}

  fail(path: string, what: string): never {
    throw new InvalidArgumentError(`${this.file}:${this.line}: ${path}: ${what}`);
  }

  /** The object at path (undefined when absent); its keys outside `known` are reported. */
  obj(v: unknown, path: string, known: string[], ignored: string[] = []): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'must be a mapping');
    for (const k of Object.keys(v as Obj)) {
      if (!known.includes(k) && !ignored.includes(k)) this.unsupported(path ? `${path.replace(/\[\d+\]/g, '[]')}.${k}` : k);
    }
    return v as Obj;
  }

  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(path, `must be a string, not ${JSON.stringify(v)}`);
    return v;
  }

  need(v: string | undefined, path: string): string {
    if (v === undefined || v === '') this.fail(path, 'is required');
    return v;
  }

  int(v: unknown, path: string, min: number, max: number): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(path, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
    return v;
  }

  bool(v: unknown, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, not ${JSON.stringify(v)}`);
    return v;
  }

  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, 'must be a list');
    return v;
  }

  strings(v: unknown, path: string): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    return this.list(v, path).map((x, i) => this.need(this.str(x, `${path}[${i}]`), `${path}[${i}]`));
  }

  /** A string map (labels, annotations, ConfigMap data): numbers and booleans are not accepted, as in Kubernetes. */
  map(v: unknown, path: string): Record<string, string> {
    const o = this.obj(v, path, Object.keys((v as Obj | undefined) ?? {}));
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(o ?? {})) out[k] = this.need(this.str(x, `${path}.${k}`), `${path}.${k}`) ?? '';
    return out;
  }
}

function readEnv(r: DocReader, v: unknown, path: string): KubeEnv {
  const e = r.obj(v, path, ['name', 'value', 'valueFrom'])!;
  const name = r.need(r.str(e.name, `${path}.name`), `${path}.name`);
  const from = r.obj(e.valueFrom, `${path}.valueFrom`, ['configMapKeyRef']);
  if (!from) return { name, value: r.str(e.value, `${path}.value`) ?? '' };
  const ref = r.obj(from.configMapKeyRef, `${path}.valueFrom.configMapKeyRef`, ['name', 'key', 'optional']);
  if (!ref) r.fail(`${path}.valueFrom`, 'only configMapKeyRef is supported');
  return {
    name,
    configMapKeyRef: {
      name: r.need(r.str(ref.name, `${path}.valueFrom.configMapKeyRef.name`), `${path}.valueFrom.configMapKeyRef.name`),
      key: r.need(r.str(ref.key, `${path}.valueFrom.configMapKeyRef.key`), `${path}.valueFrom.configMapKeyRef.key`),
      optional: r.bool(ref.optional, `${path}.valueFrom.configMapKeyRef.optional`) ?? false,
    },
  };
}

function readContainer(r: DocReader, v: unknown, path: string): KubeContainer {
  const c = r.obj(v, path, ['name', 'image', 'command', 'args', 'env', 'envFrom', 'workingDir', 'ports', 'volumeMounts', 'resources', 'securityContext', 'tty', 'stdin'], ['imagePullPolicy', 'terminationMessagePath', 'terminationMessagePolicy'])!;
  const name = r.need(r.str(c.name, `${path}.name`), `${path}.name`);
  if (!DNS_LABEL.test(name)) r.fail(`${path}.name`, `"${name}" is not a valid container name (lower-case letters, digits and dashes)`);
  const res = r.obj(c.resources, `${path}.resources`, ['limits'], ['requests']);
  const limits = r.obj(res?.limits, `${path}.resources.limits`, ['memory', 'cpu']);
  const sc = r.obj(c.securityContext, `${path}.securityContext`, ['runAsUser', 'runAsGroup', 'capabilities', 'readOnlyRootFilesystem', 'privileged']);
  const caps = r.obj(sc?.capabilities, `${path}.securityContext.capabilities`, ['add', 'drop']);
  const quantity = (x: unknown, p: string) => (typeof x === 'number' ? String(x) : r.str(x, p));
  return {
    name,
    image: r.need(r.str(c.image, `${path}.image`), `${path}.image`),
    command: r.strings(c.command, `${path}.command`),
    args: r.strings(c.args, `${path}.args`),
    env: r.list(c.env, `${path}.env`).map((e, i) => readEnv(r, e, `${path}.env[${i}]`)),
    envFromConfigMaps: r.list(c.envFrom, `${path}.envFrom`).map((e, i) => {
      const f = r.obj(e, `${path}.envFrom[${i}]`, ['configMapRef'])!;
      const ref = r.obj(f.configMapRef, `${path}.envFrom[${i}].configMapRef`, ['name', 'optional']);
      if (!ref) r.fail(`${path}.envFrom[${i}]`, 'only configMapRef is supported');
      return { name: r.need(r.str(ref.name, `${path}.envFrom[${i}].configMapRef.name`), `${path}.envFrom[${i}].configMapRef.name`), optional: r.bool(ref.optional, `${path}.envFrom[${i}].configMapRef.optional`) ?? false };
    }),
    workingDir: r.str(c.workingDir, `${path}.workingDir`),
    ports: r.list(c.ports, `${path}.ports`).map((x, i) => {
      const p = r.obj(x, `${path}.ports[${i}]`, ['containerPort', 'hostPort', 'protocol', 'hostIP'], ['name'])!;
      const protocol = (r.str(p.protocol, `${path}.ports[${i}].protocol`) ?? 'TCP').toUpperCase();
      if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) r.fail(`${path}.ports[${i}].protocol`, `"${protocol}" is not TCP, UDP or SCTP`);
      return {
        containerPort: r.int(p.containerPort, `${path}.ports[${i}].containerPort`, 1, 65535) ?? r.fail(`${path}.ports[${i}].containerPort`, 'is required'),
        hostPort: r.int(p.hostPort, `${path}.ports[${i}].hostPort`, 1, 65535),
        protocol: protocol.toLowerCase(),
        hostIP: r.str(p.hostIP, `${path}.ports[${i}].hostIP`),
      };
    }),
    volumeMounts: r.list(c.volumeMounts, `${path}.volumeMounts`).map((x, i) => {
      const m = r.obj(x, `${path}.volumeMounts[${i}]`, ['name', 'mountPath', 'readOnly'])!;
      const mountPath = r.need(r.str(m.mountPath, `${path}.volumeMounts[${i}].mountPath`), `${path}.volumeMounts[${i}].mountPath`);
      if (!mountPath.startsWith('/')) r.fail(`${path}.volumeMounts[${i}].mountPath`, `"${mountPath}" is not an absolute path`);
      return { name: r.need(r.str(m.name, `${path}.volumeMounts[${i}].name`), `${path}.volumeMounts[${i}].name`), mountPath, readOnly: r.bool(m.readOnly, `${path}.volumeMounts[${i}].readOnly`) ?? false };
    }),
    limits: { memory: quantity(limits?.memory, `${path}.resources.limits.memory`), cpu: quantity(limits?.cpu, `${path}.resources.limits.cpu`) },
    security: {
      runAsUser: r.int(sc?.runAsUser, `${path}.securityContext.runAsUser`, 0, 2 ** 32 - 2),
      runAsGroup: r.int(sc?.runAsGroup, `${path}.securityContext.runAsGroup`, 0, 2 ** 32 - 2),
      capAdd: r.strings(caps?.add, `${path}.securityContext.capabilities.add`) ?? [],
      capDrop: r.strings(caps?.drop, `${path}.securityContext.capabilities.drop`) ?? [],
      readOnlyRootFilesystem: r.bool(sc?.readOnlyRootFilesystem, `${path}.securityContext.readOnlyRootFilesystem`),
      privileged: r.bool(sc?.privileged, `${path}.securityContext.privileged`),
    },
    tty: r.bool(c.tty, `${path}.tty`) ?? false,
    stdin: r.bool(c.stdin, `${path}.stdin`) ?? false,
  };
}

function readVolume(r: DocReader, v: unknown, path: string): KubeVolume {
  const o = r.obj(v, path, ['name', 'hostPath', 'emptyDir', 'persistentVolumeClaim', 'configMap'])!;
  const name = r.need(r.str(o.name, `${path}.name`), `${path}.name`);
  const hp = r.obj(o.hostPath, `${path}.hostPath`, ['path', 'type']);
  if (hp) {
    const p = r.need(r.str(hp.path, `${path}.hostPath.path`), `${path}.hostPath.path`);
    if (!p.startsWith('/')) r.fail(`${path}.hostPath.path`, `"${p}" is not an absolute path`);
    const type = r.str(hp.type, `${path}.hostPath.type`) ?? '';
    if (!HOST_PATH_TYPES.includes(type)) r.fail(`${path}.hostPath.type`, `"${type}" is not supported (use ${HOST_PATH_TYPES.filter(Boolean).join(', ')})`);
    return { name, kind: 'hostPath', path: p, type };
  }
  if (o.emptyDir !== undefined) {
    r.obj(o.emptyDir ?? {}, `${path}.emptyDir`, [], ['medium', 'sizeLimit']);
    return { name, kind: 'emptyDir' };
  }
  const pvc = r.obj(o.persistentVolumeClaim, `${path}.persistentVolumeClaim`, ['claimName', 'readOnly']);
  if (pvc) return { name, kind: 'pvc', claimName: r.need(r.str(pvc.claimName, `${path}.persistentVolumeClaim.claimName`), `${path}.persistentVolumeClaim.claimName`), readOnly: r.bool(pvc.readOnly, `${path}.persistentVolumeClaim.readOnly`) ?? false };
  const cm = r.obj(o.configMap, `${path}.configMap`, ['name', 'items', 'optional'], ['defaultMode']);
  if (cm) {
    const items = cm.items === undefined ? undefined : r.list(cm.items, `${path}.configMap.items`).map((x, i) => {
      const it = r.obj(x, `${path}.configMap.items[${i}]`, ['key', 'path'])!;
      return { key: r.need(r.str(it.key, `${path}.configMap.items[${i}].key`), `${path}.configMap.items[${i}].key`), path: r.need(r.str(it.path, `${path}.configMap.items[${i}].path`), `${path}.configMap.items[${i}].path`) };
    });
    return { name, kind: 'configMap', configMap: r.need(r.str(cm.name, `${path}.configMap.name`), `${path}.configMap.name`), optional: r.bool(cm.optional, `${path}.configMap.optional`) ?? false, items };
  }
  return r.fail(path, 'needs one of hostPath, emptyDir, persistentVolumeClaim or configMap (the volume types pman supports)');
}

function readPodSpec(r: DocReader, name: string, meta: Obj, specValue: unknown, path: string): KubePod {
  const spec = r.obj(specValue, path, ['containers', 'initContainers', 'volumes', 'restartPolicy', 'hostname', 'hostNetwork'], ['dnsPolicy', 'schedulerName', 'terminationGracePeriodSeconds', 'securityContext', 'enableServiceLinks']);
  if (!spec) r.fail(path, 'is required');
  const restart = r.str(spec.restartPolicy, `${path}.restartPolicy`) ?? 'Always';
  if (restart !== 'Always' && restart !== 'OnFailure' && restart !== 'Never') r.fail(`${path}.restartPolicy`, `"${restart}" is not Always, OnFailure or Never`);
  const containers = r.list(spec.containers, `${path}.containers`).map((c, i) => readContainer(r, c, `${path}.containers[${i}]`));
  if (containers.length === 0) r.fail(`${path}.containers`, 'needs at least one container');
  const initContainers = r.list(spec.initContainers, `${path}.initContainers`).map((c, i) => readContainer(r, c, `${path}.initContainers[${i}]`));
  const seen = new Set<string>();
  for (const c of [...initContainers, ...containers]) {
    if (seen.has(c.name)) r.fail(`${path}.containers`, `two containers are named "${c.name}"`);
    seen.add(c.name);
  }
  const volumes = r.list(spec.volumes, `${path}.volumes`).map((v, i) => readVolume(r, v, `${path}.volumes[${i}]`));
  for (const c of [...initContainers, ...containers]) {
    for (const m of c.volumeMounts) if (!volumes.some((v) => v.name === m.name)) r.fail(`${path}.containers`, `container "${c.name}" mounts volume "${m.name}", which spec.volumes does not declare`);
  }
  return {
    name,
    labels: r.map(meta.labels, 'metadata.labels'),
    annotations: r.map(meta.annotations, 'metadata.annotations'),
    hostname: r.str(spec.hostname, `${path}.hostname`),
    hostNetwork: r.bool(spec.hostNetwork, `${path}.hostNetwork`) ?? false,
    restartPolicy: restart,
    containers,
    initContainers,
    volumes,
  };
}

function metadataName(r: DocReader, doc: Obj): { meta: Obj; name: string } {
  const meta = r.obj(doc.metadata, 'metadata', ['name', 'labels', 'annotations'], ['namespace', 'creationTimestamp', 'uid', 'resourceVersion', 'generation']);
  if (!meta) r.fail('metadata', 'is required');
  const name = r.need(r.str(meta.name, 'metadata.name'), 'metadata.name');
  if (!DNS_NAME.test(name)) r.fail('metadata.name', `"${name}" is not a valid name (lower-case letters, digits, dashes and dots)`);
  return { meta, name };
}

/** The objects of a file's documents, checked; warn is told each unsupported field once. */
export function readKubeObjects(docs: KubeDocument[], file: string, warn: (message: string) => void): KubeObjects {
  const seen = new Set<string>();
  const unsupported = (field: string) => {
    if (seen.has(field)) return;
    seen.add(field);
    warn(`kube: unsupported field ${field} is ignored`);
  };
  const out: KubeObjects = { pods: [], configMaps: new Map(), claims: [] };
  for (const d of docs) {
    const r: DocReader = new DocReader(file, d.line, (f) => unsupported(`${String(d.value.kind)}.${f}`));
    const kind = r.str(d.value.kind, 'kind');
    if (kind === undefined || !KINDS.includes(kind)) {
      throw new InvalidArgumentError(`${file}:${d.line}: ${kind === undefined ? 'a document has no kind' : `unknown kind "${kind}"`}: kube play supports ${KINDS.join(', ')}`);
    }
    // A Service (kube generate --service writes one) describes how a cluster reaches the pod: on one
    // host the pod's hostPorts already do, so it is accepted and not played, as podman does.
    if (kind === 'Service') continue;
    r.obj(d.value, '', ['apiVersion', 'kind', 'metadata', 'spec', 'data'], ['status']);
    const { meta, name } = metadataName(r, d.value);
    if (kind === 'ConfigMap') {
      r.obj(d.value, '', ['apiVersion', 'kind', 'metadata', 'data'], ['binaryData']);
      out.configMaps.set(name, r.map(d.value.data, 'data'));
    } else if (kind === 'PersistentVolumeClaim') {
      r.obj(d.value.spec, 'spec', [], ['accessModes', 'resources', 'storageClassName', 'volumeMode']);
      out.claims.push(name);
    } else if (kind === 'Pod') {
      out.pods.push(readPodSpec(r, name, meta, d.value.spec, 'spec'));
    } else {
      const spec = r.obj(d.value.spec, 'spec', ['replicas', 'template'], ['selector', 'strategy']);
      if (!spec) r.fail('spec', 'is required');
      const replicas = r.int(spec.replicas, 'spec.replicas', 0, 1_000_000) ?? 1;
      if (replicas !== 1) warn(`kube: Deployment ${name} asks for ${replicas} replicas: pman (as podman) runs one`);
      const template = r.obj(spec.template, 'spec.template', ['metadata', 'spec']);
      if (!template) r.fail('spec.template', 'is required');
      const tmeta = r.obj(template.metadata, 'spec.template.metadata', ['labels', 'annotations'], ['name', 'creationTimestamp']) ?? {};
      const pod = readPodSpec(r, `${name}-pod`, tmeta, template.spec, 'spec.template.spec');
      pod.labels = { ...r.map(meta.labels, 'metadata.labels'), ...pod.labels };
      out.pods.push(pod);
    }
  }
  const names = new Set<string>();
  for (const p of out.pods) {
    if (names.has(p.name)) throw new InvalidArgumentError(`${file}: two pods are named "${p.name}"`);
    names.add(p.name);
  }
  return out;
}
