// /containers/{id}/exec and /exec/{id}/…: Docker creates an exec session first and starts it
// later; the shim only knows sessions once they run. So this service keeps the created ones (and
// how they ended) in memory, by an ID of its own; a service that exits forgets them, the
// processes themselves belong to the container's shim.
import { buildExecRequest } from '../container/exec.js';
import { reconcile } from '../container/reconcile.js';
import { parseDetachKeys, DEFAULT_DETACH_KEYS } from '../container/parse/detach-keys.js';
import { newId } from '../state/ids.js';
import { resolveContainer } from '../state/containers.js';
import { assertCan } from '../state/container-status.js';
import type { Call } from './call.js';
import { relaySession } from './attach-relay.js';
import { sizeQuery } from './container-routes.js';
import { ApiError, str, strList } from './http.js';
import { route, type Route } from './router.js';
import { resizeSessions } from './sessions.js';

interface ExecEntry {
  id: string;
  containerId: string;
  cmd: string[];
  env: string[];
  user?: string;
  workdir?: string;
  privileged: boolean;
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  detachKeys?: string;
  running: boolean;
  started: boolean;
  exitCode: number | null;
  pid: number;
  size?: { rows: number; cols: number };
}

/** Created sessions; ended ones are kept (bounded) for inspect. */
const execs = new Map<string, ExecEntry>();
const MAX_ENDED = 1000;

function forget(): void {
  if (execs.size <= MAX_ENDED) return;
  for (const [id, e] of execs) {
    if (execs.size <= MAX_ENDED) break;
    if (!e.running) execs.delete(id);
  }
}

function entry(call: Call): ExecEntry {
  const e = execs.get(call.params[0]);
  if (!e) throw new ApiError(404, `no such exec instance: ${call.params[0]}`);
  return e;
}

async function create(call: Call): Promise<void> {
  const rec = await reconcile(call.ctx, resolveContainer(call.ctx, call.params[0]));
  assertCan(rec, 'exec');
  const body = await call.body();
  const cmd = strList(body, 'Cmd') ?? [];
  if (cmd.length === 0) throw new ApiError(400, 'no exec command specified: give Cmd');
  const e: ExecEntry = {
    id: newId(),
    containerId: rec.id,
    cmd,
    env: strList(body, 'Env') ?? [],
    user: str(body, 'User') || undefined,
    workdir: str(body, 'WorkingDir') || undefined,
    privileged: body.Privileged === true,
    tty: body.Tty === true,
    stdin: body.AttachStdin === true,
    stdout: body.AttachStdout !== false,
    stderr: body.AttachStderr !== false,
    detachKeys: str(body, 'DetachKeys') || undefined,
    running: false,
    started: false,
    exitCode: null,
    pid: 0,
  };
  execs.set(e.id, e);
  forget();
  call.json(201, { Id: e.id });
}

async function start(call: Call): Promise<void> {
  const e = entry(call);
  const body = await call.body();
  if (e.started) throw new ApiError(409, `exec session ${e.id} has already been started`);
  const rec = await reconcile(call.ctx, resolveContainer(call.ctx, e.containerId));
  assertCan(rec, 'exec');
  const detach = body.Detach === true;
  const tty = body.Tty === true || e.tty;
  e.started = true;
  const req = buildExecRequest(call.ctx, rec, {
    command: e.cmd,
    interactive: e.stdin,
    tty,
    detach,
    env: e.env,
    envFiles: [],
    hostEnv: {},
    workdir: e.workdir,
    user: e.user,
    privileged: e.privileged,
    detachKeys: null,
    io: { stdin: process.stdin, stdout: { rows: e.size?.rows ?? 0, columns: e.size?.cols ?? 0 } as NodeJS.WriteStream, stderr: process.stderr },
  });
  e.running = true;
  try {
    if (detach) {
      // Started and left running: the shim keeps it; this answers once it runs.
      await relaySession(call.ctx, call, rec, { tty, stdin: false, stdout: false, stderr: false, detachKeys: null, exec: req, key: e.id, detached: true, closeStdinAtEnd: true });
      call.empty(200);
      return;
    }
    const keys = e.detachKeys;
    const result = await relaySession(call.ctx, call, rec, {
      tty,
      stdin: e.stdin,
      stdout: e.stdout,
      stderr: e.stderr,
      detachKeys: parseDetachKeys(keys ?? DEFAULT_DETACH_KEYS),
      exec: req,
      key: e.id,
      closeStdinAtEnd: true,
    });
    if (result?.kind === 'exit') e.exitCode = result.exitCode;
  } finally {
    if (!detach) e.running = false;
  }
}

async function resize(call: Call): Promise<void> {
  const e = entry(call);
  const size = sizeQuery(call);
  e.size = size;
  resizeSessions(e.id, size.rows, size.cols);
  call.empty(201);
}

async function inspect(call: Call): Promise<void> {
  const e = entry(call);
  call.json(200, {
    ID: e.id,
    ContainerID: e.containerId,
    Running: e.running,
    ExitCode: e.exitCode,
    Pid: e.pid,
    OpenStdin: e.stdin,
    OpenStdout: e.stdout,
    OpenStderr: e.stderr,
    CanRemove: !e.running,
    DetachKeys: e.detachKeys ?? '',
    ProcessConfig: { tty: e.tty, entrypoint: e.cmd[0], arguments: e.cmd.slice(1), privileged: e.privileged, user: e.user ?? '' },
  });
}

export function execRoutes(): Route[] {
  return [
    route('POST', '/containers/{id}/exec', create),
    route('POST', '/exec/{id}/start', start),
    route('POST', '/exec/{id}/resize', resize),
    route('GET', '/exec/{id}/json', inspect),
  ];
}
