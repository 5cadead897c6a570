// pman secret exists SECRET: exit 0 when the secret exists, 1 when it does not (as container exists).
import { NotFoundError } from '../errors.js';
import { resolveSecret } from '../secret/secrets.js';
import type { CommandSpec } from './types.js';

export const secretExists: CommandSpec = {
  usage: 'secret exists SECRET',
  positionals: '<secret>',
  handler: (ctx, argv) => {
    try {
      resolveSecret(ctx, String(argv.secret));
      return 0;
    } catch (err) {
      if (err instanceof NotFoundError) return 1;
      throw err;
    }
  },
};
