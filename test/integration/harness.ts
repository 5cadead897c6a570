// Integration test harness: each test file gets its own --root/--runroot under a temp dir, runs the
// built bin/pman as a subprocess against real runc, and cleans everything up afterwards (containers,
// shims, mounts, files), also when tests fail.
import { execa, type Options as ExecaOptions, type Result } from 'execa';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PMAN_BIN = path.join(PROJECT, 'bin/pman');

/** The busybox rootfs tarball, built once per machine and shared by all test files. */
export function busyboxTarball(): string {
  const out = path.join(os.tmpdir(), `pman-test-busybox-${process.getuid?.() ?? 0}.tar`);
  if (!fs.existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync(path.join(PROJECT, 'scripts/make-busybox-rootfs.sh'), [tmp], { stdio: 'ignore' });
    fs.renameSync(tmp, out);
  }
  return out;
}

export interface PmanResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class TestEnv {
  readonly dir: string;
  readonly root: string;
  readonly runroot: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.root = path.join(dir, 'root');
    this.runroot = path.join(dir, 'run');
  }

  /** The test file's store (see fileScoped): `const env = TestEnv.forFile()` at the top of the file. */
  static forFile(opts: { image?: boolean } = {}): TestEnv {
    return fileScoped(() => TestEnv.create(opts));
  }

  /** A fresh store with localhost/busybox:latest imported. */
  static async create(opts: { image?: boolean } = {}): Promise<TestEnv> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-it-'));
    const env = new TestEnv(dir);
    if (opts.image !== false) {
      const r = await env.pman(['import', busyboxTarball(), 'busybox']);
      if (r.exitCode !== 0) throw new Error(`cannot import the test image: ${r.stderr}`);
    }
    return env;
  }

  args(args: string[]): string[] {
    return ['--root', this.root, '--runroot', this.runroot, ...args];
  }

  /** Runs pman; never throws on a non-zero exit (tests assert on exitCode). */
  async pman(args: string[], opts: ExecaOptions = {}): Promise<PmanResult> {
    const r = (await execa(PMAN_BIN, this.args(args), { reject: false, timeout: 120_000, ...opts })) as Result;
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  }

  /** Runs pman and fails the test with its stderr when it exits non-zero. */
  async ok(args: string[], opts: ExecaOptions = {}): Promise<string> {
    const r = await this.pman(args, opts);
    if (r.exitCode !== 0) throw new Error(`pman ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    return r.stdout;
  }

  /** Removes every container (killing shims and containers), unmounts, deletes the temp dir. */
  async cleanup(): Promise<void> {
    await this.pman(['pod', 'rm', '-af', '-t', '0']).catch(() => undefined);
    await this.pman(['rm', '-af', '-t', '0']).catch(() => undefined);
    // Anything left (a test that broke state on purpose): kill shims and unmount by force.
    try {
      const out = execFileSync('sh', ['-c', `grep -l -- "${this.root}" /proc/[0-9]*/cmdline 2>/dev/null || true`]).toString();
      for (const f of out.split('\n').filter(Boolean)) {
        const pid = Number(f.split('/')[2]);
        if (pid && pid !== process.pid) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    } catch {
      /* best effort */
    }
    try {
      const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
      for (const m of mounts) {
        const target = m.split(' ')[4];
        if (target && target.startsWith(this.dir)) execFileSync('umount', ['-l', target], { stdio: 'ignore' });
      }
    } catch {
      /* best effort */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * An environment for the whole test file: made in beforeAll by `make`, cleaned up in afterAll
 * (also when a test failed). What is returned stands for it: each member is read from the
 * environment made, so it can be declared at the top of the file and used in every test and in
 * later beforeAll hooks (jest runs them in the order they were declared).
 */
export function fileScoped<E extends { cleanup(): Promise<void> }>(make: () => Promise<E>, timeoutMs?: number): E {
  let made: E | undefined;
  beforeAll(async () => {
    made = await make();
  }, timeoutMs);
  afterAll(async () => {
    await made?.cleanup();
  });
  return new Proxy({} as E, {
    get(_target, key) {
      if (!made) throw new Error(`the test file's environment was used before its beforeAll made it (reading ${String(key)})`);
      const value: unknown = Reflect.get(made, key, made);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(made) : value;
    },
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The host's network interfaces present both before and after `during`: other tests on the machine
 * may add or remove interfaces meanwhile, so only those are sure to be seen by what runs in it.
 */
export async function hostInterfacesAround<T>(during: () => Promise<T>): Promise<{ result: T; stable: string[] }> {
  const before = fs.readdirSync('/sys/class/net');
  const result = await during();
  const after = new Set(fs.readdirSync('/sys/class/net'));
  return { result, stable: before.filter((i) => after.has(i)).sort() };
}

/** Polls fn until it returns a truthy value or the timeout passes (then returns the last value). */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs = 30_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await fn();
  while (!v && Date.now() < deadline) {
    await sleep(stepMs);
    v = await fn();
  }
  return v;
}
