// What every registry test file needs: a TestEnv (own --root/--runroot), an environment for pman
// that points every registry setting (registries.conf, auth files, docker config) into the test's
// directory, and a list of things to stop at the end, in reverse order, even when a test failed.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, busyboxTarball, type PmanResult } from '../../harness.js';

export class RegistryFixture {
  private readonly stops: Array<() => Promise<void> | void> = [];
  readonly env: TestEnv;
  readonly dir: string;
  /** Environment variables for pman (and skopeo) in this fixture. */
  readonly vars: Record<string, string>;

  private constructor(env: TestEnv) {
    this.env = env;
    this.dir = env.dir;
    for (const d of ['xdg-runtime', 'xdg-config', 'docker-config']) fs.mkdirSync(path.join(this.dir, d), { recursive: true });
    this.vars = {
      XDG_RUNTIME_DIR: path.join(this.dir, 'xdg-runtime'),
      XDG_CONFIG_HOME: path.join(this.dir, 'xdg-config'),
      DOCKER_CONFIG: path.join(this.dir, 'docker-config'),
      CONTAINERS_REGISTRIES_CONF: path.join(this.dir, 'registries.conf'),
      PMAN_REGISTRIES_CONF: path.join(this.dir, 'pman-registries.conf'),
    };
    this.registriesConf('unqualified-search-registries = []\n');
  }

  static async create(opts: { image?: boolean } = {}): Promise<RegistryFixture> {
    return new RegistryFixture(await TestEnv.create({ image: opts.image ?? true }));
  }

  /** Runs fn at cleanup (last registered runs first). */
  onCleanup<T extends { stop(): Promise<void> | void }>(thing: T): T {
    this.stops.push(() => thing.stop());
    return thing;
  }

  registriesConf(text: string): void {
    fs.writeFileSync(this.vars.CONTAINERS_REGISTRIES_CONF, text);
  }

  get authFile(): string {
    return path.join(this.vars.XDG_RUNTIME_DIR, 'containers', 'auth.json');
  }

  pman(args: string[], opts: { env?: Record<string, string>; input?: string; root?: TestEnv } = {}): Promise<PmanResult> {
    return (opts.root ?? this.env).pman(args, { env: { ...this.vars, ...(opts.env ?? {}) }, input: opts.input ?? '' });
  }

  async ok(args: string[], opts: { env?: Record<string, string>; input?: string; root?: TestEnv } = {}): Promise<string> {
    const r = await this.pman(args, opts);
    if (r.exitCode !== 0) throw new Error(`pman ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    return r.stdout;
  }

  /** A second, empty store (to pull into from scratch). */
  async freshStore(): Promise<TestEnv> {
    const e = await TestEnv.create({ image: false });
    this.stops.push(() => e.cleanup());
    return e;
  }

  busybox(): Buffer {
    return fs.readFileSync(busyboxTarball());
  }

  async cleanup(): Promise<void> {
    for (const stop of this.stops.reverse()) {
      try {
        await stop();
      } catch {
        /* keep stopping the rest */
      }
    }
    await this.env.cleanup();
  }
}

/** Every file in the store's layer and tmp dirs (to prove nothing was half-stored). */
export function storeContents(env: TestEnv): { layers: string[]; tmp: string[]; images: string[] } {
  const list = (d: string) => {
    try {
      return fs.readdirSync(path.join(env.root, 'storage', d));
    } catch {
      return [];
    }
  };
  return { layers: list('layers'), tmp: list('tmp'), images: list('images') };
}
