// A container's status as a type: which operations each status allows (checked before every
// transition, with one error message per refusal) and the transitions themselves, as pure
// functions from one state to the next, so the shim and the commands record the same facts.
import { InvalidStateError } from '../errors.js';
import { processAlive } from '../util/proc.js';
import { ZERO_TIME, type ContainerState, type ContainerStatus } from './container-record.js';

export type { ContainerStatus } from './container-record.js';

/** Anything that carries a container's status, such as a record. */
export interface HasStatus {
  state: Pick<ContainerState, 'status'> & { error?: string };
}

/** A record as the guards need it: its status, and its name for the message. */
export interface NamedStatus extends HasStatus {
  name: string;
}

/** Its processes exist: running or paused (frozen), as docker's State.Running counts it. */
export function isRunning(rec: HasStatus): boolean {
  return rec.state.status === 'running' || rec.state.status === 'paused';
}

/** Running and not frozen: what attach, exec and pause need. */
export function isRunningNotPaused(rec: HasStatus): boolean {
  return rec.state.status === 'running';
}

export function isPaused(rec: HasStatus): boolean {
  return rec.state.status === 'paused';
}

/** Running, and a `pman stop` is waiting for it to exit (the process that set the marker lives). */
export function isStopping(rec: { state: Pick<ContainerState, 'status' | 'stopping'> }): boolean {
  const m = rec.state.stopping;
  return (rec.state.status === 'running' || rec.state.status === 'paused') && m !== undefined && processAlive(m.pid, m.startTime);
}

/**
 * Created, and its shim has run `runc create` and waits for a Start (`pman init`, or a `start -a`
 * whose client went away): podman's "initialized".
 */
export function isInitialized(rec: { state: Pick<ContainerState, 'status' | 'shimPid' | 'shimStartTime'> }): boolean {
  return rec.state.status === 'created' && rec.state.shimPid > 0 && processAlive(rec.state.shimPid, rec.state.shimStartTime);
}

/** The status ps and inspect show: the recorded one, or podman's "stopping" during a stop and "initialized". */
export function shownStatus(rec: { state: Pick<ContainerState, 'status' | 'stopping' | 'shimPid' | 'shimStartTime'> }): string {
  return isStopping(rec) ? 'stopping' : isInitialized(rec) ? 'initialized' : rec.state.status;
}

export function isCreated(rec: HasStatus): boolean {
  return rec.state.status === 'created';
}

export function isExited(rec: HasStatus): boolean {
  return rec.state.status === 'exited';
}

/** Operations guarded by the container's status. */
export type StatusOp = 'start' | 'attach' | 'exec' | 'remove' | 'kill' | 'pause' | 'unpause' | 'stats' | 'top';

export interface CanOptions {
  /**
   * The record's shim is alive (lib/container/start.ts shimAlive): a created container whose shim
   * waits for its Start counts as running for start (not for remove: podman removes an initialized
   * container); an exited one handing over to a next shim for both. Passed in so this module stays pure.
   */
  shimAlive?: boolean;
}

/** Why `op` is refused in this status (the reason part of the message), or undefined when allowed. */
function refusal(status: ContainerStatus, op: StatusOp, shimAlive: boolean, error = ''): string | undefined {
  // A stand-in for a record that cannot be read: only rm -f may touch it (it frees what the
  // container holds without its record).
  if (status === 'unknown') return `its record cannot be read, remove it with "pman rm -f"${error ? ` (${error})` : ''}`;
  const running = status === 'running' || status === 'paused';
  const state = `(state ${status})`;
  switch (op) {
    case 'start':
      return running || shimAlive ? 'it is already running; stop it first, or use "pman restart" or "pman attach"' : undefined;
    case 'remove':
      // A created container's live shim waits for its Start (initialized): podman removes such a
      // container without --force. An exited one's is handing it over to its next run.
      return running || (shimAlive && status !== 'created') ? 'container is running, stop it first or use --force' : undefined;
    case 'attach':
      if (status === 'paused') return 'it is paused; unpause it first';
      return status === 'running' ? undefined : `it is not running ${state}; start it with "pman start -a"`;
    case 'exec':
      if (status === 'paused') return 'it is paused; unpause it first';
      return status === 'running' ? undefined : `it is not running ${state}; start it first`;
    case 'pause':
      if (status === 'paused') return 'it is already paused';
      return status === 'running' ? undefined : `it is not running ${state}`;
    case 'unpause':
      return status === 'paused' ? undefined : `it is not paused ${state}`;
    case 'kill':
    case 'stats':
    case 'top':
      return running ? undefined : `it is not running ${state}`;
  }
}

