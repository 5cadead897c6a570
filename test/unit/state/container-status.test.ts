// The status guards and transitions: which operation each status allows, the one message each
// refusal gives, and what each transition records.
import { InvalidStateError, PmanError, RuntimeError, exitCodeOf } from '../../../lib/errors.js';
import { initialState, ZERO_TIME, type ContainerState, type ContainerStatus } from '../../../lib/state/container-record.js';
import {
  assertCan,
  can,
  isRunning,
  isRunningNotPaused,
  toExited,
  toFailed,
  toPaused,
  toRunning,
  toShimLost,
  toUnpaused,
  withShim,
  type StatusOp,
} from '../../../lib/state/container-status.js';

const rec = (status: ContainerStatus, name = 'web') => ({ name, state: { ...initialState(), status } });
const message = (r: ReturnType<typeof rec>, op: StatusOp, shimAlive = false): string => {
  try {
    assertCan(r, op, { shimAlive });
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidStateError);
    return (err as Error).message;
  }
  return 'allowed';
};

const running: ContainerState = {
  ...initialState(),
  status: 'running',
  pid: 42,
  shimPid: 41,
  shimStartTime: 999,
  bootId: 'boot',
  startedAt: '2026-01-01T00:00:00.000Z',
  restartCount: 2,
  stoppedByUser: true,
};

describe('isRunning', () => {
  it('counts a paused container as running and a created or exited one not', () => {
    expect(['created', 'running', 'paused', 'exited'].map((s) => isRunning(rec(s as ContainerStatus)))).toEqual([false, true, true, false]);
    expect(isRunningNotPaused(rec('paused'))).toBe(false);
    expect(isRunningNotPaused(rec('running'))).toBe(true);
  });
});

describe('assertCan', () => {
  it('refuses to remove a running or paused container, or an exited one handed to a next shim, with the one message', () => {
    const msg = 'cannot remove container "web": container is running, stop it first or use --force';
    expect(message(rec('running'), 'remove')).toBe(msg);
    expect(message(rec('paused'), 'remove')).toBe(msg);
    expect(message(rec('exited'), 'remove', true)).toBe(msg);
    expect(message(rec('exited'), 'remove')).toBe('allowed');
    // Initialized (its shim waits for a Start): podman removes it without --force.
    expect(message(rec('created'), 'remove', true)).toBe('allowed');
  });

  it('refuses to start a running container and points at restart and attach', () => {
    expect(message(rec('running'), 'start')).toBe('cannot start container "web": it is already running; stop it first, or use "pman restart" or "pman attach"');
    expect(message(rec('created'), 'start')).toBe('allowed');
    expect(can(rec('created'), 'start', { shimAlive: true })).toBe(false);
    expect(message(rec('exited'), 'start')).toBe('allowed');
  });

  it('lets exec and attach in a running container only, and says what to do otherwise', () => {
    expect(message(rec('paused'), 'exec')).toBe('cannot exec in container "web": it is paused; unpause it first');
    expect(message(rec('exited'), 'exec')).toBe('cannot exec in container "web": it is not running (state exited); start it first');
    expect(message(rec('created'), 'attach')).toBe('cannot attach to container "web": it is not running (state created); start it with "pman start -a"');
    expect(message(rec('paused'), 'attach')).toBe('cannot attach to container "web": it is paused; unpause it first');
    expect(message(rec('running'), 'exec')).toBe('allowed');
    expect(message(rec('running'), 'attach')).toBe('allowed');
  });

  it('pauses a running container only and unpauses a paused one only', () => {
    expect(message(rec('paused'), 'pause')).toBe('cannot pause container "web": it is already paused');
    expect(message(rec('exited'), 'pause')).toBe('cannot pause container "web": it is not running (state exited)');
    expect(message(rec('running'), 'unpause')).toBe('cannot unpause container "web": it is not paused (state running)');
    expect(message(rec('running'), 'pause')).toBe('allowed');
    expect(message(rec('paused'), 'unpause')).toBe('allowed');
  });

  it('kills, samples and lists the processes of running or paused containers', () => {
    for (const op of ['kill', 'stats', 'top'] as const) {
      expect(can(rec('running'), op)).toBe(true);
      expect(can(rec('paused'), op)).toBe(true);
    }
    expect(message(rec('exited'), 'kill')).toBe('cannot kill container "web": it is not running (state exited)');
    expect(message(rec('created'), 'stats')).toBe('cannot show stats of container "web": it is not running (state created)');
    expect(message(rec('exited'), 'top')).toBe('cannot show the processes of container "web": it is not running (state exited)');
  });
});

