// pman secret inspect [options] SECRET...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { resolveSecret } from '../secret/secrets.js';
import { secretInspectView } from '../secret/view.js';
import { printInspected } from './inspect-output.js';
import { last, positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const secretInspect: CommandSpec = {
  usage: 'secret inspect [options] SECRET...',
  positionals: '[secrets..]',
  builder: (y: Argv) =>
    y
      .option('format', { alias: 'f', type: 'string', describe: 'Go template applied to each secret' })
      .option('pretty', { type: 'boolean', default: false, describe: 'Print in a human-readable form' }),
  handler: (ctx, argv, io) => {
    const names = positionals(argv, 'secrets');
    if (names.length === 0) throw new InvalidArgumentError('secret inspect needs at least one secret name or ID');
    const format = argv.pretty === true && argv.format === undefined ? 'ID:\t{{.ID}}\nName:\t{{.Spec.Name}}\nDriver:\t{{.Spec.Driver.Name}}\nCreated at:\t{{.CreatedAt}}\nUpdated at:\t{{.UpdatedAt}}' : last(argv.format);
    return printInspected(io, names, (n) => secretInspectView(resolveSecret(ctx, n)), format);
  },
};
