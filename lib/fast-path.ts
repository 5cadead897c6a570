// The start-up fast path of `pman run|start|restart`, in one place: what each step does, and the
// names (environment variables, sockets, fds, timings) the CLI's side and the shim's side share.
// Node's own start-up is the largest single cost of starting a container, and a container needs
// two Node processes (the CLI and its shim), so the two are made to start side by side:
//
//  1. bin/pman (sh, shell builtins only on this path) finds the command word as lib/command-word.ts
//     does. For run/start/restart it starts the shim's Node in the background first (`standby_shim`), with
//     STANDBY.listen = <runtime dir>/standby-<its pid>.sock and STANDBY.parent = its pid (which
//     the CLI's Node keeps: sh execs it; root's <runtime dir>, /run/pman, is made by mkdir when
//     missing), then tells the CLI STANDBY.socket and STANDBY.pid. It also hides
//     NODE_EXTRA_CA_CERTS from both Nodes (HIDDEN_CA_CERTS), ~35 ms each.
//  2. The CLI: dist/bundle/main.cjs (lib/main.ts; a CommonJS entry starts ~8 ms sooner) notes the
//     standby shim, or spawns one itself when there is none (lib/shim/launch.ts prelaunchShim),
//     puts the CA variable back, and boots the CLI bundle with its V8 code cache (lib/boot.ts;
//     the bundle is pure ASCII, decoded as latin1). The caches of both bundles are trained at
//     build time (scripts/train-code-caches.mjs): they hold the functions the everyday commands
//     run, which V8 would otherwise compile at each start (~15-25 ms of `run --rm`). The shim launcher (node:child_process) is
//     loaded only for run/start/restart, and the CLI bundles load node:child_process and dgram on
//     first use (scripts/bundle.mjs): with the standby shim, the CLI of `run` spawns nothing. A V8
//     start-up snapshot of the CLI was measured and not adopted (docs/performance.md).
//     lib/cli.ts routes the command word and parses the common command lines without yargs
//     (lib/fast-parse.ts, ~20 ms).
//  3. The shim, meanwhile: dist/bundle/shim-entry.cjs (lib/shim/entry.ts) boots the shim bundle
//     (lib/shim/main.ts). A standby shim calls setsid(), listens on STANDBY.listen and exits as
//     soon as its parent is gone (checked every PARENT_CHECK_MS); a shim the CLI spawned has its
//     channel on LAUNCHER_FD (lib/shim/channel.ts).
//  4. The CLI takes the shim (lib/shim/launch.ts takeShim: connects to the standby for at most
//     STANDBY_WAIT_MS, reads its pid) while it creates the container, naming the shim's pid
//     (known ahead: expectedShimPid) in the record as it writes it, and then sends its options (lib/shim/protocol.ts ShimOptions, with the record, so the shim neither
//     reads nor validates it). A foreground run sends its attach session's first frames right
//     behind them on the same channel and stays on it.
//  5. The shim runs its start-up sequence (lib/shim/start-sequence.ts): runc is spawned as early
//     as possible and the shim's own set-up happens while runc works.
// docs/architecture.md ("The standby shim") and docs/performance.md ("Where the time goes") tell
// the measurements behind each step.

/** The environment variables of the standby shim (bin/pman sets them; Node removes them at once). */
export const STANDBY = {
  /** For the CLI: the socket its standby shim listens on. */
  socket: '_PMAN_STANDBY_SHIM',
  /** For the CLI: that shim's pid. */
  pid: '_PMAN_STANDBY_PID',
  /** For the shim: the socket to listen on. */
  listen: '_PMAN_STANDBY_LISTEN',
  /** For the shim: the pid its parent must keep (the CLI's); it exits when that is gone. */
  parent: '_PMAN_STANDBY_PARENT',
} as const;

/** Where bin/pman keeps the caller's NODE_EXTRA_CA_CERTS while Node starts. */
export const HIDDEN_CA_CERTS = '_PMAN_NODE_EXTRA_CA_CERTS';

/** The fd a shim spawned by the CLI gets its launch channel on. */
export const LAUNCHER_FD = 3;

/** How often a standby shim checks that its CLI is still there (it exits once it is not). */
export const PARENT_CHECK_MS = 20;

/** How long the CLI waits for its standby shim to listen (it started alongside the CLI's Node). */
export const STANDBY_WAIT_MS = 5000;

/** A shim's libuv thread pool: it does little file I/O off the main thread. */
export const SHIM_THREADPOOL_SIZE = '2';

/** The standby shim's rendezvous, as bin/pman named it; undefined for a spawned shim. */
export function takeStandbyListen(env: NodeJS.ProcessEnv): { path: string; parent: number } | undefined {
  const listen = env[STANDBY.listen];
  const parent = Number(env[STANDBY.parent]);
  // Not for runc, the container, or a shim launched by this one.
  delete env[STANDBY.listen];
  delete env[STANDBY.parent];
  return listen ? { path: listen, parent } : undefined;
}

/** The CLI's standby shim, as bin/pman named it; undefined when there is none. */
export function takeStandbyShim(env: NodeJS.ProcessEnv): { path: string; pid: number } | undefined {
  const socket = env[STANDBY.socket];
  const pid = Number(env[STANDBY.pid]);
  delete env[STANDBY.socket];
  delete env[STANDBY.pid];
  return socket && Number.isInteger(pid) && pid > 0 ? { path: socket, pid } : undefined;
}
