// The help of a command group (pman pod, pman kube): its subcommands, or an error for an unknown one.
import type { CommandSpec } from './types.js';

export function groupHelp(group: string, describe: string, subcommands: string[][]): CommandSpec {
  return {
    usage: `${group} COMMAND`,
    positionals: '[sub]',
    handler: (_ctx, argv, io) => {
      const lines = [`Usage: pman ${group} COMMAND`, '', describe, '', 'Commands:'];
      for (const [name, text] of subcommands) lines.push(`  ${name.padEnd(10)} ${text}`);
      const out = `${lines.join('\n')}\n`;
      if (argv.sub !== undefined) {
        io.stderr.write(`Error: unrecognized command "pman ${group} ${String(argv.sub)}"\n${out}`);
        return 125;
      }
      io.stdout.write(out);
      return 0;
    },
  };
}
