// The program bin/pman execs: as root, or as an unprivileged user inside their user namespace
// (where bin/pman has put us, marking it with _PMAN_USERNS; see docs/rootless.md). The CLI itself
// starts through boot.ts (the bundle with its code cache when it is fresh).
import { boot } from './boot.js';
import { startsContainer } from './command-word.js';
import { prelaunchShim } from './shim/launch.js';
import { trace } from './util/trace.js';

trace('main: start');

// bin/pman hid NODE_EXTRA_CA_CERTS from Node's start-up; the registry client reads it
// (lib/oci/registry/tls.ts), and commands see the caller's environment as it was.
if (process.env._PMAN_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env._PMAN_NODE_EXTRA_CA_CERTS;
  delete process.env._PMAN_NODE_EXTRA_CA_CERTS;
}

const outsideNamespace = process.getuid?.() !== 0 && !process.env._PMAN_USERNS;
if (outsideNamespace) {
  process.stderr.write(
    'Error: cannot run pman rootless outside its user namespace: start it as bin/pman (or the pman command), which joins or creates the namespace\n',
  );
  process.exitCode = 125;
} else if (process.env._PMAN_USERNS) {
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
    (await import('node:fs')).mkdirSync(defaultPaths(callerIds(process.env).uid, process.env).root, { recursive: true, mode: 0o700 });
  } catch {
    /* reported by whatever needs it */
  }
}
if (!outsideNamespace) {
  // Starting a container: get its shim's Node booting now, in parallel with loading the CLI.
  if (startsContainer(process.argv.slice(2))) prelaunchShim();
  await boot('pman', process.argv.slice(2));
}
