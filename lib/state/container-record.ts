// The container record (containers/<id>/container.json): what the user asked for (config) and
// what happened to it (state), with its JSON schema. docs/state-layout.md describes it for humans.
import { validatorFor } from './validators.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'exited';
export type LogDriver = 'k8s-file' | 'json-file' | 'none';

export interface ContainerConfig {
  /** The process to run: entrypoint + cmd after image defaults and overrides. */
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  hostname: string;
  labels: Record<string, string>;
  stopSignal: string;
  stopTimeout: number;
  tty: boolean;
  interactive: boolean;
  autoRemove: boolean;
  logDriver: LogDriver;
  logPath: string;
  /** OCI runtime binary for this container. */
  runtime: string;
  // The options below came with container configuration (docs/configuration.md); they are optional
  // so that records written before them stay valid. Absent = the default.
  mounts?: MountConfig[];
  /** Containers whose mounts were copied (--volumes-from), as given. */
  volumesFrom?: string[];
  readOnly?: boolean;
  /** With readOnly: tmpfs on /run, /tmp and /var/tmp (default true, like podman). */
  readOnlyTmpfs?: boolean;
  resources?: ResourceConfig;
  security?: SecurityConfig;
  network?: NetworkConfig;
  annotations?: Record<string, string>;
  /** Run an init (catatonit) as PID 1 that reaps zombies and forwards signals. */
  init?: boolean;
  restartPolicy?: RestartPolicy;
  /** --log-opt: rotation (docs/log-format.md). */
  logOpts?: LogOptions;
}

/** A user mount (-v, --mount, --tmpfs, --volumes-from), validated and normalised at create. */
export interface MountConfig {
  type: 'bind' | 'volume' | 'tmpfs';
  /** bind: absolute host path; volume: the volume's name; tmpfs: "tmpfs". */
  source: string;
  /** Absolute, normalised path inside the container. */
  destination: string;
  /** Option words as -v spells them: ro, U, z, rshared, nocopy, size=64m, mode=1777 … */
  options: string[];
}

export interface ResourceConfig {
  /** Bytes. memorySwap is memory + swap (-1 = unlimited swap), as docker and the OCI spec count it. */
  memory?: number;
  memorySwap?: number;
  memoryReservation?: number;
  /** CPUs in billionths (--cpus 1.5 = 1500000000). */
  nanoCpus?: number;
  cpuShares?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  /** -1 = unlimited; absent = pman's default (2048). */
  pidsLimit?: number;
  oomKillDisable?: boolean;
  oomScoreAdj?: number;
  ulimits?: UlimitConfig[];
}

export interface UlimitConfig {
  /** Lower-case name without RLIMIT_ (nofile, nproc, core …). -1 = unlimited. */
  name: string;
  soft: number;
  hard: number;
}

export interface SecurityConfig {
  privileged?: boolean;
  /** Capability names with the CAP_ prefix, or ALL. */
  capAdd?: string[];
  capDrop?: string[];
  noNewPrivileges?: boolean;
  /** "default" (pman's profile), "unconfined", or the absolute path of a profile file. */
  seccomp?: string;
  /** Extra groups (names or numbers) for the container process. */
  groupAdd?: string[];
  /** Paths added to / removed from the masked paths (--security-opt mask= / unmask=). */
  mask?: string[];
  unmask?: string[];
}

export interface NetworkConfig {
  /** "none": own network namespace with loopback only; "host": the host's network. */
  mode: 'none' | 'host';
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /** HOST:IP entries added to /etc/hosts. */
  addHosts?: string[];
}

export interface RestartPolicy {
  name: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /** on-failure only: give up after this many restarts (0 = no limit). */
  maximumRetryCount: number;
}

export interface LogOptions {
  /** Rotate before a write would make the log file bigger than this (bytes). */
  maxSize?: number;
  /** Files kept in all, the live one included (with maxSize; default 1). */
  maxFile?: number;
  /** Accepted for podman compatibility; unused by the file drivers. */
  tag?: string;
}

export interface ContainerState {
  status: ContainerStatus;
  /** Container init pid while running, else 0. */
  pid: number;
  /** The shim supervising the container, and its start time (guards against pid reuse). */
  shimPid: number;
  shimStartTime: number;
  /** boot_id of the kernel the container was started under (a reboot invalidates runtime state). */
  bootId: string;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  /** Why the container is not in the state the user expected (e.g. the shim died). */
  error: string;
  oomKilled: boolean;
  restartCount: number;
  /** Set by `pman stop`: a restart policy must not bring the container back. */
  stoppedByUser?: boolean;
  /** Set while `pman restart` (this process) is between stop and start: `logs -f` keeps following. */
  restarting?: { pid: number; startTime: number };
}

