// pman image exists IMAGE: exit 0 when the image is in local storage, 1 when it is not.
import { resolveImage } from '../image/resolve.js';
import { found } from '../errors.js';
import { existsCommand } from './exists-command.js';

export const imageExists = existsCommand({ usage: 'image exists IMAGE', what: 'image', exists: found(resolveImage) });
