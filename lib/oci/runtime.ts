// The OCI runtime (runc) boundary: argv construction, running it, and turning its failures into
// typed errors in one place (missing command -> 127, not executable -> 126, anything else 125).
// Every runc process is spawned by spawnRuntime. It uses node:child_process directly (not execa):
// these calls sit on the start-up path of every container and every exec, where loading and
// wrapping cost more than they give.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { InvalidArgumentError, PmanError, RuntimeError } from '../errors.js';

export interface RuntimeOptions {
  /** runc binary. */
  runtime: string;
  /** runc --root (its own state dir). */
  root: string;
  /** runc --log file (JSON lines), so runc's messages never mix with the container's stderr. */
  logFile?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * --runtime-flag (podman's global flag): set once per process, by the CLI from its flags and by a
 * shim from its options (lib/shim/start-sequence.ts), and given to every runc call from here.
 */
let userFlags: string[] = [];

/** podman adds `--` to each flag (`debug` -> `--debug`); one given with its dashes is kept as it is. */
export function setRuntimeFlags(flags: readonly string[] | undefined): void {
  userFlags = (flags ?? []).map((f) => (f.startsWith('-') ? f : `--${f}`));
}

/**
 * Asks the runtime whether it takes the --runtime-flag flags (`runc FLAGS --version`): runc reads
 * its flags before anything else, and a flag it does not know would otherwise fail a container's
 * start with runc's words on the container's stderr. Only run when flags were given.
 */
export function checkRuntimeFlags(runtime: string): void {
  if (userFlags.length === 0) return;
  const r = spawnSync(runtime, [...userFlags, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw spawnFailure({ runtime, root: '' }, r.error as NodeJS.ErrnoException);
  if (r.status !== 0) {
    const text = `${r.stderr}\n${r.stdout}`;
    const why = /flag provided but not defined: [^"\n]*/.exec(text)?.[0] ?? (text.trim().split('\n')[0] || `it exited with status ${r.status}`);
    throw new InvalidArgumentError(`--runtime-flag ${userFlags.join(' ')}: the OCI runtime "${runtime}" refuses them: ${why}`);
  }
}

/**
 * runc's global flags before `args`: the user's --runtime-flag ones first, then pman's own (its
 * state root, its JSON log), which win where they name the same flag.
 */
function runtimeArgs(o: RuntimeOptions, args: string[]): string[] {
  const base = [...userFlags, '--root', o.root];
  if (o.logFile) base.push('--log', o.logFile, '--log-format', 'json');
  return [...base, ...args];
}

/**
 * Spawns `runc [--root …] [--log …] VERB ARGS…`, the one place a runc process is made. A runtime
 * that cannot be spawned at all (ENOENT, EACCES) is reported as an 'error' event carrying the
 * PmanError of spawnFailure().
 */
export function spawnRuntime(o: RuntimeOptions, verb: string, args: string[], spawnOpts: SpawnOptions = {}): ChildProcess {
  // runc takes a NOTIFY_SOCKET in its environment as one to proxy into the container and then
  // waits for the container's READY=1: pman's own (systemd's, for a unit that runs pman) is not
  // the container's (docs/commands.md, --sdnotify).
  const env = spawnOpts.env ?? process.env;
  if (env.NOTIFY_SOCKET !== undefined) spawnOpts = { ...spawnOpts, env: { ...env, NOTIFY_SOCKET: undefined } };
  return spawn(o.runtime, runtimeArgs(o, [verb, ...args]), spawnOpts);
}

function spawnFailure(o: RuntimeOptions, err: NodeJS.ErrnoException): PmanError {
  if (err.code === 'ENOENT') {
    return new PmanError('runtime', `cannot run the OCI runtime "${o.runtime}": not found; install runc or pass --runtime PATH`, { cause: err });
  }
  return new PmanError('runtime', `cannot run the OCI runtime "${o.runtime}": ${err.message}`, { cause: err });
}

/**
 * runc's exit code, for a verb whose stdio is the container's (create, run --detach, exec
 * --detach): its messages are read from the --log file afterwards (runtimeMessage).
 */
export function runtimeExit(o: RuntimeOptions, child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => reject(spawnFailure(o, err)));
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? 1 : 0)));
  });
}

