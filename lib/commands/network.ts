// pman network: the group's help (its subcommands are routed by cli.ts to network-* modules).
import type { CommandSpec } from './types.js';

const SUBCOMMANDS = [
  ['connect', 'Connect a container to a network'],
  ['create', 'Create a network'],
  ['disconnect', 'Disconnect a container from a network'],
  ['exists', 'Check if a network exists'],
  ['inspect', 'Display detailed information on one or more networks'],
  ['ls', 'List networks'],
  ['prune', 'Remove all unused networks'],
  ['reload', "Reload containers' network rules and interfaces"],
  ['rm', 'Remove one or more networks'],
];

export const network: CommandSpec = {
  usage: 'network COMMAND',
  positionals: '[sub]',
  handler: (_ctx, argv, io) => {
    const lines = ['Usage: pman network COMMAND', '', 'Manage networks', '', 'Commands:'];
    for (const [name, text] of SUBCOMMANDS) lines.push(`  ${name.padEnd(10)} ${text}`);
    const out = `${lines.join('\n')}\n`;
    if (argv.sub !== undefined) {
      io.stderr.write(`Error: unrecognized command "pman network ${String(argv.sub)}"\n${out}`);
      return 125;
    }
    io.stdout.write(out);
    return 0;
  },
};
