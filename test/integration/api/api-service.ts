// A real `pman system service` for a test file's store, and the real clients pointed at it: the
// docker CLI (Debian's docker.io 20.10 client, put where install.sh puts it) and docker-compose.
import { execa, type Options as ExecaOptions } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PMAN_BIN, TestEnv as TestEnvClass, until, type PmanResult, type TestEnv } from '../harness.js';

export const DOCKER_CLI = process.env.PMAN_TEST_DOCKER ?? '/usr/local/libexec/pman-test/docker';

function requireDocker(): void {
  if (!fs.existsSync(DOCKER_CLI)) {
    throw new Error(`the docker CLI is not at ${DOCKER_CLI}: run ./install.sh (it takes only the client out of the docker.io package) or set PMAN_TEST_DOCKER`);
  }
}

export class ApiService {
  private constructor(
    readonly env: TestEnv,
    readonly socket: string,
    readonly proc: ChildProcess,
    /** The service's exit: its code and what it wrote to stderr. */
    readonly exited: Promise<{ exitCode: number | null; stderr: string }>,
  ) {}

  get host(): string {
    return `unix://${this.socket}`;
  }

  /** Starts the service on <test dir>/api.sock (or `socket`) and waits until it answers. */
  static async start(env: TestEnv, opts: { time?: number; socket?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ApiService> {
    requireDocker();
    const socket = opts.socket ?? path.join(env.dir, 'api.sock');
    // (child_process, not execa: a long-lived child that exits on its own while jest tears a test
    // file down trips over execa's exit hooks in jest's protected globals.)
    const proc = spawn(PMAN_BIN, env.args(['system', 'service', '--time', String(opts.time ?? 0), ...(opts.args ?? [`unix://${socket}`])]), {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
    });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ exitCode: number | null; stderr: string }>((resolve) => proc.once('close', (code) => resolve({ exitCode: code, stderr })));
    const svc = new ApiService(env, socket, proc, exited);
    const up = await until(async () => proc.exitCode !== null || (fs.existsSync(socket) && (await svc.docker(['version', '--format', '{{.Server.APIVersion}}'])).exitCode === 0), 60_000, 100);
    if (!up || proc.exitCode !== null) {
      proc.kill('SIGKILL');
      const r = await exited;
      throw new Error(`pman system service did not come up: exit ${r.exitCode}: ${r.stderr}`);
    }
    return svc;
  }

  /** Runs the docker CLI against this service; never throws on a non-zero exit. */
  async docker(args: string[], opts: ExecaOptions = {}): Promise<PmanResult> {
    const r = await execa(DOCKER_CLI, args, { reject: false, timeout: 120_000, ...opts, env: { DOCKER_HOST: this.host, DOCKER_CONFIG: path.join(this.env.dir, 'docker-config'), ...(opts.env ?? {}) } });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  }

  /** The docker CLI's stdout; fails the test with its stderr on a non-zero exit. */
  async ok(args: string[], opts: ExecaOptions = {}): Promise<string> {
    const r = await this.docker(args, opts);
    if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    return r.stdout.trim();
  }

  /** Ends the service (SIGTERM) and waits for it. */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    await this.exited;
  }
}

/** A test file's store and service, set up before its tests and removed after them. */
export function useApiService(opts: { time?: number } = {}): { readonly env: TestEnv; readonly svc: ApiService } {
  const state = {} as { env: TestEnv; svc: ApiService };
  beforeAll(async () => {
    state.env = await TestEnvClass.create();
    state.svc = await ApiService.start(state.env, opts);
  }, 120_000);
  afterAll(async () => {
    await state.svc?.stop();
    await state.env?.cleanup();
  }, 120_000);
  return state;
}

/** GET http://127.0.0.1:PORT/PATH: the body (for ports the tests publish). */
export function httpGet(port: number, p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