/** Runs the runtime and collects its output (for short commands: state, kill, delete, start). */
export function runRuntime(o: RuntimeOptions, args: string[], spawnOpts: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [verb, ...rest] = args;
    const child = spawnRuntime(o, verb, rest, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => reject(spawnFailure(o, err)));
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + (signal ? 9 : 0), stdout, stderr }));
  });
}

/** The last error message runc wrote to its JSON log (or its stderr text). */
export function runtimeMessage(o: RuntimeOptions, stderr = ''): string {
  let msg = '';
  if (o.logFile) {
    try {
      const lines = fs.readFileSync(o.logFile, 'utf8').trim().split('\n');
      for (let i = lines.length - 1; i >= 0 && !msg; i--) {
        try {
          const e = JSON.parse(lines[i]) as { level?: string; msg?: string };
          if (e.level === 'error' && e.msg) msg = e.msg;
        } catch {
          /* not JSON: ignore */
        }
      }
    } catch {
      /* no log */
    }
  }
  return msg || stderr.trim().split('\n').pop() || 'unknown error';
}

/**
 * Maps a runtime failure message to the error a user sees. The exec failures of the container's
 * process are the two podman maps to 127 and 126; any other failure exits `otherwise` (podman's
 * run exits 126 for every OCI runtime error of the container's create or start).
 */
export function runtimeError(action: string, message: string, otherwise = 125): RuntimeError {
  // runc nests its prefixes ("runc exec failed: exec failed: unable to start container process: …").
  let clean = message;
  for (let prev = ''; prev !== clean; ) {
    prev = clean;
    clean = clean.replace(/^(runc )?(create|run|exec|start) failed: /, '').replace(/^unable to start container process: /, '');
  }
  if (/executable file not found|no such file or directory|not found in \$PATH/.test(clean)) {
    return new RuntimeError(`${clean}: OCI runtime attempted to invoke a command that was not found`, { exitCode: 127 });
  }
  if (/permission denied|operation not permitted|exec format error|is a directory/.test(clean) && clean.startsWith('exec:')) {
    return new RuntimeError(`${clean}: OCI runtime permission denied error`, { exitCode: 126 });
  }
  return new RuntimeError(`cannot ${action}: ${clean}`, { exitCode: otherwise });
}

/** `runc state` -> status string, or undefined if runc does not know the container. */
export async function runtimeState(o: RuntimeOptions, id: string): Promise<{ status: string; pid: number } | undefined> {
  const r = await runRuntime({ runtime: o.runtime, root: o.root }, ['state', id]);
  if (r.code !== 0) return undefined;
  try {
    const s = JSON.parse(r.stdout) as { status: string; pid: number };
    return { status: s.status, pid: s.pid };
  } catch {
    return undefined;
  }
}

/** Sends a signal via runc kill (to PID 1 of the container). Missing container is not an error. */
export async function runtimeKill(o: RuntimeOptions, id: string, signal: string | number, all = false): Promise<boolean> {
  const args = ['kill', ...(all ? ['--all'] : []), id, String(signal)];
  const r = await runRuntime({ runtime: o.runtime, root: o.root }, args);
  return r.code === 0;
}

/** Removes runc's state for a container (force: also kills it). Missing is fine. */
export async function runtimeDelete(o: RuntimeOptions, id: string, force = false): Promise<void> {
  const r = await runRuntime({ runtime: o.runtime, root: o.root }, ['delete', ...(force ? ['--force'] : []), id]);
  if (r.code !== 0 && !/does not exist|not exist/.test(r.stderr)) {
    throw new RuntimeError(`cannot delete the runtime state of container ${id.slice(0, 12)}: ${r.stderr.trim()}`);
  }
}
