// pman healthcheck run CONTAINER: one probe now; exit 0 when it passed, 1 (printing "unhealthy")
// when it failed, 125 for errors (no such container, no health check, not running), as podman.
import { InvalidArgumentError } from '../errors.js';
import { runHealthcheck } from '../container/healthcheck.js';
import { resolveContainer } from '../state/containers.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const healthcheckRun: CommandSpec = {
  usage: 'healthcheck run CONTAINER',
  positionals: '[containers..]',
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    if (refs.length !== 1) throw new InvalidArgumentError(`healthcheck run takes exactly one container, not ${refs.length}: pman healthcheck run CONTAINER`);
    const outcome = await runHealthcheck(ctx, resolveContainer(ctx, refs[0]));
    if (outcome.exitCode === 0) return 0;
    io.stdout.write('unhealthy\n');
    return 1;
  },
};
