// `pman exec`: resolve what to run (env, workdir, user from the container's own files) and hand it
// to the container's shim, which runs it with `runc exec` and relays its stdio to this client.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { processEnv } from '../oci/spec.js';
import { groupIdsOf, readImageFile, resolveUser } from '../oci/user.js';
import type { ExecRequest } from '../shim/protocol.js';
import type { ExecSessionInfo } from '../shim/exec-session.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerRunDir } from '../state/paths.js';
import { attachSession, type AttachIO, type AttachResult } from './attach-client.js';
import { mergeEnv, parseEnvFlag, readEnvFile } from './parse/env.js';
import { reconcile } from './reconcile.js';
import { trace } from '../util/trace.js';
import { assertCan } from '../state/container-status.js';

export interface ExecOptions {
  command: string[];
  interactive: boolean;
  tty: boolean;
  detach: boolean;
  env: string[];
  envFiles: string[];
  hostEnv: NodeJS.ProcessEnv;
  workdir?: string;
  user?: string;
  privileged: boolean;
  /** --preserve-fds: this process's descriptors 3.. to pass into the process (0: none). */
  preserveFds?: number;
  detachKeys: Buffer | null;
  io: AttachIO;
}

export type ExecResult = AttachResult | { kind: 'started'; execId: string };

/** The container's files as it sees them now: its upper dir over the image layers. */
function containerLayers(ctx: Context, rec: ContainerRecord): string[] {
  return [rootfsPaths(ctx, rec.id).upper, ...rec.layers];
}

export function buildExecRequest(ctx: Context, rec: ContainerRecord, opts: ExecOptions): ExecRequest {
  if (opts.command.length === 0) throw new InvalidArgumentError('exec needs a command: pman exec [options] CONTAINER COMMAND [ARG...]');
  if (opts.workdir !== undefined && !opts.workdir.startsWith('/')) {
    throw new InvalidArgumentError(`invalid --workdir "${opts.workdir}": the working directory must be an absolute path`);
  }
  const layers = containerLayers(ctx, rec);
  const groupText = readImageFile(layers, 'etc/group');
  // As podman 4.3.1's exec: without -u, the container's user with its --group-add groups; the
  // groups /etc/group lists a user in only when a user is named (by -u or the container's own
  // user), so root of a container made without one gets no supplementary groups.
  const named = opts.user || rec.config.user;
  const user = resolveUser(named || '0', readImageFile(layers, 'etc/passwd'), groupText);
  const added = opts.user ? [] : groupIdsOf(rec.config.security?.groupAdd ?? [], groupText);
  const additionalGids = [...new Set([...added, ...(named ? user.additionalGids : [])])];
  const env = mergeEnv(
    processEnv({ ...rec, config: { ...rec.config, env: rec.config.env } }, user.home),
    ...opts.envFiles.map((f) => readEnvFile(f, opts.hostEnv)),
    ...opts.env.map((e) => parseEnvFlag(e, opts.hostEnv)),
    opts.tty ? ['TERM=xterm'] : [],
  );
  return {
    args: opts.command,
    env,
    cwd: opts.workdir ?? rec.config.workingDir,
    user: { uid: user.uid, gid: user.gid, additionalGids },
    tty: opts.tty,
    privileged: opts.privileged,
    detach: opts.detach,
    rows: opts.io.stdout.rows || undefined,
    cols: opts.io.stdout.columns || undefined,
  };
}

export async function execInContainer(ctx: Context, rec0: ContainerRecord, opts: ExecOptions): Promise<ExecResult> {
  const rec = await reconcile(ctx, rec0);
  assertCan(rec, 'exec');
  const req = buildExecRequest(ctx, rec, opts);
  trace('exec: request built');
  if (opts.preserveFds) {
    if (opts.detach) throw new InvalidArgumentError('--preserve-fds with --detach is not supported: pman passes descriptors to a process it runs in the foreground');
    const { execWithFds, preservedFds } = await import('./exec-fds.js');
    return { kind: 'exit', exitCode: await execWithFds(ctx, rec, req, preservedFds(opts.preserveFds), opts.interactive) };
  }
  let execId = '';
  const result = await attachSession(ctx, rec, {
    io: opts.io,
    stdin: opts.interactive && !opts.detach,
    tty: opts.tty,
    start: false,
    detachKeys: opts.detachKeys,
    sigProxy: false,
    exec: req,
    onWelcome: (w) => {
      execId = w.execId ?? '';
      return !opts.detach;
    },
  });
  trace('exec: session over');
  return opts.detach ? { kind: 'started', execId } : result;
}

/** Live exec sessions of a running container, as its shim lists them. */
export function listExecSessions(ctx: Context, rec: ContainerRecord): ExecSessionInfo[] {
  const dir = path.join(containerRunDir(ctx, rec.id), 'execs');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^[0-9a-f]{64}\.json$/.test(n));
  } catch {
    return [];
  }
  const out: ExecSessionInfo[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as ExecSessionInfo);
    } catch {
      /* ended meanwhile */
    }
  }
  return out;
}
