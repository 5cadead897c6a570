// The shim process, one per started container (like conmon): this file only wires its modules
// together, and is the one file of lib/shim with side effects at import. Its life: the launch
// channel brings its options (channel.ts), the start-up sequence starts the container
// (start-sequence.ts), the exit sequence records its end (exit-sequence.ts). docs/architecture.md
// ("The shim") walks the whole of it; lib/fast-path.ts how it comes to be started.
import { createContext } from '../context.js';
import { takeStandbyListen } from '../fast-path.js';
import { containerRunDir } from '../state/paths.js';
import { trace } from '../util/trace.js';
import { LauncherLink, openChannel, readOptions } from './channel.js';
import { ShimLog } from './shim-log.js';
import { startShim } from './start-sequence.js';

const diagnostics = new ShimLog();
const log = diagnostics.log;

process.on('uncaughtException', (err) => {
  log(`shim failed: ${err.stack}`);
  process.exit(1);
});

async function main(): Promise<void> {
  let launcher: LauncherLink | undefined;
  try {
    // Set by bin/pman for a shim it starts ahead of the CLI (lib/fast-path.ts).
    const channel = await openChannel(takeStandbyListen(process.env));
    trace('shim: waiting for options');
    const got = channel ? await readOptions(channel) : null;
    // No options: the CLI that launched this shim ahead of time did not need it.
    if (!channel || !got) process.exit(0);
    launcher = new LauncherLink(channel, got.rest);
    const opts = got.options;
    diagnostics.openIn(containerRunDir(createContext({ root: opts.root, runroot: opts.runroot }), opts.id));
    await startShim(opts, launcher, log, (code) => process.exit(code));
  } catch (err) {
    log(`shim failed: ${(err as Error).stack}`);
    const told = launcher?.report({ event: 'error', message: `container shim failed: ${(err as Error).message}`, exitCode: 125 });
    void (told ?? Promise.resolve()).then(() => process.exit(1));
  }
}

void main();
