// pman pod exists POD: exit 0 when it exists, 1 when not (podman's codes).
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { resolvePod } from '../state/pods.js';
import type { CommandSpec } from './types.js';

export const podExistsCmd: CommandSpec = {
  usage: 'pod exists POD',
  positionals: '[pod]',
  handler: (ctx, argv) => {
    if (argv.pod === undefined) throw new InvalidArgumentError('pod exists needs a pod name or ID');
    try {
      resolvePod(ctx, String(argv.pod));
      return 0;
    } catch (err) {
      if (err instanceof NotFoundError) return 1;
      throw err;
    }
  },
};
