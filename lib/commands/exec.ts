// pman exec [options] CONTAINER COMMAND [ARG...]
import type { Argv } from 'yargs';
import { execInContainer } from '../container/exec.js';
import { InvalidArgumentError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import { last, list } from './argv.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import type { CommandSpec } from './types.js';
import { trace } from '../util/trace.js';
import { latestContainer, latestFlag } from './latest-flag.js';

export const exec: CommandSpec = {
  usage: 'exec [options] CONTAINER COMMAND [ARG...]',
  builder: (y: Argv) =>
    detachKeysFlag(
      latestFlag(y)
        .option('interactive', { alias: 'i', type: 'boolean', default: false, describe: 'Keep STDIN open' })
        .option('tty', { alias: 't', type: 'boolean', default: false, describe: 'Allocate a pseudo-TTY' })
        .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Run the command in the background' })
        .option('env', { alias: 'e', type: 'string', describe: 'Set environment variables' })
        .option('env-file', { type: 'string', describe: 'Read environment variables from a file' })
        .option('workdir', { alias: 'w', type: 'string', describe: 'Working directory inside the container' })
        .option('user', { alias: 'u', type: 'string', describe: 'Username or UID[:GID] to run as' })
        .option('privileged', { type: 'boolean', default: false, describe: 'Give the process all capabilities' })
        .option('preserve-fds', { type: 'string', describe: "Pass pman's file descriptors 3 to 3+N-1 into the process" }),
    ),
  handler: async (ctx, argv, io) => {
    const words = (argv._ as unknown[]).map(String);
    // With --latest every word is the command (podman: `exec -l ls /`).
    const [ref, ...command] = argv.latest === true ? ['', ...words] : words;
    if (!ref && argv.latest !== true) throw new InvalidArgumentError('exec needs a container name or ID and a command');
    trace('exec: handler');
    const rec = argv.latest === true ? latestContainer(ctx) : resolveContainer(ctx, ref);
    const fdsGiven = last(argv['preserve-fds']);
    const r = await execInContainer(ctx, rec, {
      command,
      interactive: argv.interactive === true,
      tty: argv.tty === true,
      detach: argv.detach === true,
      env: list(argv.env),
      envFiles: list(argv['env-file']),
      hostEnv: process.env,
      workdir: last(argv.workdir),
      user: last(argv.user),
      privileged: argv.privileged === true,
      preserveFds: fdsGiven === undefined ? 0 : (await import('../container/parse/extras.js')).parseCount(fdsGiven, '--preserve-fds'),
      detachKeys: detachKeysFrom(argv),
      io,
    });
    if (r.kind === 'started') {
      io.stdout.write(`${r.execId}\n`);
      return 0;
    }
    return r.kind === 'exit' ? r.exitCode : 0;
  },
};