/** "cannot <action> container" for each operation, as the messages start. */
const ACTION: Record<StatusOp, string> = {
  start: 'start container',
  attach: 'attach to container',
  exec: 'exec in container',
  remove: 'remove container',
  kill: 'kill container',
  pause: 'pause container',
  unpause: 'unpause container',
  stats: 'show stats of container',
  top: 'show the processes of container',
};

/** True when the container's status allows `op`. */
export function can(rec: HasStatus, op: StatusOp, opts: CanOptions = {}): boolean {
  return refusal(rec.state.status, op, opts.shimAlive === true, rec.state.error) === undefined;
}

/** Throws the one InvalidStateError for `op` in this status; returns when the status allows it. */
export function assertCan(rec: NamedStatus, op: StatusOp, opts: CanOptions = {}): void {
  const why = refusal(rec.state.status, op, opts.shimAlive === true, rec.state.error);
  if (why !== undefined) throw new InvalidStateError(`cannot ${ACTION[op]} "${rec.name}": ${why}`);
}

export interface RunningFacts {
  /** The container's init process. */
  pid: number;
  shimPid: number;
  shimStartTime: number;
  bootId: string;
  startedAt: string;
  /** Started again by its restart policy: the policy's count and the user's stop carry on. */
  restarted?: boolean;
}

/** The container runs, supervised by this shim; the previous run's exit is forgotten. */
export function toRunning(state: ContainerState, f: RunningFacts): ContainerState {
  const next: ContainerState = {
    ...state,
    status: 'running',
    pid: f.pid,
    shimPid: f.shimPid,
    shimStartTime: f.shimStartTime,
    bootId: f.bootId,
    startedAt: f.startedAt,
    finishedAt: ZERO_TIME,
    exitCode: 0,
    error: '',
    oomKilled: false,
  };
  // Started by a user: a new run of the restart policy.
  if (!f.restarted) Object.assign(next, { restartCount: 0, stoppedByUser: false });
  return next;
}

export interface ExitFacts {
  exitCode: number;
  finishedAt: string;
  oomKilled: boolean;
}

/** The container's init exited and its shim recorded the status; nothing supervises it any more. */
export function toExited(state: ContainerState, f: ExitFacts): ContainerState {
  return { ...state, status: 'exited', oomKilled: f.oomKilled, exitCode: f.exitCode, finishedAt: f.finishedAt, pid: 0, shimPid: 0, shimStartTime: 0 };
}

export interface FailureFacts {
  message: string;
  exitCode: number;
  finishedAt: string;
}

/**
 * The shim failed before it could supervise the container. A container runc had started (and the
 * shim then stopped) is exited with the failure's code; so is one whose command could not be run
 * (126/127), as podman records it; any other stays as it was, with the error noted.
 */
export function toFailed(state: ContainerState, f: FailureFacts): ContainerState {
  const next: ContainerState = { ...state, shimPid: 0, shimStartTime: 0, error: f.message };
  if (state.status === 'running') Object.assign(next, { status: 'exited', pid: 0, exitCode: f.exitCode, finishedAt: f.finishedAt });
  if (f.exitCode === 126 || f.exitCode === 127) Object.assign(next, { status: 'exited', exitCode: f.exitCode, finishedAt: f.finishedAt });
  return next;
}

/**
 * The shim is gone (killed, crashed, or lost with a reboot) without recording an exit: a container
 * that was running is exited with code -1 and the reason; in any status the shim is forgotten.
 */
export function toShimLost(state: ContainerState, f: { finishedAt: string; reason: string }): ContainerState {
  const next: ContainerState = { ...state, shimPid: 0, shimStartTime: 0 };
  if (state.status === 'running' || state.status === 'paused') {
    Object.assign(next, { status: 'exited', exitCode: -1, finishedAt: f.finishedAt, error: f.reason, pid: 0 });
  }
  return next;
}

/** A shim was launched for the container (not yet running): it is named in the record. */
export function withShim(state: ContainerState, f: { shimPid: number; shimStartTime: number }): ContainerState {
  return { ...state, shimPid: f.shimPid, shimStartTime: f.shimStartTime, error: '' };
}

/**
 * `pman init` of an exited container: its new shim has run `runc create` and waits for a Start,
 * so it is created again (the last run's exit code and times stay until it runs).
 */
export function toInitialized(state: ContainerState): ContainerState {
  return { ...state, status: 'created' };
}

/** Frozen by `pman pause`. */
export function toPaused(state: ContainerState): ContainerState {
  return { ...state, status: 'paused' };
}

/** Thawed by `pman unpause`. */
export function toUnpaused(state: ContainerState): ContainerState {
  return { ...state, status: 'running' };
}
