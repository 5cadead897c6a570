// Starting the process of one exec session: its process spec (the container's own, with the
// session's command, environment, user and terminal) and `runc exec --detach` with the session's
// stdio. The process is re-parented to the shim, which reaps it (lib/shim/exec-manager.ts).
import fs from 'node:fs';
import path from 'node:path';
import { warmRuncAttach } from '../cgroup/attach-warmup.js';
import type { Context } from '../context.js';
import { hostCapabilities } from '../oci/capabilities.js';
import { runtimeError, runtimeExit, runtimeMessage, spawnRuntime, type RuntimeOptions } from '../oci/runtime.js';
import { parseSpec, serializeSpec } from '../oci/spec.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerDir } from '../state/paths.js';
import { trace } from '../util/trace.js';
import type { ContainerIO } from './container-io.js';
import type { ExecRequest } from './protocol.js';

export interface ExecPlace {
  ctx: Context;
  rec: ContainerRecord;
  rt: RuntimeOptions;
  /** <rundir>/execs: the session's spec, pid and runc log files live there while runc works. */
  execDir: string;
}

function containerProcess(where: Pick<ExecPlace, 'ctx' | 'rec'>): Record<string, unknown> {
  const base = parseSpec(fs.readFileSync(path.join(containerDir(where.ctx, where.rec.id), 'config.json'), 'utf8')) as {
    process: Record<string, unknown>;
  };
  return base.process;
}

/** A process as the container's own runs (its user, environment and working directory): health probes. */
export function containerProcessRequest(where: Pick<ExecPlace, 'ctx' | 'rec'>, args: string[]): ExecRequest {
  const p = containerProcess(where) as { env?: string[]; cwd?: string; user?: ExecRequest['user'] };
  return {
    args,
    env: p.env ?? [],
    cwd: p.cwd || '/',
    user: { uid: p.user?.uid ?? 0, gid: p.user?.gid ?? 0, additionalGids: p.user?.additionalGids ?? [] },
    tty: false,
    privileged: false,
    detach: false,
  };
}

export function processSpec(where: Pick<ExecPlace, 'ctx' | 'rec'>, req: ExecRequest): Record<string, unknown> {
  const base = { process: containerProcess(where) };
  // --privileged: every capability pman itself holds (a process can never get more).
  const caps = req.privileged ? hostCapabilities() : undefined;
  return {
    ...base.process,
    terminal: req.tty,
    args: req.args,
    env: req.env,
    cwd: req.cwd || '/',
    user: req.user,
    ...(caps ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
    ...(req.tty && req.rows && req.cols ? { consoleSize: { height: req.rows, width: req.cols } } : {}),
  };
}

/** `runc exec --detach`; resolves with the process pid. Errors map to 126/127/125. */
export async function runcExec(where: ExecPlace, id: string, req: ExecRequest, io: ContainerIO): Promise<number> {
  const specFile = path.join(where.execDir, `${id}.process.json`);
  const pidFile = path.join(where.execDir, `${id}.pid`);
  const logFile = path.join(where.execDir, `${id}.runc.log`);
  fs.writeFileSync(specFile, serializeSpec(processSpec(where, req)), { mode: 0o600 });
  const rt: RuntimeOptions = { ...where.rt, logFile };
  const args = ['--detach', '--pid-file', pidFile, '--process', specFile];
  if (io.consoleSocket) args.push('--console-socket', io.consoleSocket);
  args.push(where.rec.id);
  trace('shim exec: spec written');
  try {
    // runc exec's cgroup.procs writes find the kernel's lock warm (lib/cgroup/attach-warmup.ts).
    const warm = warmRuncAttach(where.ctx.rootless);
    const code = await runtimeExit(rt, spawnRuntime(rt, 'exec', args, { stdio: io.childStdio })).finally(warm);
    trace('shim exec: runc exited');
    io.closeChildEnds();
    if (code !== 0) throw runtimeError('exec in the container', runtimeMessage(rt));
    return Number(fs.readFileSync(pidFile, 'utf8').trim());
  } finally {
    for (const f of [specFile, pidFile, logFile]) fs.rmSync(f, { force: true });
  }
}
