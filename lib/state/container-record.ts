// The container record (containers/<id>/container.json): what the user asked for (config) and
// what happened to it (state), with its JSON schema. docs/state-layout.md describes it for humans.
import { Ajv, type ValidateFunction } from 'ajv';

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
      },
    },
  },
};

let validator: ValidateFunction<ContainerRecord> | undefined;

export function validateContainerRecord(value: unknown): value is ContainerRecord {
  if (!validator) validator = new Ajv({ allErrors: false }).compile<ContainerRecord>(schema);
  const ok = validator(value);
  validateContainerRecord.errors = validator.errors;
  return ok;
}
validateContainerRecord.errors = null as ValidateFunction['errors'];
