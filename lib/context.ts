// The context every logic function takes as its first argument: where state lives, which runtime
// to call, how to report warnings. Built once by the CLI from global flags and the environment;
// logic never reads process.env or argv itself.
import os from 'node:os';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * podman's global flags that change where pman finds its helpers and files (docs/commands.md):
 * set for one invocation and handed on to the shims it starts. Absent, each has its default.
 */
export interface EngineOptions {
  /** --runtime-flag: global flags for every runc call, `--` added as podman adds it. */
  runtimeFlags?: string[];
  /** --network-cmd-path: the slirp4netns binary. */
  networkCmdPath?: string;
  /** --network-config-dir: netavark's --config directory for containers' networks. */
  networkConfigDir?: string;
  /** --volumepath: where named volumes live. */
  volumePath?: string;
  /** --events-backend (or containers.conf's events_logger, resolved for a shim): `none` records no events. */
  eventsBackend?: EventsBackend;
  /** --hooks-dir (repeatable, comma-separated): the OCI hooks directories, replacing containers.conf's; empty: none. */
  hooksDirs?: string[];
}

/** Where events go (docs/events.md): pman's events file, or nowhere. */
export type EventsBackend = 'file' | 'none';

export interface Context {
  /** Persistent state: containers, images, logs. */
  root: string;
  /** Runtime state (tmpfs, gone after a reboot): sockets, runc state. */
  runroot: string;
  /** OCI runtime binary (name on PATH or absolute path). */
  runtime: string;
  logLevel: LogLevel;
  /** True when pman runs for an unprivileged user (inside that user's namespace, docs/rootless.md). */
  rootless: boolean;
  /** The user pman runs for, as the host sees it (rootless: not the 0 pman has inside its namespace). */
  uid: number;
  gid: number;
  /** Size in bytes past which the events file is rotated (docs/events.md); default 1 MB. */
  eventsMaxSize?: number;
  /** Global flags that move helpers and files (EngineOptions); undefined when none was given. */
  engine?: EngineOptions;
  /**
   * containers.conf's events_logger, read when the first event is written (the CLI sets it; a
   * shim gets the resolved backend in engine.eventsBackend). Absent: the file.
   */
  confEventsBackend?: () => EventsBackend;
  /** containers.conf's [engine] hooks_dir, read when a container's hooks are first looked for; undefined when unset. */
  confHooksDirs?: () => string[] | undefined;
  /** Prints one warning line for the user (stderr). */
  warn(message: string): void;
  /** Debug trace, only shown with --log-level debug. */
  debug(message: string): void;
}

export interface ContextOptions {
  root?: string;
  runroot?: string;
  runtime?: string;
  logLevel?: LogLevel;
  engine?: EngineOptions;
  confEventsBackend?: () => EventsBackend;
  confHooksDirs?: () => string[] | undefined;
  env?: NodeJS.ProcessEnv;
  stderr?: NodeJS.WritableStream;
}

/** Default state locations, as DESIGN.md lays them out (rootful vs rootless). */
export function defaultPaths(uid: number, env: NodeJS.ProcessEnv): { root: string; runroot: string } {
  if (uid === 0) return { root: '/var/lib/pman', runroot: '/run/pman' };
  const home = env.HOME || os.homedir();
  const data = env.XDG_DATA_HOME || path.join(home, '.local/share');
  const runtimeDir = env.XDG_RUNTIME_DIR;
  return {
    root: path.join(data, 'pman'),
    runroot: runtimeDir ? path.join(runtimeDir, 'pman') : `/tmp/pman-${uid}`,
  };
}

/**
 * Who pman runs for. Inside the rootless user namespace the process is uid 0, and bin/pman passes
 * the user's host IDs in _PMAN_ROOTLESS_UID/_PMAN_ROOTLESS_GID (with _PMAN_USERNS marking the namespace).
 */
export function callerIds(env: NodeJS.ProcessEnv): { uid: number; gid: number } {
  const uid = process.getuid ? process.getuid() : 0;
  const gid = process.getgid ? process.getgid() : 0;
  const outerUid = Number(env._PMAN_ROOTLESS_UID);
  if (uid === 0 && env._PMAN_USERNS && Number.isInteger(outerUid) && outerUid > 0) {
    const outerGid = Number(env._PMAN_ROOTLESS_GID);
    return { uid: outerUid, gid: Number.isInteger(outerGid) ? outerGid : outerUid };
  }
  return { uid, gid };
}

export function createContext(opts: ContextOptions = {}): Context {
  const env = opts.env ?? process.env;
  const { uid, gid } = callerIds(env);
  const defaults = defaultPaths(uid, env);
  const logLevel = opts.logLevel ?? ((env.PMAN_LOG_LEVEL as LogLevel) || 'warn');
  const stderr = opts.stderr ?? process.stderr;
  return {
    root: path.resolve(opts.root ?? env.PMAN_ROOT ?? defaults.root),
    runroot: path.resolve(opts.runroot ?? env.PMAN_RUNROOT ?? defaults.runroot),
    runtime: opts.runtime ?? env.PMAN_RUNTIME ?? 'runc',
    logLevel,
    rootless: uid !== 0,
    uid,
    gid,
    ...(Number(env.PMAN_EVENTS_MAX_SIZE) > 0 ? { eventsMaxSize: Number(env.PMAN_EVENTS_MAX_SIZE) } : {}),
    ...(opts.engine ? { engine: opts.engine } : {}),
    ...(opts.confEventsBackend ? { confEventsBackend: opts.confEventsBackend } : {}),
    ...(opts.confHooksDirs ? { confHooksDirs: opts.confHooksDirs } : {}),
    warn(message: string) {
      if (logLevel !== 'error') stderr.write(`WARN: ${message}\n`);
    },
    debug(message: string) {
      if (logLevel === 'debug') stderr.write(`DEBUG: ${message}\n`);
    },
  };
}
