// pman container exists CONTAINER: exit 0 when the container exists, 1 when it does not (podman).
import type { Argv } from 'yargs';
import { resolveContainer } from '../state/containers.js';
import { found } from '../errors.js';
import { existsCommand } from './exists-command.js';

export const containerExists = existsCommand({
  usage: 'container exists [options] CONTAINER',
  what: 'container',
  builder: (y: Argv) => y.option('external', { type: 'boolean', default: false, describe: 'Also look at containers not made by pman (there are none: accepted for podman scripts)' }),
  exists: found(resolveContainer),
});
