// pman secret rm [--all] SECRET...: also a secret containers use (they keep their own copy), as podman does.
import type { Argv } from 'yargs';
import { InvalidArgumentError, exitCodeOf } from '../errors.js';
import { listSecrets, removeSecret } from '../secret/secrets.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const secretRm: CommandSpec = {
  usage: 'secret rm [options] SECRET...',
  positionals: '[secrets..]',
  builder: (y: Argv) => y.option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all secrets' }),
  handler: async (ctx, argv, io) => {
    const named = positionals(argv, 'secrets');
    if (argv.all === true && named.length > 0) throw new InvalidArgumentError('when using --all, give no secret names');
    if (argv.all !== true && named.length === 0) throw new InvalidArgumentError('secret rm needs at least one secret name or ID (or --all)');
    const refs = argv.all === true ? listSecrets(ctx).map((s) => s.id) : named;
    let code = 0;
    for (const ref of refs) {
      try {
        io.stdout.write(`${await removeSecret(ctx, ref)}\n`);
      } catch (err) {
        io.stderr.write(`Error: ${(err as Error).message}\n`);
        code = exitCodeOf(err);
      }
    }
    return code;
  },
};
