// pman system SUBCOMMAND: maintenance of pman itself. `migrate` resets a rootless user's namespace.
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { InvalidArgumentError } from '../errors.js';
import { migrate } from '../system/migrate.js';
import type { CommandSpec } from './types.js';

const SUBCOMMANDS: Record<string, string> = {
  migrate: 'Stop your containers and reset your rootless user namespace',
  // Routed by lib/cli.ts to their own commands (system-df …); listed here for help and completion.
  df: 'Show pman disk usage',
  info: 'Display pman system information',
  prune: 'Remove unused data',
  reset: 'Reset pman storage',
};

export const system: CommandSpec = {
  usage: `system SUBCOMMAND\n\nSubcommands:\n${Object.entries(SUBCOMMANDS)
    .map(([name, text]) => `  ${name.padEnd(10)} ${text}`)
    .join('\n')}`,
  positionals: '[subcommand]',
  builder: (y: Argv) => y,
  handler: async (ctx, argv) => {
    const sub = last(argv.subcommand);
    if (sub === 'migrate') {
      // bin/pman marks the namespace with the directory of its pause.pid.
      await migrate(ctx, { pauseDir: ctx.rootless ? process.env._PMAN_USERNS : undefined });
      return 0;
    }
    if (sub === undefined) throw new InvalidArgumentError(`missing subcommand: use one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
    throw new InvalidArgumentError(`unrecognized subcommand "pman system ${sub}": use one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
  },
};
