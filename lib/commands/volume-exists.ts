// pman volume exists VOLUME: exit 0 when it exists, 1 when not (podman's codes).
import { volumeExists } from '../volume/volumes.js';
import { existsCommand } from './exists-command.js';

export const volumeExistsCmd = existsCommand({ usage: 'volume exists VOLUME', what: 'volume', missing: 'volume exists needs a volume name', exists: volumeExists });
