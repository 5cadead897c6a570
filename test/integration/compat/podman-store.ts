// podman 4.3.1 next to pman in a compat test: run with its own --root/--runroot/--tmpdir inside the
// test file's directory, so its default store, networks and containers are never touched.
import { execa } from 'execa';
import path from 'node:path';
import { TestEnv, fileScoped } from '../harness.js';

export class PodmanStore {
  readonly args: string[];

  constructor(dir: string) {
    const p = path.join(dir, 'podman');
    this.args = ['--root', `${p}/root`, '--runroot', `${p}/run`, '--tmpdir', `${p}/tmp`, '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
  }

  /** podman's stdout; throws with its stderr unless it exits `exitCode`. */
  async run(args: string[], exitCode = 0): Promise<string> {
    const r = await execa('podman', [...this.args, ...args], { reject: false, timeout: 120_000 });
    if (r.exitCode !== exitCode) throw new Error(`podman ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    return r.stdout;
  }

  async cleanup(): Promise<void> {
    await this.run(['rm', '-af', '-t', '0']).catch(() => undefined);
    await this.run(['volume', 'rm', '-af']).catch(() => undefined);
    await this.run(['rmi', '-af']).catch(() => undefined);
  }
}

/** A pman store and a podman one in its directory; podman's goes first (its mounts are inside). */
class SideBySide {
  private constructor(
    readonly env: TestEnv,
    readonly podman: PodmanStore,
  ) {}

  static async create(): Promise<SideBySide> {
    const env = await TestEnv.create();
    return new SideBySide(env, new PodmanStore(env.dir));
  }

  async cleanup(): Promise<void> {
    await this.podman.cleanup();
    await this.env.cleanup();
  }
}

/**
 * The test file's pman environment and podman, made in beforeAll and removed in afterAll (see
 * fileScoped): `const { env, podman } = sideBySideForFile()` at the top of the file.
 */
export function sideBySideForFile(): { env: TestEnv; podman: (args: string[], exitCode?: number) => Promise<string> } {
  const sides = fileScoped(SideBySide.create);
  const env = new Proxy({} as TestEnv, {
    get(_target, key) {
      const made = sides.env;
      const value: unknown = Reflect.get(made, key, made);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(made) : value;
    },
  });
  return { env, podman: (args, exitCode = 0) => sides.podman.run(args, exitCode) };
}
