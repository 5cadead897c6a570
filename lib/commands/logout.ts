// pman logout [options] [REGISTRY]
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { InvalidArgumentError } from '../errors.js';
import { logout } from '../registry/login.js';
import { registryFlags, registryOptionsFrom } from './registry-flags.js';
import { write, type CommandSpec } from './types.js';

export const logoutCmd: CommandSpec = {
  usage: 'logout [options] [REGISTRY]',
  positionals: '[registry]',
  builder: (y: Argv) => registryFlags(y, { creds: false }).option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove the credentials of every registry' }),
  handler: async (_ctx, argv, io) => {
    const all = argv.all === true;
    const registry = argv.registry === undefined ? undefined : last(argv.registry)!;
    if (all && registry !== undefined) throw new InvalidArgumentError('give a registry or --all, not both');
    const r = logout({ registry, all, registryOptions: registryOptionsFrom(argv, process.env) });
    await write(io.stdout, all ? 'Removed login credentials for all registries\n' : `Removed login credentials for ${r.key}\n`);
    return 0;
  },
};
