// A user's network namespace for bridge networks (podman's "rootless-netns"; docs/networking.md,
// "Rootless user networks"). netavark and aardvark-dns run inside it, so the bridges, veths'
// host ends, iptables rules and DNS of a user's networks live there, in the user's own user
// namespace; slirp4netns uplinks it to the host (outbound, published ports).
//
// No daemon: the namespace is made by the first wiring that needs it and ended by the unwiring of
// the last container using it. While it exists a small holder process (sh, "pman-netns-holder")
// keeps slirp4netns's --exit-fd pipe open: killing the holder (even with SIGKILL) ends the uplink,
// and the holder ends by itself, stopping a leftover aardvark-dns, when the namespace file goes
// away under it (the runtime directory removed, as by a reboot). A holder found dead is replaced by
// the next wiring; with no container left, the namespace is taken down first.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../context.js';
import { PmanError } from '../../errors.js';
import { native } from '../../native/native.js';
import { isMountedNetns } from '../leases.js';
import { netavarkConfigDir } from '../network-paths.js';
import { createNetnsAt, removeNetnsAt } from '../netns.js';
import { isHelperOf, stopPid } from '../user-mode/helper.js';
import { READY_FD, slirpArgs } from '../user-mode/slirp4netns.js';
import { userModeBinary } from '../user-mode/usable.js';
import { userNetnsApiSocket, userNetnsDir, userNetnsHolderFile, userNetnsLog, userNetnsPath } from './paths.js';

export const HOLDER_NAME = 'pman-netns-holder';

/**
 * The holder: sleeps while the namespace file exists, remembering aardvark-dns's pid; when the
 * file is gone, stops that aardvark-dns. Its fd 3 is slirp4netns's exit pipe (closed for sleep).
 */
const HOLDER_SCRIPT = 'while [ -e "$1" ]; do [ -r "$2" ] && read p < "$2"; sleep 1 3>&-; done; [ -n "$p" ] && read c < "/proc/$p/comm" && [ "$c" = aardvark-dns ] && kill "$p"';

interface HolderRecord {
  holder: number;
  slirp: number;
}

function aardvarkPidFile(ctx: Context): string {
  return path.join(netavarkConfigDir(ctx), 'aardvark-dns', 'aardvark.pid');
}

function readHolder(ctx: Context): HolderRecord | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(userNetnsHolderFile(ctx), 'utf8')) as Partial<HolderRecord>;
    return Number.isInteger(r.holder) && Number.isInteger(r.slirp) ? (r as HolderRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** True when pid is the holder of this namespace (a recycled pid is something else). */
export function isHolderOf(pid: number, netns: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes(HOLDER_NAME) && argv.includes(netns);
  } catch {
    return false;
  }
}

/** The namespace is usable: mounted, its holder and its slirp4netns alive. */
function alive(ctx: Context): boolean {
  const netns = userNetnsPath(ctx);
  const rec = readHolder(ctx);
  return !!rec && isMountedNetns(netns) && isHolderOf(rec.holder, netns) && isHelperOf(rec.slirp, netns);
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

/** Stops the holder and the uplink, if they run. */
async function stopUplink(ctx: Context): Promise<void> {
  const netns = userNetnsPath(ctx);
  const rec = readHolder(ctx);
  if (rec && isHolderOf(rec.holder, netns)) kill(rec.holder, 'SIGKILL');
  if (rec) await stopPid(rec.slirp, netns);
  fs.rmSync(userNetnsHolderFile(ctx), { force: true });
}

/** An aardvark-dns still running in the namespace (its last network's teardown never ran) is stopped. */
function stopAardvarkIn(ctx: Context, netns: string): void {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(aardvarkPidFile(ctx), 'utf8').trim());
    if (!(pid > 0) || fs.statSync(`/proc/${pid}/ns/net`).ino !== fs.statSync(netns).ino) return;
  } catch {
    return;
  }
  kill(pid, 'SIGKILL');
  fs.rmSync(aardvarkPidFile(ctx), { force: true });
}