export interface ContainerRecord {
  version: 1;
  id: string;
  name: string;
  created: string;
  /** Image ID (64 hex) and the name it was created from. */
  image: string;
  imageName: string;
  /** Image layer directories, top-most first (overlay lowerdir order). */
  layers: string[];
  config: ContainerConfig;
  state: ContainerState;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return {
    status: 'created',
    pid: 0,
    shimPid: 0,
    shimStartTime: 0,
    bootId: '',
    exitCode: 0,
    startedAt: ZERO_TIME,
    finishedAt: ZERO_TIME,
    error: '',
    oomKilled: false,
    restartCount: 0,
  };
}

const stringArray = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const integer = { type: 'integer' };

const mountSchema = {
  type: 'object',
  required: ['type', 'source', 'destination', 'options'],
  properties: { type: { enum: ['bind', 'volume', 'tmpfs'] }, source: { type: 'string' }, destination: { type: 'string' }, options: stringArray },
};

const resourcesSchema = {
  type: 'object',
  properties: {
    memory: integer,
    memorySwap: integer,
    memoryReservation: integer,
    nanoCpus: integer,
    cpuShares: integer,
    cpusetCpus: { type: 'string' },
    cpusetMems: { type: 'string' },
    pidsLimit: integer,
    oomKillDisable: { type: 'boolean' },
    oomScoreAdj: integer,
    ulimits: {
      type: 'array',
      items: { type: 'object', required: ['name', 'soft', 'hard'], properties: { name: { type: 'string' }, soft: integer, hard: integer } },
    },
  },
};

const securitySchema = {
  type: 'object',
  properties: {
    privileged: { type: 'boolean' },
    capAdd: stringArray,
    capDrop: stringArray,
    noNewPrivileges: { type: 'boolean' },
    seccomp: { type: 'string' },
    groupAdd: stringArray,
    mask: stringArray,
    unmask: stringArray,
  },
};

const networkSchema = {
  type: 'object',
  required: ['mode'],
  properties: { mode: { enum: ['none', 'host'] }, dns: stringArray, dnsSearch: stringArray, dnsOptions: stringArray, addHosts: stringArray },
};

const schema = {
  type: 'object',
  required: ['version', 'id', 'name', 'created', 'image', 'imageName', 'layers', 'config', 'state'],
  properties: {
    version: { const: 1 },
    id: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
    created: { type: 'string' },
    image: { type: 'string' },
    imageName: { type: 'string' },
    layers: stringArray,
    config: {
      type: 'object',
      required: ['entrypoint', 'cmd', 'env', 'workingDir', 'user', 'hostname', 'labels', 'stopSignal', 'stopTimeout', 'tty', 'interactive', 'autoRemove', 'logDriver', 'logPath', 'runtime'],
      properties: {
        entrypoint: stringArray,
        cmd: stringArray,
        env: stringArray,
        workingDir: { type: 'string' },
        user: { type: 'string' },
        hostname: { type: 'string' },
        labels: stringMap,
        stopSignal: { type: 'string' },
        stopTimeout: { type: 'integer', minimum: 0 },
        tty: { type: 'boolean' },
        interactive: { type: 'boolean' },
        autoRemove: { type: 'boolean' },
        logDriver: { enum: ['k8s-file', 'json-file', 'none'] },
        logPath: { type: 'string' },
        runtime: { type: 'string' },
        mounts: { type: 'array', items: mountSchema },
        volumesFrom: stringArray,
        readOnly: { type: 'boolean' },
        readOnlyTmpfs: { type: 'boolean' },
        resources: resourcesSchema,
        security: securitySchema,
        network: networkSchema,
        annotations: stringMap,
        init: { type: 'boolean' },
        restartPolicy: {
          type: 'object',
          required: ['name', 'maximumRetryCount'],
          properties: { name: { enum: ['no', 'on-failure', 'always', 'unless-stopped'] }, maximumRetryCount: { type: 'integer', minimum: 0 } },
        },
        logOpts: {
          type: 'object',
          properties: { maxSize: { type: 'integer', minimum: 1 }, maxFile: { type: 'integer', minimum: 1 }, tag: { type: 'string' } },
        },
      },
    },
    state: {
      type: 'object',
      required: ['status', 'pid', 'shimPid', 'shimStartTime', 'bootId', 'exitCode', 'startedAt', 'finishedAt', 'error', 'oomKilled', 'restartCount'],
      properties: {
        status: { enum: ['created', 'running', 'paused', 'exited'] },
        pid: { type: 'integer', minimum: 0 },
        shimPid: { type: 'integer', minimum: 0 },
        shimStartTime: { type: 'integer', minimum: 0 },
        bootId: { type: 'string' },
        exitCode: { type: 'integer' },
        startedAt: { type: 'string' },
        finishedAt: { type: 'string' },
        error: { type: 'string' },
        oomKilled: { type: 'boolean' },
        restartCount: { type: 'integer', minimum: 0 },
        stoppedByUser: { type: 'boolean' },
        restarting: {
          type: 'object',
          required: ['pid', 'startTime'],
          properties: { pid: { type: 'integer', minimum: 0 }, startTime: { type: 'integer', minimum: 0 } },
        },
      },
    },
  },
};

export const validateContainerRecord = validatorFor<ContainerRecord>('containerRecord', schema);