describe('transitions', () => {
  it('toRunning records the process and shim and forgets the last exit', () => {
    const before = { ...initialState(), status: 'exited' as const, exitCode: 3, error: 'x', oomKilled: true, finishedAt: '2026-01-02T00:00:00.000Z', restartCount: 4, stoppedByUser: true };
    const s = toRunning(before, { pid: 7, shimPid: 6, shimStartTime: 5, bootId: 'b', startedAt: 'now' });
    expect(s).toEqual({ ...before, status: 'running', pid: 7, shimPid: 6, shimStartTime: 5, bootId: 'b', startedAt: 'now', finishedAt: ZERO_TIME, exitCode: 0, error: '', oomKilled: false, restartCount: 0, stoppedByUser: false });
    expect(before.status).toBe('exited');
  });

  it('toRunning keeps the restart count and the user stop when the restart policy restarted it', () => {
    const s = toRunning({ ...initialState(), restartCount: 4, stoppedByUser: true }, { pid: 7, shimPid: 6, shimStartTime: 5, bootId: 'b', startedAt: 'now', restarted: true });
    expect(s.restartCount).toBe(4);
    expect(s.stoppedByUser).toBe(true);
  });

  it('toExited records the code, time and OOM kill and clears the processes', () => {
    expect(toExited(running, { exitCode: 137, finishedAt: 'then', oomKilled: true })).toEqual({
      ...running,
      status: 'exited',
      exitCode: 137,
      finishedAt: 'then',
      oomKilled: true,
      pid: 0,
      shimPid: 0,
      shimStartTime: 0,
    });
  });

  it('toFailed exits a started container, and a created one only when its command could not run', () => {
    const created = { ...initialState(), shimPid: 9, shimStartTime: 8 };
    expect(toFailed(created, { message: 'boom', exitCode: 125, finishedAt: 't' })).toEqual({ ...created, shimPid: 0, shimStartTime: 0, error: 'boom' });
    expect(toFailed(created, { message: 'no cmd', exitCode: 127, finishedAt: 't' })).toEqual({ ...created, shimPid: 0, shimStartTime: 0, error: 'no cmd', status: 'exited', exitCode: 127, finishedAt: 't' });
    expect(toFailed(running, { message: 'sock', exitCode: 125, finishedAt: 't' })).toEqual({ ...running, shimPid: 0, shimStartTime: 0, error: 'sock', status: 'exited', pid: 0, exitCode: 125, finishedAt: 't' });
  });

  it('toShimLost exits a running container with -1 and the reason, and only forgets the shim of another', () => {
    expect(toShimLost(running, { finishedAt: 't', reason: 'gone' })).toEqual({ ...running, status: 'exited', exitCode: -1, finishedAt: 't', error: 'gone', pid: 0, shimPid: 0, shimStartTime: 0 });
    const created = { ...initialState(), shimPid: 9, shimStartTime: 8 };
    expect(toShimLost(created, { finishedAt: 't', reason: 'gone' })).toEqual({ ...created, shimPid: 0, shimStartTime: 0 });
  });

  it('withShim names the launched shim and clears an old error; pause and unpause flip the status', () => {
    expect(withShim({ ...initialState(), error: 'old' }, { shimPid: 3, shimStartTime: 4 })).toEqual({ ...initialState(), shimPid: 3, shimStartTime: 4, error: '' });
    expect(toPaused(running).status).toBe('paused');
    expect(toUnpaused(toPaused(running))).toEqual(running);
  });
});

describe('exitCodeOf', () => {
  it('takes a PmanError its code, a plain error with a code that code, and anything else 125', () => {
    expect(exitCodeOf(new RuntimeError('x', { exitCode: 127 }))).toBe(127);
    expect(exitCodeOf(new PmanError('system', 'x'))).toBe(125);
    expect(exitCodeOf(Object.assign(new Error('x'), { exitCode: 126 }))).toBe(126);
    expect(exitCodeOf(new Error('x'))).toBe(125);
    expect(exitCodeOf(undefined)).toBe(125);
    expect(exitCodeOf('text')).toBe(125);
  });
});
