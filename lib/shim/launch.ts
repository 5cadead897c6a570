// Launching a shim. Node's start-up is the largest single cost of starting a container, so for
// commands that will start one, the CLI launches the shim process as early as it can (before it
// has even loaded its own command code): both boot in parallel, and the shim then waits on fd 3
// for its options. A shim that gets no options (the command failed first) exits at once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isFresh } from '../boot.js';
import { PROJECT_ROOT } from '../project.js';

/** The shim's process entry (lib/shim/entry.ts): its CommonJS bundle when fresh, else tsc's output. */
function shimEntry(): string {
  const bundled = path.join(PROJECT_ROOT, 'dist/bundle/shim-entry.cjs');
  const unbundled = path.join(PROJECT_ROOT, 'dist/lib/shim/entry.js');
  return isFresh(bundled, unbundled) ? bundled : unbundled;
}

/**
 * The standby shim lives on globalThis: lib/main.ts launches it before the CLI bundle is loaded,
 * and the bundle has its own copy of this module.
 */
const shared = globalThis as { __pmanStandbyShim?: ChildProcess };

function launch(): ChildProcess {
  // The shim never opens a TLS connection: without NODE_EXTRA_CA_CERTS, Node does not parse
  // that CA bundle as it starts (nor has it bin/pman's copy of it, when launched first thing).
  const { NODE_EXTRA_CA_CERTS: _unused, _PMAN_NODE_EXTRA_CA_CERTS: _unused2, ...env } = process.env;
  const child = spawn(process.execPath, [shimEntry()], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    cwd: '/',
    env: { ...env, UV_THREADPOOL_SIZE: '2' },
  });
  child.on('error', () => undefined);
  // The standby shim must never keep this CLI alive.
  child.unref();
  (child.stdio[3] as unknown as { unref?: () => void }).unref?.();
  return child;
}

/** Starts a shim process now, to be handed its container later by takeShim(). */
export function prelaunchShim(): void {
  shared.__pmanStandbyShim ??= launch();
}

/** The pre-launched shim if there is one (and it is alive), else a new one. */
export function takeShim(): ChildProcess {
  const standby = shared.__pmanStandbyShim;
  shared.__pmanStandbyShim = undefined;
  return standby && standby.exitCode === null && standby.signalCode === null ? standby : launch();
}
