// Rootless test harness: real unprivileged users (created once, idempotently, with their own
// subordinate ID ranges), each test file with its own HOME and XDG_RUNTIME_DIR per user (so its
// own store and its own user namespace), pman run through `runuser` exactly as a user would run
// it — a world-readable copy of this checkout's build, since the checkout itself may be private
// to root. cleanup() removes containers, kills everything left in that user namespace and the files.
import { execa, type Options as ExecaOptions, type Result } from 'execa';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxTarball, fileScoped, PROJECT, type PmanResult } from '../harness.js';

export interface TestUser {
  name: string;
  /** The first subordinate ID of the user's range, or undefined for a user without one. */
  subStart?: number;
}

/** Distinct ranges far above the ones useradd hands out (100000 + 65536 per user). */
export const USER1: TestUser = { name: 'pmanrl1', subStart: 3_000_000 };
export const USER2: TestUser = { name: 'pmanrl2', subStart: 3_065_536 };
export const NOSUBIDS: TestUser = { name: 'pmanrl3' };
const SUB_COUNT = 65536;
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Creates the test users and their /etc/subuid and /etc/subgid lines if missing (under flock,
 * test files run in parallel). Touches only lines of these users.
 */
export function ensureUsers(): void {
  const lines: string[] = [];
  for (const u of [USER1, USER2, NOSUBIDS]) {
    lines.push(`id -u ${u.name} >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 ${u.name}`);
    for (const file of ['/etc/subuid', '/etc/subgid']) {
      const want = u.subStart === undefined ? '' : `${u.name}:${u.subStart}:${SUB_COUNT}`;
      lines.push(
        want
          ? `grep -qx '${want}' ${file} || { sed -i '/^${u.name}:/d' ${file}; echo '${want}' >> ${file}; }`
          : `! grep -q '^${u.name}:' ${file} || sed -i '/^${u.name}:/d' ${file}`,
      );
    }
  }
  execFileSync('flock', ['/tmp/pman-rootless-users.lock', 'sh', '-ec', lines.join('\n')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const bin = rootlessPman();
  try {
    execFileSync('runuser', ['-u', USER1.name, '--', 'test', '-r', path.join(path.dirname(bin), '../dist/bundle/main.cjs')]);
  } catch {
    throw new Error(`the copy of the build at ${path.dirname(path.dirname(bin))} is not readable by ${USER1.name}`);
  }
}

/** Where the world-readable copies of builds go: root's own directory, which no user can plant in. */
const BUILDS = '/tmp/pman-rootless-builds';
let copied: string | undefined;

/**
 * The pman the test users run: a copy of this checkout's build (what scripts/runtime-tree.mjs
 * takes, as install.sh does), world-readable, named by its content, made once per build and
 * shared by the test files (whichever comes first makes it). A copy of the build rather than the
 * installed pman: the tests run exactly what `npm test` compiled, and the checkout itself may be
 * private to root (a clone in /root), which the test users could not read.
 */
export function rootlessPman(): string {
  if (copied) return copied;
  fs.mkdirSync(BUILDS, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(BUILDS);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) {
    throw new Error(`${BUILDS} must be a directory of ours that no one else can write to`);
  }
  const script = path.join(PROJECT, 'scripts/runtime-tree.mjs');
  const stage = path.join(BUILDS, `.stage-${process.pid}-${Date.now()}`);
  try {
    execFileSync(process.execPath, [script, 'copy', stage], { stdio: ['ignore', 'ignore', 'pipe'] });
    const hash = execFileSync(process.execPath, [script, 'hash', stage]).toString().trim().slice(0, 16);
    const dir = path.join(BUILDS, hash);
    try {
      fs.renameSync(stage, dir);
    } catch (err) {
      // Another test file made the same copy first.
      if (!['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
    fs.utimesSync(dir, new Date(), new Date());
    copied = path.join(dir, 'bin/pman');
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  // Copies of older builds (and stages of crashed runs), unused for a day, go.
  for (const name of fs.readdirSync(BUILDS)) {
    const p = path.join(BUILDS, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > 86_400_000) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      /* removed meanwhile by another test file */
    }
  }
  return copied;
}

export function userId(name: string, flag: '-u' | '-g' = '-u'): number {
  return Number(execFileSync('id', [flag, name]).toString().trim());
}

/** One user's pman, with a private HOME (store) and XDG_RUNTIME_DIR (runtime dir, namespace). */
export class RootlessEnv {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly xdg: string;

  private constructor(
    readonly user: TestUser,
    readonly base: string,
    /** The pman this environment runs (by default the copy of this checkout's build). */
    readonly bin: string,
  ) {
    this.uid = userId(user.name);
    this.gid = userId(user.name, '-g');
    this.home = path.join(base, 'home');
    this.xdg = path.join(base, 'xdg');
  }

  /** The test file's environment for user (see fileScoped in the harness), its users made first. */
  static forFile(user: TestUser): RootlessEnv {
    return fileScoped(async () => {
      ensureUsers();
      return RootlessEnv.create(user);
    }, 120_000);
  }

  /** A fresh environment for user; with image, localhost/busybox:latest is imported; bin: another pman. */
  static async create(user: TestUser, opts: { image?: boolean; bin?: string } = {}): Promise<RootlessEnv> {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), `pman-rl-${user.name}-`));
    // Others may pass through (to the files tests hand to pman) but not list it.
    fs.chmodSync(base, 0o711);
    const env = new RootlessEnv(user, base, opts.bin ?? rootlessPman());
    for (const d of [env.home, env.xdg]) {
      fs.mkdirSync(d, { mode: 0o700 });
      fs.chownSync(d, env.uid, env.uid);
    }
    try {
      if (opts.image !== false) await env.ok(['import', env.file(busyboxTarball()), 'busybox']);
    } catch (err) {
      await env.cleanup();
      throw err;
    }
    return env;
  }

  /** Persistent store and runtime directory pman uses by default for this user. */
  get root(): string {
    return path.join(this.home, '.local/share/pman');
  }

  get runDir(): string {
    return path.join(this.xdg, 'pman');
  }

  /** A copy of a root-owned file the user can read (the original's directory may not be). */
  file(src: string): string {
    const dest = path.join(this.base, path.basename(src));
    if (!fs.existsSync(dest)) fs.copyFileSync(src, dest);
    fs.chmodSync(dest, 0o644);
    return dest;
  }

  /** The runuser argv running `pman ARGS` as the user with a clean environment. */
  argv(args: string[], extraEnv: Record<string, string> = {}): string[] {
    const vars = { HOME: this.home, XDG_RUNTIME_DIR: this.xdg, PATH, LANG: 'C.UTF-8', TERM: 'xterm', ...extraEnv };
    return ['-u', this.user.name, '--', 'env', '-i', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), this.bin, ...args];
  }

  /** Runs pman as the user; never throws on a non-zero exit. */
  async pman(args: string[], opts: ExecaOptions = {}): Promise<PmanResult> {
    const r = (await execa('runuser', this.argv(args), { reject: false, timeout: 120_000, cwd: this.home, ...opts })) as Result;
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  }

  async ok(args: string[], opts: ExecaOptions = {}): Promise<string> {
    const r = await this.pman(args, opts);
    if (r.exitCode !== 0) throw new Error(`pman ${args.join(' ')} as ${this.user.name} exited ${r.exitCode}: ${r.stderr}`);
    return r.stdout;
  }

  /** Runs any command as the user (same environment, cwd its HOME). */
  async as(cmd: string[], opts: ExecaOptions = {}): Promise<PmanResult> {
    const argv = this.argv([]).slice(0, -1);
    const r = (await execa('runuser', [...argv, ...cmd], { reject: false, timeout: 60_000, cwd: this.home, ...opts })) as Result;
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  }

  pausePid(): number | undefined {
    try {
      return Number(fs.readFileSync(path.join(this.runDir, 'pause.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }

  /** The user namespace of this environment (as /proc shows it), if a process still holds it. */
  userns(): string | undefined {
    const pid = this.pausePid();
    return pid ? nsOf(pid) : undefined;
  }

  /** Removes the containers, then kills whatever still lives in this environment's namespaces and deletes the files. */
  async cleanup(): Promise<void> {
    await this.pman(['pod', 'rm', '-af', '-t', '0']).catch(() => undefined);
    await this.pman(['rm', '-af', '-t', '0']).catch(() => undefined);
    const namespaces = new Set<string>();
    const own = this.userns();
    if (own) namespaces.add(own);
    // Also a namespace whose pause process a test killed: its pman processes carry the marker.
    for (const pid of procPids()) {
      try {
        const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
        if (environ.split('\0').includes(`_PMAN_USERNS=${this.runDir}`)) {
          const ns = nsOf(pid);
          if (ns) namespaces.add(ns);
        }
      } catch {
        /* gone */
      }
    }
    for (const pid of procPids()) {
      const ns = nsOf(pid);
      if (ns && namespaces.has(ns)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    fs.rmSync(this.base, { recursive: true, force: true });
  }
}

export function procPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^[0-9]+$/.test(n))
    .map(Number)
    .filter((p) => p !== process.pid);
}

export function nsOf(pid: number, ns = 'user'): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/${ns}`);
  } catch {
    return undefined;
  }
}
