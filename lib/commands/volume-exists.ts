// pman volume exists VOLUME: exit 0 when it exists, 1 when not (podman's codes).
import { InvalidArgumentError } from '../errors.js';
import { volumeExists } from '../volume/volumes.js';
import type { CommandSpec } from './types.js';

export const volumeExistsCmd: CommandSpec = {
  usage: 'volume exists VOLUME',
  positionals: '[volume]',
  handler: (ctx, argv) => {
    if (argv.volume === undefined) throw new InvalidArgumentError('volume exists needs a volume name');
    return volumeExists(ctx, String(argv.volume)) ? 0 : 1;
  },
};
