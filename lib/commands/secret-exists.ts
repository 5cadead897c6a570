// pman secret exists SECRET: exit 0 when the secret exists, 1 when it does not (as container exists).
import { resolveSecret } from '../secret/secrets.js';
import { found } from '../errors.js';
import { existsCommand } from './exists-command.js';

export const secretExists = existsCommand({ usage: 'secret exists SECRET', what: 'secret', exists: found(resolveSecret) });
