// pman system SUBCOMMAND: maintenance of pman itself. `migrate` resets a rootless user's namespace;
// `service` serves the Docker-compatible API (lib/api, loaded only here).
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { InvalidArgumentError } from '../errors.js';
import { migrate } from '../system/migrate.js';
import type { CommandSpec } from './types.js';
import { SYSTEM_OWN_VERBS } from './system-verbs.js';
import { registryOptionsFrom } from './registry-flags.js';
import { containersConfFor } from '../config/conf-cache.js';

const SUBCOMMANDS: Record<string, string> = {
  ...SYSTEM_OWN_VERBS,
  // Routed by lib/cli.ts to their own commands (system-df …); listed here for help and completion.
  df: 'Show pman disk usage',
  info: 'Display pman system information',
  prune: 'Remove unused data',
  reset: 'Reset pman storage',
};

/** podman's default idle time: 5 seconds. */
const DEFAULT_TIME = 5;

/** The socket handed over by systemd socket activation, if it is ours (LISTEN_PID) and there is one. */
function activationFd(env: NodeJS.ProcessEnv): number | undefined {
  const fds = Number(env.LISTEN_FDS);
  if (!Number.isInteger(fds) || fds < 1) return undefined;
  if (env.LISTEN_PID !== undefined && Number(env.LISTEN_PID) !== process.pid) return undefined;
  return 3;
}

export const system: CommandSpec = {
  usage: `system SUBCOMMAND\n\nSubcommands:\n${Object.entries(SUBCOMMANDS)
    .map(([name, text]) => `  ${name.padEnd(10)} ${text}`)
    .join('\n')}\n\n  system service [--time SECONDS] [unix:///path.sock]\n  system check [--repair] [--quick]`,
  positionals: '[subcommand] [uri]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'system service: seconds without a request before it exits (0: never)' })
      // system check (docs/reliability.md)
      .option('repair', { alias: 'r', type: 'boolean', default: false, describe: 'check: fix what can be fixed' })
      .option('quick', { alias: 'q', type: 'boolean', default: false, describe: 'check: skip the digests of image blobs' }),
  handler: async (ctx, argv, io) => {
    const sub = last(argv.subcommand);
    if (sub === 'migrate') {
      // bin/pman marks the namespace with the directory of its pause.pid.
      await migrate(ctx, { pauseDir: ctx.rootless ? process.env._PMAN_USERNS : undefined });
      return 0;
    }
    if (sub === 'service') {
      const text = argv.time === undefined ? String(DEFAULT_TIME) : String(Array.isArray(argv.time) ? argv.time[argv.time.length - 1] : argv.time);
      if (!/^[0-9]+$/.test(text)) throw new InvalidArgumentError(`invalid --time "${text}": use a whole number of seconds (0: never exit)`);
      const time = Number(text);
      const listenFd = activationFd(process.env);
      const { serveApi } = await import('../api/service.js');
      await serveApi(ctx, {
        uri: argv.uri === undefined ? undefined : String(argv.uri),
        idleSeconds: time,
        listenFd,
        config: { registry: registryOptionsFrom({}, process.env), containersConf: containersConfFor(process.env, ctx.runroot), env: process.env },
        onListening: (where) => ctx.debug(`api: listening on ${where}`),
      });
      void io;
      return 0;
    }
    if (sub === 'check') {
      const { checkSystem } = await import('../system/check.js');
      const problems = await checkSystem(ctx, { repair: argv.repair === true, quick: argv.quick === true });
      for (const p of problems) {
        const outcome = p.repaired ? ` (repaired: ${p.repaired})` : p.repairError ? ` (repair failed: ${p.repairError})` : '';
        io.stdout.write(`${p.subject}: ${p.problem}${outcome}\n`);
      }
      if (problems.length === 0) io.stdout.write('no problems found\n');
      return problems.every((p) => p.repaired) ? 0 : 1;
    }
    if (sub === undefined) throw new InvalidArgumentError(`missing subcommand: use one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
    throw new InvalidArgumentError(`unrecognized subcommand "pman system ${sub}": use one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
  },
};
