// pman volume: the group's help (its subcommands are routed by cli.ts to volume-* modules).
import type { CommandSpec } from './types.js';

const SUBCOMMANDS = [
  ['create', 'Create a new volume'],
  ['exists', 'Check if a volume exists'],
  ['inspect', 'Display detailed information on one or more volumes'],
  ['ls', 'List volumes'],
  ['prune', 'Remove all unused volumes'],
  ['rm', 'Remove one or more volumes'],
];

export const volume: CommandSpec = {
  usage: 'volume COMMAND',
  positionals: '[sub]',
  handler: (_ctx, argv, io) => {
    const lines = ['Usage: pman volume COMMAND', '', 'Manage volumes', '', 'Commands:'];
    for (const [name, text] of SUBCOMMANDS) lines.push(`  ${name.padEnd(10)} ${text}`);
    const out = `${lines.join('\n')}\n`;
    if (argv.sub !== undefined) {
      io.stderr.write(`Error: unrecognized command "pman volume ${String(argv.sub)}"\n${out}`);
      return 125;
    }
    io.stdout.write(out);
    return 0;
  },
};
