// pman healthcheck: the group's help (its subcommand is routed by cli.ts to healthcheck-run).
import type { CommandSpec } from './types.js';

export const healthcheck: CommandSpec = {
  usage: 'healthcheck COMMAND',
  positionals: '[sub]',
  handler: (_ctx, argv, io) => {
    const out = 'Usage: pman healthcheck COMMAND\n\nManage health checks on containers\n\nCommands:\n  run        Run the health check of a container\n';
    if (argv.sub !== undefined) {
      io.stderr.write(`Error: unrecognized command "pman healthcheck ${String(argv.sub)}"\n${out}`);
      return 125;
    }
    io.stdout.write(out);
    return 0;
  },
};