/** Takes the namespace down: holder, uplink, a leftover aardvark-dns, the mount, the directory. Safe to repeat. */
export async function endUserNetns(ctx: Context): Promise<void> {
  const netns = userNetnsPath(ctx);
  await stopUplink(ctx);
  if (isMountedNetns(netns)) stopAardvarkIn(ctx, netns);
  removeNetnsAt(netns);
  fs.rmSync(userNetnsDir(ctx), { recursive: true, force: true });
}

/** slirp4netns's messages, without syslog noise. */
function slirpMessages(ctx: Context): string {
  try {
    return fs
      .readFileSync(userNetnsLog(ctx), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/to syslog$/.test(l))
      .join('; ');
  } catch {
    return '';
  }
}

/** Starts slirp4netns on the namespace and the holder of its exit pipe; returns when it is configured. */
async function startUplink(ctx: Context, netns: string): Promise<void> {
  const bin = userModeBinary('slirp4netns');
  if (!bin) throw new PmanError('system', 'cannot start the user network namespace: slirp4netns is not installed (package slirp4netns)');
  const apiSocket = userNetnsApiSocket(ctx);
  fs.rmSync(apiSocket, { force: true });
  const [exitRead, exitWrite] = native().pipe();
  const log = fs.openSync(userNetnsLog(ctx), 'w', 0o600);
  let slirp;
  let holder;
  try {
    slirp = spawn(bin, slirpArgs(bin, netns, apiSocket).slice(1), { detached: true, stdio: ['ignore', log, log, exitRead, 'pipe'] });
    holder = spawn('sh', ['-c', HOLDER_SCRIPT, HOLDER_NAME, netns, aardvarkPidFile(ctx)], { detached: true, stdio: ['ignore', 'ignore', 'ignore', exitWrite] });
  } finally {
    for (const fd of [exitRead, exitWrite, log]) native().closeFd(fd);
  }
  const ready = slirp.stdio[READY_FD]!;
  const child = slirp;
  const started = await new Promise<boolean>((resolve) => {
    ready.once('data', () => resolve(true));
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  (ready as unknown as { destroy(): void }).destroy();
  slirp.unref();
  holder.unref();
  const rec: HolderRecord = { holder: holder.pid ?? 0, slirp: slirp.pid ?? 0 };
  fs.writeFileSync(userNetnsHolderFile(ctx), JSON.stringify(rec), { mode: 0o600 });
  if (!started || !holder.pid) {
    const why = slirpMessages(ctx) || 'it exited before it was ready';
    await stopUplink(ctx);
    throw new PmanError('system', `cannot start slirp4netns for the user network namespace: ${why}`);
  }
}

/**
 * Makes the namespace, or recovers it, and returns its path; call under userNetnsLock. `inUse`:
 * other containers are wired to it now (a dead uplink is then restarted on the same namespace and
 * `reforward` publishes their ports again); otherwise a namespace found without a live holder is
 * taken down and made afresh.
 */
export async function ensureUserNetns(ctx: Context, inUse: boolean, reforward: () => Promise<void>): Promise<string> {
  const netns = userNetnsPath(ctx);
  if (alive(ctx)) return netns;
  await stopUplink(ctx);
  if (inUse && isMountedNetns(netns)) {
    await startUplink(ctx, netns);
    await reforward();
    return netns;
  }
  await endUserNetns(ctx);
  fs.mkdirSync(userNetnsDir(ctx), { recursive: true, mode: 0o700 });
  createNetnsAt(ctx, netns, 'of the user networks');
  try {
    await startUplink(ctx, netns);
  } catch (err) {
    await endUserNetns(ctx);
    throw err;
  }
  return netns;
}

/** True when the namespace (or what is left of it) exists. */
export function userNetnsExists(ctx: Context): boolean {
  return fs.existsSync(userNetnsDir(ctx));
}
