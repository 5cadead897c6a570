// The program bin/pman runs: as root, or as an unprivileged user inside their user namespace
// (where bin/pman has put us, marking it with _PMAN_USERNS; see docs/rootless.md). It is run as
// dist/bundle/main.cjs (this file bundled by scripts/bundle.mjs: a CommonJS entry spares Node's
// ES module loader, ~8 ms) or as dist/lib/main.js. The CLI itself starts through boot.ts (the
// bundle with its code cache when it is fresh). lib/fast-path.ts walks the whole start-up path.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot, isFresh } from './boot.js';
import { startsContainer } from './command-word.js';
import { HIDDEN_CA_CERTS, STANDBY } from './fast-path.js';
import { PROJECT_ROOT } from './project.js';
import { trace } from './util/trace.js';

async function start(): Promise<void> {
  trace('main: start');
  const outsideNamespace = process.getuid?.() !== 0 && !process.env._PMAN_USERNS;
  // Starting a container: get its shim's Node booting first thing, in parallel with the CLI (or
  // take note of the one bin/pman started; unused, it exits with this process). Loaded only then:
  // it brings node:child_process (with net, dgram and stream), ~3 ms no other command needs here.
  if (!outsideNamespace && startsContainer(process.argv.slice(2))) (await import('./shim/launch.js')).prelaunchShim();
  delete process.env[STANDBY.socket];
  delete process.env[STANDBY.pid];
  // bin/pman hid NODE_EXTRA_CA_CERTS from Node's start-up; the registry client reads it
  // (lib/registry/tls.ts), and commands see the caller's environment as it was.
  if (process.env[HIDDEN_CA_CERTS] !== undefined) {
    process.env.NODE_EXTRA_CA_CERTS = process.env[HIDDEN_CA_CERTS];
    delete process.env[HIDDEN_CA_CERTS];
  }
  if (outsideNamespace) {
    process.stderr.write(
      'Error: cannot run pman rootless outside its user namespace: start it as bin/pman (or the pman command), which joins or creates the namespace\n',
    );
    process.exitCode = 125;
    return;
  }
  if (process.env._PMAN_USERNS) {
    if (process.env._PMAN_CWD) {
      try {
        process.chdir(process.env._PMAN_CWD);
      } catch {
        /* gone or not ours to enter: relative paths then fail with a clear "not found" */
      }
      delete process.env._PMAN_CWD;
    }
    // The user's store is private (0700) however it comes into being, like the runtime directory.
    const { callerIds, defaultPaths } = await import('./context.js');
    try {
      fs.mkdirSync(defaultPaths(callerIds(process.env).uid, process.env).root, { recursive: true, mode: 0o700 });
    } catch {
      /* reported by whatever needs it */
    }
  }
  await boot('pman', process.argv.slice(2));
}

// Run as the bundle but older than tsc's output (a development rebuild with plain `tsc`): the
// fresh code runs instead.
const self = fileURLToPath(import.meta.url);
const unbundled = path.join(PROJECT_ROOT, 'dist/lib/main.js');
if (self !== unbundled && !isFresh(self, unbundled)) void import(unbundled);
else void start();
