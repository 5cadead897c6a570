// Real podman (and skopeo, umoci) next to pman in image tests: podman in a store of its own under
// the test's temp dir (vfs, file events, cgroupfs; runc, no network, fixed ulimits when running),
// so its archives can be loaded by pman and pman's archives loaded by it.
import { execa } from 'execa';
import path from 'node:path';
import type { PmanResult, TestEnv } from '../harness.js';

export const PODMAN_RUN = ['--runtime', 'runc', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

export class Podman {
  constructor(private readonly dir: string) {}

  static in(env: TestEnv, name = 'podman'): Podman {
    return new Podman(path.join(env.dir, name));
  }

  globals(): string[] {
    return ['--root', path.join(this.dir, 'root'), '--runroot', path.join(this.dir, 'run'), '--tmpdir', path.join(this.dir, 'tmp'), '--storage-driver', 'vfs', '--events-backend', 'file', '--cgroup-manager', 'cgroupfs'];
  }

  async run(args: string[], input?: string): Promise<PmanResult> {
    const r = await execa('podman', [...this.globals(), ...args], { reject: false, timeout: 120_000, ...(input ? { inputFile: input } : {}) });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  }

  /** Runs podman and fails the test with its stderr on a non-zero exit. */
  async ok(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.exitCode !== 0) throw new Error(`podman ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    return r.stdout;
  }

  /** `podman run --rm` with the comparison flags. */
  async runIn(image: string, cmd: string[]): Promise<PmanResult> {
    return this.run(['run', '--rm', ...PODMAN_RUN, image, ...cmd]);
  }

  async cleanup(): Promise<void> {
    await this.run(['rm', '-af', '-t', '0']);
  }
}

/** Runs a tool (skopeo, umoci, tar) and fails the test with its stderr on a non-zero exit. */
export async function tool(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<string> {
  const r = await execa(cmd, args, { reject: false, timeout: 120_000, ...opts });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.exitCode}: ${String(r.stderr)}`);
  return String(r.stdout);
}
