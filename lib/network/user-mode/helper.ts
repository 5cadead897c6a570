// Starting and stopping a container's user-mode stack (pasta or slirp4netns) on its namespace.
// The shim starts it before runc runs the container and stops it after the container is gone;
// after a shim died, whoever unwires the container (reconciliation, rm) stops it from the pid kept
// in the setup record, checking first that the pid is still that helper on that namespace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../context.js';
import { PmanError } from '../../errors.js';
import { native } from '../../native/native.js';
import type { ContainerRecord } from '../../state/container-record.js';
import { netnsDir } from '../network-paths.js';
import type { PortSpec } from '../ports.js';
import type { UserModeKind } from './options.js';
import { pastaArgs } from './pasta.js';
import { EXIT_FD, READY_FD, slirpArgs, slirpForward } from './slirp4netns.js';
import { userModeBinary } from './usable.js';

export interface UserModeHelper {
  kind: UserModeKind;
  pid: number;
  /** slirp4netns's API socket. */
  apiSocket?: string;
}

/** The shim's ends of slirp4netns's exit pipes: kept open (and referenced) while the shim lives. */
const exitPipes = new Map<number, NodeJS.ReadableStream | NodeJS.WritableStream>();

function helperFile(ctx: Context, id: string, suffix: string): string {
  // Short: a unix socket path must stay under 108 bytes.
  return path.join(netnsDir(ctx), `${id.slice(0, 12)}.${suffix}`);
}

/** pasta's and slirp4netns's messages, without "Failed to send N bytes to syslog" noise. */
function messages(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/to syslog$/.test(l))
    .join('; ');
}

async function startPasta(ctx: Context, rec: ContainerRecord, netns: string, bin: string): Promise<UserModeHelper> {
  const pidFile = helperFile(ctx, rec.id, 'pasta.pid');
  fs.rmSync(pidFile, { force: true });
  const args = pastaArgs(bin, netns, pidFile, (rec.config.network?.ports ?? []) as PortSpec[], rec.config.network?.userModeOptions);
  const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // It exits once the namespace is configured and the daemon it forked runs (its pid in pidFile).
  const code = await new Promise<number>((resolve) => {
    child.on('error', (err) => {
      out += err.message;
      resolve(127);
    });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  const pid = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : NaN);
  fs.rmSync(pidFile, { force: true });
  if (code !== 0 || !(pid > 0)) {
    if (pid > 0) await stopPid(pid, netns);
    throw new PmanError('system', `cannot start pasta for container "${rec.name}": ${messages(out) || `exit status ${code}`}`);
  }
  return { kind: 'pasta', pid };
}

async function startSlirp(ctx: Context, rec: ContainerRecord, netns: string, bin: string): Promise<UserModeHelper> {
  const apiSocket = helperFile(ctx, rec.id, 'slirp.sock');
  const logFile = helperFile(ctx, rec.id, 'slirp.log');
  fs.rmSync(apiSocket, { force: true });
  const log = fs.openSync(logFile, 'w', 0o600);
  const args = slirpArgs(bin, netns, apiSocket, rec.config.network?.userModeOptions);
  let child;
  try {
    child = spawn(args[0], args.slice(1), { stdio: ['ignore', log, log, 'pipe', 'pipe'] });
  } finally {
    fs.closeSync(log);
  }
  const exitEnd = child.stdio[EXIT_FD]!;
  const ready = child.stdio[READY_FD]!;
  const started = await new Promise<boolean>((resolve) => {
    ready.once('data', () => resolve(true));
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  (ready as unknown as { destroy(): void }).destroy();
  if (!started || !child.pid) {
    await stopPid(child.pid ?? 0, netns);
    throw new PmanError('system', `cannot start slirp4netns for container "${rec.name}": ${messages(fs.readFileSync(logFile, 'utf8')) || 'it exited before it was ready'}`);
  }
  // Held for the shim's lifetime: its closing (the shim ending, even killed) ends slirp4netns.
  exitPipes.set(child.pid, exitEnd);
  (exitEnd as unknown as { unref?(): void }).unref?.();
  child.unref();
  try {
    await slirpForward(apiSocket, (rec.config.network?.ports ?? []) as PortSpec[]);
  } catch (err) {
    await stopPid(child.pid, netns);
    throw err;
  }
  return { kind: 'slirp4netns', pid: child.pid, apiSocket };
}

/** Starts the container's stack on netns; the namespace is configured when this returns. */
export async function startUserMode(ctx: Context, rec: ContainerRecord, kind: UserModeKind, netns: string): Promise<UserModeHelper> {
  // --network-cmd-path names slirp4netns's binary (podman's flag; pasta has its own).
  const chosen = kind === 'slirp4netns' ? ctx.engine?.networkCmdPath : undefined;
  if (chosen !== undefined && !fs.existsSync(chosen)) throw new PmanError('system', `cannot start slirp4netns for container "${rec.name}": --network-cmd-path "${chosen}" does not exist`);
  const bin = chosen ?? userModeBinary(kind);
  if (!bin) throw new PmanError('system', `cannot start ${kind} for container "${rec.name}": it is not installed (package ${kind === 'pasta' ? 'passt' : 'slirp4netns'})`);
  return kind === 'pasta' ? startPasta(ctx, rec, netns, bin) : startSlirp(ctx, rec, netns, bin);
}

/** True when pid is a pasta or slirp4netns serving netns (a recycled pid is something else). */
export function isHelperOf(pid: number, netns: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes(netns) || argv.includes(`--netns=${netns}`);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL; reaps it when it is ours (a daemonised pasta is re-parented to the shim). */
export async function stopPid(pid: number, netns: string): Promise<void> {
  if (!(pid > 0) || !isHelperOf(pid, netns)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 200 && isHelperOf(pid, netns); i++) {
    try {
      native().waitpid(pid);
    } catch {
      /* not our child */
    }
    if (i === 100) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Stops the stack of a container wired on netns and removes its files. Safe to repeat. */
export async function stopUserMode(ctx: Context, id: string, helper: UserModeHelper, netns: string): Promise<void> {
  await stopPid(helper.pid, netns);
  const pipe = exitPipes.get(helper.pid);
  exitPipes.delete(helper.pid);
  (pipe as unknown as { destroy?(): void } | undefined)?.destroy?.();
  for (const suffix of ['slirp.sock', 'slirp.log', 'pasta.pid']) fs.rmSync(helperFile(ctx, id, suffix), { force: true });
}
