// pman system SUBCOMMAND: maintenance of pman itself. `migrate` resets a rootless user's namespace.
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { migrate } from '../system/migrate.js';
import type { CommandSpec } from './types.js';

const SUBCOMMANDS: Record<string, string> = {
  migrate: 'Stop your containers and reset your rootless user namespace',
  check: 'Check (and with --repair fix) containers, images, volumes and locks against the disk',
};

export const system: CommandSpec = {
  usage: `system SUBCOMMAND\n\nSubcommands:\n${Object.entries(SUBCOMMANDS)
    .map(([name, text]) => `  ${name.padEnd(10)} ${text}`)
    .join('\n')}`,
  positionals: '[subcommand]',
  builder: (y: Argv) =>
    y
      // system check (docs/reliability.md)
      .option('repair', { alias: 'r', type: 'boolean', default: false, describe: 'check: fix what can be fixed' })
      .option('quick', { alias: 'q', type: 'boolean', default: false, describe: 'check: skip the digests of image blobs' }),
  handler: async (ctx, argv, io) => {
    const sub = argv.subcommand as string | undefined;
    if (sub === 'migrate') {
      // bin/pman marks the namespace with the directory of its pause.pid.
      await migrate(ctx, { pauseDir: ctx.rootless ? process.env._PMAN_USERNS : undefined });
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
